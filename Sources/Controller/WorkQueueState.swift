/// Per-key exponential backoff: the n-th consecutive failure of a key waits
/// `min(base * 2^(n-1), cap)`. client-go's item rate limiter with a shorter default cap.
public struct Backoff: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .milliseconds(5), cap: Duration = .seconds(300)) {
        self.base = base
        self.cap = max(base, cap)
    }

    /// The delay after `failures` consecutive failures (1 = the first failure).
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = base
        for _ in 1..<failures {
            delay *= 2
            if delay >= cap { return cap }
        }
        return min(delay, cap)
    }
}

/// The decision core of ``WorkQueue``: a pure value with no clock, no tasks and no locks.
/// Every time-dependent call takes `now`, so tests drive it with made-up instants.
///
/// Semantics (client-go's workqueue with kube-rs's scheduler rules):
/// - A key is queued at most once: adding a key that is already waiting is a no-op
///   (when both are delayed, the earlier time wins; an immediate add replaces a delayed one).
/// - A key being processed is never handed out again until ``done(_:now:)``; if it is added
///   meanwhile it is marked dirty and queued again at `done`, so the change is not lost.
/// - Failures back off per key (``failed(_:now:)``); success forgets the count.
/// - After ``shutDown()`` nothing more is handed out; keys in flight may still finish.
public struct WorkQueueState<Key: Hashable & Sendable>: Sendable {
    public typealias Instant = ContinuousClock.Instant

    /// Keys ready to hand out, in order.
    private var ready: [Key] = []
    private var readyHead = 0
    /// Keys in `ready` or waiting to be re-queued after processing: the dedupe set.
    private var dirty: Set<Key> = []
    private var processing: Set<Key> = []
    /// Delayed keys and when they become ready.
    private var scheduled: [Key: Instant] = [:]
    private var failures: [Key: Int] = [:]
    public let backoff: Backoff
    public private(set) var isShutDown = false

    public init(backoff: Backoff = Backoff()) {
        self.backoff = backoff
    }

    /// Queues `key` now.
    public mutating func add(_ key: Key) {
        guard !isShutDown else { return }
        scheduled[key] = nil
        guard dirty.insert(key).inserted else { return }
        if !processing.contains(key) { ready.append(key) }
    }

    /// Queues `key` once `delay` has passed. An earlier pending time for the key wins; a key
    /// already queued to run now stays queued to run now.
    public mutating func add(_ key: Key, after delay: Duration, now: Instant) {
        guard !isShutDown else { return }
        guard delay > .zero else { return add(key) }
        if dirty.contains(key) { return }
        let due = now + delay
        if let existing = scheduled[key], existing <= due { return }
        scheduled[key] = due
    }

    /// Records a failure of `key` and queues it after its backoff; returns the delay chosen.
    @discardableResult
    public mutating func failed(_ key: Key, now: Instant) -> Duration {
        let count = (failures[key] ?? 0) + 1
        failures[key] = count
        let delay = backoff.delay(afterFailures: count)
        add(key, after: delay, now: now)
        return delay
    }

    /// Forgets the failure count of `key` (after a success).
    public mutating func forget(_ key: Key) {
        failures[key] = nil
    }

    /// How many consecutive failures `key` has had.
    public func failureCount(_ key: Key) -> Int { failures[key] ?? 0 }

    /// Hands out the next ready key and marks it as processing, or nil when none is ready
    /// (or the queue is shut down). Delayed keys due by `now` are queued first.
    public mutating func next(now: Instant) -> Key? {
        guard !isShutDown else { return nil }
        promote(now: now)
        guard readyHead < ready.count else { return nil }
        let key = ready[readyHead]
        readyHead += 1
        if readyHead > 64 && readyHead * 2 > ready.count {
            ready.removeFirst(readyHead)
            readyHead = 0
        }
        dirty.remove(key)
        processing.insert(key)
        return key
    }

    /// Marks `key` as no longer processing; if it was added meanwhile, queues it again.
    public mutating func done(_ key: Key) {
        guard processing.remove(key) != nil else { return }
        if dirty.contains(key) {
            if isShutDown { dirty.remove(key) } else { ready.append(key) }
        }
    }

    /// Moves delayed keys whose time has come into the ready list (ordered by due time).
    public mutating func promote(now: Instant) {
        guard !scheduled.isEmpty else { return }
        let due = scheduled.filter { $0.value <= now }.sorted { $0.value < $1.value }
        for (key, _) in due { add(key) }
    }

    /// The earliest time a delayed key becomes ready.
    public var nextDeadline: Instant? { scheduled.values.min() }

    /// Stops handing out keys and drops everything not yet handed out.
    public mutating func shutDown() {
        isShutDown = true
        ready.removeAll()
        readyHead = 0
        dirty.removeAll()
        scheduled.removeAll()
    }

    /// Keys ready to hand out now.
    public var readyCount: Int { ready.count - readyHead }
    /// Keys waiting for a delay to pass.
    public var scheduledCount: Int { scheduled.count }
    /// Keys handed out and not yet done.
    public var processingCount: Int { processing.count }
    public func isProcessing(_ key: Key) -> Bool { processing.contains(key) }
    public func isScheduled(_ key: Key) -> Bool { scheduled[key] != nil }
    /// True when `key` is queued (ready, or dirty while processing).
    public func isQueued(_ key: Key) -> Bool { dirty.contains(key) }
}
