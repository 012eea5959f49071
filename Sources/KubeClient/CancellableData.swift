import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

extension URLSession {
    /// `data(for:)` whose cancellation can neither deadlock nor crash: a cancelled Swift task
    /// gets `CancellationError` at once, and the request itself runs on to its end (bounded by
    /// its timeout), its answer dropped. The `URLSessionTask` is never cancelled, because in
    /// swift-corelibs-foundation (6.3 on Linux) both ways to do so break when the request
    /// completes at the same moment:
    /// - `data(for:)` cancels inside the Swift task's cancellation handler, holding that task's
    ///   status lock, and `URLSessionTask.cancel()` does a `workQueue.sync`; the work queue,
    ///   completing the request, resumes the continuation, which takes the status lock: a lock
    ///   order inversion that hung the whole suite (gdb: `swift_task_cancel →
    ///   URLSessionTask.cancel → _dispatch_sync_f_slow` against `_MultiHandle.completedTransfer
    ///   → CheckedContinuation.resume → withStatusRecordLock`; swift-corelibs-foundation#5412,
    ///   fixed by #5417, not in this toolchain).
    /// - `cancel()` from another queue avoids that, but its deferred half can find the task
    ///   already completed and removed: "TaskRegistry.swift:118: Fatal error: Trying to access a
    ///   behaviour for a task that in not in the registry" (seen in CI sim).
    public func cancellableData(for request: URLRequest) async throws -> (Data, URLResponse) {
        let pending = Mutex<CheckedContinuation<(Data, URLResponse), any Error>?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, URLResponse), any Error>) in
                pending.withLock { $0 = continuation }
                if Task.isCancelled {
                    pending.withLock { $0.take() }?.resume(throwing: CancellationError())
                    return
                }
                dataTask(with: request) { data, response, error in
                    guard let continuation = pending.withLock({ $0.take() }) else { return }
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let response {
                        continuation.resume(returning: (data ?? Data(), response))
                    } else {
                        continuation.resume(throwing: URLError(.badServerResponse))
                    }
                }.resume()
            }
        } onCancel: {
            pending.withLock { $0.take() }?.resume(throwing: CancellationError())
        }
    }
}
