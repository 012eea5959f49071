import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

extension URLSession {
    /// `data(for:)` whose cancellation cannot deadlock.
    ///
    /// swift-corelibs-foundation's `data(for:)` cancels its `URLSessionTask` inside the Swift
    /// task's cancellation handler, i.e. while holding that task's status lock, and
    /// `URLSessionTask.cancel()` does a `workQueue.sync`; the work queue, completing the same
    /// request at that moment, resumes the continuation, which takes the status lock: a lock
    /// order inversion that hung the whole test suite (gdb: one thread in
    /// `swift_task_cancel → URLSessionTask.cancel → _dispatch_sync_f_slow`, another in
    /// `_MultiHandle.completedTransfer → CheckedContinuation.resume → withStatusRecordLock`).
    /// Reported as swift-corelibs-foundation#5412, fixed by #5417, not in the 6.3 toolchain used
    /// here. Here the handler only schedules the cancel on another queue, so it holds no lock
    /// while waiting for the work queue.
    public func cancellableData(for request: URLRequest) async throws -> (Data, URLResponse) {
        let box = Mutex<(task: URLSessionDataTask?, cancelled: Bool)>((nil, false))
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, URLResponse), any Error>) in
                let task = dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let response {
                        continuation.resume(returning: (data ?? Data(), response))
                    } else {
                        continuation.resume(throwing: URLError(.badServerResponse))
                    }
                }
                let cancelled = box.withLock { state -> Bool in
                    state.task = task
                    return state.cancelled
                }
                task.resume()
                if cancelled { DispatchQueue.global().async { task.cancel() } }
            }
        } onCancel: {
            let task = box.withLock { state -> URLSessionDataTask? in
                state.cancelled = true
                return state.task
            }
            if let task { DispatchQueue.global().async { task.cancel() } }
        }
    }
}
