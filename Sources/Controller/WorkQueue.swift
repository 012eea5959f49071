import Synchronization

/// The controller's work queue: ``WorkQueueState``'s rules on a real clock, shared by any
/// number of producer and worker tasks.
///
/// Producers call ``add(_:)`` / ``add(_:after:)`` synchronously (from informer handlers);
/// workers loop on ``next()`` and call ``done(_:)`` (or ``finish(_:outcome:)``) for every
/// key they get. A single timer task wakes the queue when the earliest delayed key is due.
public final class WorkQueue<Key: Hashable & Sendable>: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Key?, Never>
    }

    private enum NextResult { case key(Key?), wait(UInt64) }

    private struct State {
        var core: WorkQueueState<Key>
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        /// The pending timer and the instant it fires at.
        var timer: (task: Task<Void, Never>, deadline: ContinuousClock.Instant)?
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        /// How often the timer fired (tests check it does not spin).
        var timerFirings = 0
    }

    /// What happened to a key a worker processed.
    public enum Outcome: Sendable, Equatable {
        /// Success: forget its failures.
        case success
        /// Success, and come back after this long.
        case requeue(after: Duration)
        /// Failure: retry after the key's backoff.
        case failure
    }

    private let state: Mutex<State>
    private let clock = ContinuousClock()

    public init(backoff: Backoff = Backoff()) {
        state = Mutex(State(core: WorkQueueState(backoff: backoff)))
    }

    /// Queues `key` now (deduplicated).
    public func add(_ key: Key) {
        mutate { $0.add(key) }
    }

    /// Queues `key` once `delay` has passed (the earliest pending time wins).
    public func add(_ key: Key, after delay: Duration) {
        let now = clock.now
        mutate { $0.add(key, after: delay, now: now) }
    }

    /// Records a failure of `key` and queues it after its backoff; returns the delay.
    @discardableResult
    public func addRateLimited(_ key: Key) -> Duration {
        let now = clock.now
        var delay = Duration.zero
        mutate { delay = $0.failed(key, now: now) }
        return delay
    }

    /// Forgets the failures of `key`.
    public func forget(_ key: Key) {
        state.withLock { $0.core.forget(key) }
    }

    /// Marks `key` as processed; if it was added while in flight it is queued again.
    public func done(_ key: Key) {
        mutate { $0.done(key) }
    }

    /// `done(key)` combined with what the outcome asks for, in one step, so that a requeue
    /// and a concurrent add of the same key resolve as a single pending run.
    public func finish(_ key: Key, outcome: Outcome) {
        let now = clock.now
        mutate { core in
            core.done(key)
            switch outcome {
            case .success:
                core.forget(key)
            case .requeue(let delay):
                core.forget(key)
                core.add(key, after: delay, now: now)
            case .failure:
                core.failed(key, now: now)
            }
        }
    }

    /// Waits for the next key; nil once the queue is shut down or the calling task is cancelled.
    public func next() async -> Key? {
        if Task.isCancelled { return nil }
        let now = clock.now
        let immediate: NextResult = state.withLock { state in
            if state.core.isShutDown { return .key(nil) }
            if let key = state.core.next(now: now) { return .key(key) }
            state.nextWaiterID += 1
            return .wait(state.nextWaiterID)
        }
        let id: UInt64
        switch immediate {
        case .key(let key): return key
        case .wait(let waiterID): id = waiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Key?, Never>) in
                let resumeNow: Bool = state.withLock { state in
                    if state.core.isShutDown { return true }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if resumeNow {
                    continuation.resume(returning: nil)
                } else {
                    // A key may have become ready between the first check and registration.
                    mutate { _ in }
                    if Task.isCancelled { cancelWaiter(id) }
                }
            }
        } onCancel: {
            cancelWaiter(id)
        }
    }

    /// Stops handing out keys and drops the pending ones; workers waiting in ``next()`` get nil.
    /// Keys in flight may still call ``done(_:)``.
    public func shutDown() {
        let (waiters, timer): ([Waiter], Task<Void, Never>?) = state.withLock { state in
            state.core.shutDown()
            let waiters = state.waiters
            state.waiters.removeAll()
            let timer = state.timer?.task
            state.timer = nil
            return (waiters, timer)
        }
        timer?.cancel()
        for waiter in waiters { waiter.continuation.resume(returning: nil) }
        resumeDrainWaitersIfIdle()
    }

    /// Waits until no key is in flight (use after ``shutDown()`` for a graceful stop).
    public func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle: Bool = state.withLock { state in
                if state.core.processingCount == 0 { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// A consistent snapshot of the queue's counters.
    public var snapshot: Snapshot {
        state.withLock { state in
            Snapshot(ready: state.core.readyCount, scheduled: state.core.scheduledCount,
                     processing: state.core.processingCount, isShutDown: state.core.isShutDown)
        }
    }

    /// Counters of the queue at one moment.
    public struct Snapshot: Sendable, Equatable {
        public var ready: Int
        public var scheduled: Int
        public var processing: Int
        public var isShutDown: Bool
    }

    /// The number of consecutive failures recorded for `key`.
    public func failureCount(_ key: Key) -> Int {
        state.withLock { $0.core.failureCount(key) }
    }

    var timerFirings: Int { state.withLock { $0.timerFirings } }

    // MARK: Internals

    /// Applies a change to the core, then hands ready keys to waiting workers and re-arms the
    /// timer. Continuations are resumed outside the lock.
    private func mutate(_ change: (inout WorkQueueState<Key>) -> Void) {
        let now = clock.now
        let (handoffs, oldTimer, newDeadline): ([(Waiter, Key)], Task<Void, Never>?, ContinuousClock.Instant?) = state.withLock { state in
            change(&state.core)
            // Due keys move to the ready list now, so the timer is only ever armed for the
            // future (a past deadline would fire again and again while workers are busy).
            state.core.promote(now: now)
            var handoffs: [(Waiter, Key)] = []
            while !state.waiters.isEmpty, let key = state.core.next(now: now) {
                handoffs.append((state.waiters.removeFirst(), key))
            }
            // Re-arm the timer only when the earliest deadline moved earlier or vanished.
            let deadline = state.core.isShutDown ? nil : state.core.nextDeadline
            var oldTimer: Task<Void, Never>?
            var newDeadline: ContinuousClock.Instant?
            if let deadline {
                if let timer = state.timer, timer.deadline <= deadline {
                    // The armed timer fires first; it re-arms for this deadline then.
                } else {
                    oldTimer = state.timer?.task
                    state.timer = nil
                    newDeadline = deadline
                }
            } else if let timer = state.timer {
                oldTimer = timer.task
                state.timer = nil
            }
            return (handoffs, oldTimer, newDeadline)
        }
        oldTimer?.cancel()
        if let newDeadline { armTimer(at: newDeadline) }
        for (waiter, key) in handoffs { waiter.continuation.resume(returning: key) }
        resumeDrainWaitersIfIdle()
    }

    private func armTimer(at deadline: ContinuousClock.Instant) {
        let task = Task { [weak self] in
            try? await Task.sleep(until: deadline, clock: ContinuousClock())
            guard !Task.isCancelled, let self else { return }
            self.timerFired(deadline)
        }
        let stale: Task<Void, Never>? = state.withLock { state in
            if let current = state.timer, current.deadline <= deadline { return task }
            let previous = state.timer?.task
            state.timer = (task, deadline)
            return previous
        }
        stale?.cancel()
    }

    private func timerFired(_ deadline: ContinuousClock.Instant) {
        state.withLock { state in
            state.timerFirings += 1
            if state.timer?.deadline == deadline { state.timer = nil }
        }
        mutate { _ in }
    }

    private func cancelWaiter(_ id: UInt64) {
        let waiter: Waiter? = state.withLock { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: nil)
    }

    private func resumeDrainWaitersIfIdle() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard state.core.processingCount == 0, !state.drainWaiters.isEmpty else { return [] }
            let waiters = state.drainWaiters
            state.drainWaiters.removeAll()
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
