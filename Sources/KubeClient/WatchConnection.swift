import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeModel
import Synchronization

/// One streaming request (a watch): the lines of its body as they arrive.
///
/// Foundation on Linux has no `URLSession.bytes(for:)`, and `data(for:)` waits for the whole
/// body, which a watch never finishes; so a `URLSessionDataDelegate` feeds each chunk to a
/// `LineBuffer` and yields complete lines. A non-2xx answer ends the stream with
/// `KubeError.api(Status)`.
final class WatchConnection: Sendable {
    let lines: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private let running = Running()

    /// The request's task and session, so that ending the stream can stop them.
    private final class Running: Sendable {
        let state = Mutex<(cancelled: Bool, task: Task<Void, Never>?, session: URLSession?)>((false, nil, nil))
        func withLock<R>(_ body: (inout (cancelled: Bool, task: Task<Void, Never>?, session: URLSession?)) -> R) -> R {
            state.withLock { body(&$0) }
        }
    }

    init(transport: Transport, request: APIRequest, timeout: TimeInterval) {
        (lines, continuation) = AsyncThrowingStream.makeStream(of: Data.self, throwing: (any Error).self, bufferingPolicy: .unbounded)
        let continuation = self.continuation
        let running = self.running
        continuation.onTermination = { _ in
            let (task, session) = running.withLock { state in
                defer { state = (true, nil, nil) }
                return (state.task, state.session)
            }
            task?.cancel()
            // Not here: this may run in a cancelled consumer's cancellation handler, holding its
            // task's status lock, and `invalidateAndCancel` waits for the session's work queue,
            // which may be resuming that consumer (see `URLSession.cancellableData`).
            if let session { DispatchQueue.global().async { session.invalidateAndCancel() } }
        }
        let task = Task {
            do {
                let urlRequest = try await transport.urlRequest(for: request, timeout: timeout)
                let delegate = WatchStreamDelegate(continuation: continuation) { status in
                    if status == 401 { Task { await transport.credentials.invalidate() } }
                }
                let configuration = URLSessionConfiguration.ephemeral
                configuration.timeoutIntervalForRequest = timeout
                configuration.httpMaximumConnectionsPerHost = 1
                let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
                let started = running.withLock { state -> Bool in
                    guard !state.cancelled else { return false }
                    state.session = session
                    return true
                }
                guard started else { session.invalidateAndCancel(); return }
                await ConnectionPrimer.prime(session, with: try await transport.urlRequest(for: ConnectionPrimer.request))
                // The stream may have ended while the primer ran, and a session invalidated by
                // that cannot make tasks (swift-corelibs-foundation traps): check and create under
                // the lock `onTermination` takes.
                let resumed = running.withLock { state -> Bool in
                    guard !state.cancelled else { return false }
                    let streamTask = session.dataTask(with: urlRequest)
                    delegate.follow(streamTask)
                    streamTask.resume()
                    return true
                }
                guard resumed else { return }
                // The session holds its delegate until invalidated; let it go once the task ends.
                session.finishTasksAndInvalidate()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        let cancelledAlready = running.withLock { state -> Bool in
            if !state.cancelled { state.task = task }
            return state.cancelled
        }
        if cancelledAlready { task.cancel() }
    }

    /// Ends the request; the stream finishes.
    func cancel() {
        continuation.finish()
    }
}

/// Receives a streaming response chunk by chunk and yields its lines.
final class WatchStreamDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var buffer = LineBuffer()
        var statusCode: Int?
        var errorBody = Data()
    }

    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private let state = Mutex(State())
    private let followedTask = Mutex<Int?>(nil)
    private let onStatus: @Sendable (Int) -> Void

    init(continuation: AsyncThrowingStream<Data, any Error>.Continuation, onStatus: @escaping @Sendable (Int) -> Void) {
        self.continuation = continuation
        self.onStatus = onStatus
    }

    /// The streaming task whose callbacks this delegate turns into lines; the session's other
    /// task, the connection primer, reports through its own completion handler.
    func follow(_ task: URLSessionTask) {
        followedTask.withLock { $0 = task.taskIdentifier }
    }

    private func isFollowed(_ task: URLSessionTask) -> Bool {
        followedTask.withLock { $0 == task.taskIdentifier }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        guard isFollowed(dataTask) else { return completionHandler(.allow) }
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        state.withLock { $0.statusCode = code }
        onStatus(code)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard isFollowed(dataTask) else { return }
        let lines = state.withLock { state -> [Data] in
            guard let code = state.statusCode, (200...299).contains(code) else {
                state.errorBody.append(data)
                return []
            }
            return state.buffer.append(data)
        }
        for line in lines { continuation.yield(line) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard isFollowed(task) else { return }
        let (code, body, last) = state.withLock { state in (state.statusCode, state.errorBody, state.buffer.finish()) }
        if let error {
            let nsError = error as NSError
            if nsError.domain == NSURLErrorDomain, nsError.code == NSURLErrorCancelled {
                continuation.finish()
            } else {
                continuation.finish(throwing: KubeError.transport("watch: \(nsError.localizedDescription) (\(nsError.domain) \(nsError.code))"))
            }
            return
        }
        if let code, !(200...299).contains(code) {
            continuation.finish(throwing: KubeError.api(Transport.status(code: code, body: body)))
            return
        }
        if let last { continuation.yield(last) }
        continuation.finish()
    }
}
