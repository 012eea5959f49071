import Synchronization

/// Suspends the current task until it is cancelled, without polling.
enum CancellationWait {
    private struct State: Sendable {
        var continuation: CheckedContinuation<Void, Never>?
        var cancelled = false
    }

    /// Returns once the current task is cancelled: at once if it already is, else exactly when
    /// `cancel()` is called on it. No timer, no wake-up before then.
    static func untilCancelled() async {
        let state = Mutex(State())
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // The handler may already have run (the task was cancelled before this point,
                // even before `withTaskCancellationHandler` was entered): then nobody else will
                // resume, so resume here. Otherwise store it for the handler. Under the lock,
                // so exactly one of the two resumes.
                let alreadyCancelled = state.withLock { state in
                    if state.cancelled { return true }
                    state.continuation = continuation
                    return false
                }
                if alreadyCancelled { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { state in
                state.cancelled = true
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume()
        }
    }
}
