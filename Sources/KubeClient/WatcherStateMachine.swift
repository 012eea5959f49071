import Foundation
import KubeModel

/// The list-then-watch loop of a watcher as a pure state machine: inputs (list pages, watch
/// events, failures, timers) in, actions (list, watch, emit, wait) out. It does no I/O, so
/// every transition is tested directly; `KubeClient.watcher` carries the actions out.
///
/// - A (re)list pages through the collection and is framed by `initStarted`/`initDone`.
/// - The watch starts at the list's resourceVersion with bookmarks on and a jittered
///   `timeoutSeconds`; every event and bookmark advances the resourceVersion it resumes from.
/// - A watch that ends cleanly resumes at once; one that fails resumes after backoff.
/// - 410 Gone (on the watch request or as an ERROR event) means the resourceVersion left
///   the server's history: relist at once. Any other ERROR event relists after backoff.
public struct WatcherStateMachine<Object: Sendable> {
    public enum State: Sendable, Hashable {
        case idle
        /// Listing; `continueToken` is the page being fetched (nil: the first).
        case listing(continueToken: String?)
        case watching(resourceVersion: String)
        case waitingToRelist
        case waitingToRewatch(resourceVersion: String)
    }

    public enum Input: Sendable {
        case start
        case listPage(items: [Object], resourceVersion: String?, continueToken: String?)
        case listFailed(gone: Bool)
        case watchEvent(WatchInput)
        case watchEnded(WatchEnd)
        case timerFired
    }

    /// One decoded event of a watch stream.
    public enum WatchInput: Sendable {
        case added(Object, resourceVersion: String?)
        case modified(Object, resourceVersion: String?)
        case deleted(Object, resourceVersion: String?)
        case bookmark(resourceVersion: String?)
        case error(Status)
    }

    /// How a watch request ended.
    public enum WatchEnd: Sendable, Hashable {
        /// The server closed the stream (its timeout, a restart).
        case closed
        /// 410 Gone: the resourceVersion is too old.
        case gone
        /// A transport error, another HTTP error, or an undecodable event.
        case failed
    }

    public enum Action: Sendable {
        case list(continueToken: String?)
        case watch(resourceVersion: String, timeoutSeconds: Int)
        case emit(WatcherEvent<Object>)
        case wait(seconds: TimeInterval)
    }

    public private(set) var state: State = .idle
    /// Failures since the last success, for backoff.
    public private(set) var consecutiveFailures = 0
    private let backoff: RetryPolicy
    private let minimumWatchTimeout: Int
    private let jitter: @Sendable () -> Double

    /// `backoff` spaces retries; watches time out after `minimumWatchTimeout` to twice that,
    /// spread by `jitter` (a source of numbers in 0..<1) so many watchers do not reconnect together.
    public init(backoff: RetryPolicy = RetryPolicy(baseDelay: 0.5, maxDelay: 30), minimumWatchTimeout: Int = 300,
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.backoff = backoff
        self.minimumWatchTimeout = minimumWatchTimeout
        self.jitter = jitter
    }

    public mutating func handle(_ input: Input) -> [Action] {
        switch (input, state) {
        case (.start, .idle):
            state = .listing(continueToken: nil)
            return [.list(continueToken: nil)]

        case (.listPage(let items, let resourceVersion, let next), .listing(let token)):
            consecutiveFailures = 0
            var actions: [Action] = token == nil ? [.emit(.initStarted)] : []
            actions += items.map { .emit(.initApply($0)) }
            if let next, !next.isEmpty {
                state = .listing(continueToken: next)
                return actions + [.list(continueToken: next)]
            }
            guard let resourceVersion, !resourceVersion.isEmpty else {
                // A list without a resourceVersion cannot be watched from: list again later.
                return actions + [.emit(.initDone)] + fail(relist: true)
            }
            state = .watching(resourceVersion: resourceVersion)
            return actions + [.emit(.initDone), watchAction(resourceVersion)]

        case (.listFailed(let gone), .listing(let token)):
            // An expired continue token: the paged snapshot is gone; start over at once.
            if gone, token != nil {
                state = .listing(continueToken: nil)
                return [.list(continueToken: nil)]
            }
            return fail(relist: true)

        case (.watchEvent(let event), .watching(let current)):
            switch event {
            case .added(let object, let version), .modified(let object, let version):
                consecutiveFailures = 0
                state = .watching(resourceVersion: version ?? current)
                return [.emit(.apply(object))]
            case .deleted(let object, let version):
                consecutiveFailures = 0
                state = .watching(resourceVersion: version ?? current)
                return [.emit(.delete(object))]
            case .bookmark(let version):
                state = .watching(resourceVersion: version ?? current)
                return []
            case .error(let status):
                if status.code == 410 {
                    state = .listing(continueToken: nil)
                    return [.list(continueToken: nil)]
                }
                return fail(relist: true)
            }

        case (.watchEnded(let end), .watching(let version)):
            switch end {
            case .closed: return [watchAction(version)]
            case .gone:
                state = .listing(continueToken: nil)
                return [.list(continueToken: nil)]
            case .failed: return fail(relist: false)
            }

        case (.timerFired, .waitingToRelist):
            state = .listing(continueToken: nil)
            return [.list(continueToken: nil)]

        case (.timerFired, .waitingToRewatch(let version)):
            state = .watching(resourceVersion: version)
            return [watchAction(version)]

        default:
            // An input that does not belong to the current state (a late event of a watch
            // already abandoned) changes nothing.
            return []
        }
    }

    private func watchAction(_ resourceVersion: String) -> Action {
        let spread = Int(Double(minimumWatchTimeout) * min(max(jitter(), 0), 1))
        return .watch(resourceVersion: resourceVersion, timeoutSeconds: minimumWatchTimeout + spread)
    }

    private mutating func fail(relist: Bool) -> [Action] {
        consecutiveFailures += 1
        switch state {
        case .watching(let version) where !relist: state = .waitingToRewatch(resourceVersion: version)
        default: state = .waitingToRelist
        }
        return [.wait(seconds: backoff.backoff(attempt: consecutiveFailures, jitter: jitter()))]
    }
}
