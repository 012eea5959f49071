import KubeModel
import Synchronization

/// Where the controller runtime writes its diagnostics (one line per call).
public typealias ControllerLog = @Sendable (_ message: String) -> Void

/// The reconcile loop: watches a primary type and the objects it owns, turns every event
/// into the primary's key on a ``WorkQueue``, and runs `concurrency` workers that call the
/// ``Reconciler``; kube-rs's `Controller` and controller-runtime's `Controller` in one.
///
/// - Events of the primary type queue the object's own key; events of owned objects queue
///   the key of their controller owner (``owns(_:)``); any other type can be mapped with a
///   closure (``watches(_:mapping:)``), e.g. pods to their cluster by label.
/// - Workers start once every cache has synced, so a reconcile never sees a half-filled cache.
/// - A key is never reconciled twice at once; keys queued while in flight run once more after.
/// - `.done` forgets the key's failures, `.requeue(after:)` comes back after the delay, a
///   thrown error retries with per-key exponential backoff.
/// - Every `resyncPeriod`, every cached primary key is queued, so a missed event is harmless.
/// - Cancelling ``run()`` (or calling ``shutDown()``) stops handing out keys, lets in-flight
///   reconciles finish undisturbed (they run outside the cancelled task), stops the watches,
///   and returns.
public final class ControllerLoop<Primary: KubeObject>: Sendable {
    /// How the loop runs.
    public struct Configuration: Sendable {
        /// Shown in log lines.
        public var name: String
        /// How many keys are reconciled at once (each key still one at a time).
        public var concurrency: Int
        /// How often every primary key is queued again; nil disables the resync.
        public var resyncPeriod: Duration?
        /// The per-key backoff after failed reconciles.
        public var backoff: Backoff

        public init(name: String = "controller", concurrency: Int = 1, resyncPeriod: Duration? = .seconds(300), backoff: Backoff = Backoff()) {
            self.name = name
            self.concurrency = max(1, concurrency)
            self.resyncPeriod = resyncPeriod
            self.backoff = backoff
        }
    }

    /// Counters since the loop started.
    public struct Metrics: Sendable, Equatable {
        public var reconciles = 0
        public var failures = 0
        public var requeues = 0
        public var resyncs = 0
    }

    private struct Watched: Sendable {
        let id: ObjectIdentifier
        let run: @Sendable () async -> Void
        let waitForSync: @Sendable () async -> Bool
        let hasSynced: @Sendable () -> Bool
    }

    /// The primary type's informer; its store is the cache reconcilers read.
    public let primary: Informer<Primary>
    /// The queue of keys to reconcile.
    public let queue: WorkQueue<ObjectKey>
    public let configuration: Configuration
    private let reconciler: any Reconciler
    private let log: ControllerLog
    private let watched = Mutex<[Watched]>([])
    private let counters = Mutex(Metrics())
    private let stopped = SyncGate()

    public init(primary: Informer<Primary>, reconciler: any Reconciler, configuration: Configuration = Configuration(), log: @escaping ControllerLog = { _ in }) {
        self.primary = primary
        self.reconciler = reconciler
        self.configuration = configuration
        self.log = log
        queue = WorkQueue(backoff: configuration.backoff)
        primary.addHandler { [queue] change in
            queue.add(Store<Primary>.key(of: change.object))
        }
        track(primary)
    }

    /// Also watches `informer`'s objects and maps each to the key of its controller owner of
    /// the primary kind (an ownerReference with `controller: true`, the primary's kind and
    /// API group). Call before ``run()``.
    public func owns<Child: KubeObject>(_ informer: Informer<Child>) {
        let kind = Primary.resourceType.kind
        let group = Primary.resourceType.group
        watches(informer) { child in
            guard let owner = child.metadata.ownerReferences?.first(where: { $0.controller == true }),
                  owner.kind == kind, Self.group(ofAPIVersion: owner.apiVersion) == group
            else { return [] }
            return [ObjectKey(namespace: child.metadata.namespace, name: owner.name)]
        }
    }

    /// Also watches `informer`'s objects, queueing the primary keys `mapping` returns for
    /// each (for an update, for both the old and the new object). Call before ``run()``.
    public func watches<Other: KubeObject>(_ informer: Informer<Other>, mapping: @escaping @Sendable (Other) -> [ObjectKey]) {
        informer.addHandler { [queue] change in
            var keys = mapping(change.object)
            if case .updated(let old, _) = change { keys += mapping(old) }
            for key in Set(keys) { queue.add(key) }
        }
        track(informer)
    }

    /// True once every watched cache has delivered its first complete list.
    public var hasSynced: Bool {
        watched.withLock { $0 }.allSatisfy { $0.hasSynced() }
    }

    /// Counters since the loop started.
    public var metrics: Metrics { counters.withLock { $0 } }

    /// Runs until cancelled or shut down; returns after in-flight reconciles have finished.
    public func run() async {
        await withTaskCancellationHandler {
            await runUntilStopped()
        } onCancel: {
            shutDown()
        }
    }

    /// Stops handing out keys; ``run()`` returns once in-flight reconciles finish.
    public func shutDown() {
        queue.shutDown()
        stopped.open()
    }

    private func runUntilStopped() async {
        let informers = watched.withLock { $0 }
        await withTaskGroup(of: Void.self) { background in
            for informer in informers {
                background.addTask { await informer.run() }
            }
            if await waitForSyncOrStop(informers) {
                log("\(configuration.name): caches synced, starting \(configuration.concurrency) workers")
                if let period = configuration.resyncPeriod {
                    background.addTask { await self.resync(every: period) }
                }
                await withTaskGroup(of: Void.self) { workers in
                    for _ in 0..<configuration.concurrency {
                        workers.addTask { await self.work() }
                    }
                }
            }
            background.cancelAll()
        }
        log("\(configuration.name): stopped")
    }

    /// Waits for every cache to sync; false when the loop is stopped first.
    private func waitForSyncOrStop(_ informers: [Watched]) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for informer in informers where !(await informer.waitForSync()) { return false }
                return true
            }
            group.addTask { [stopped] in
                _ = await stopped.wait()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first && !stopped.isOpen
        }
    }

    private func work() async {
        while let key = await queue.next() {
            // The reconcile runs in its own task so that cancelling the loop does not cancel
            // it: a reconcile half-done is worse than one that finishes.
            let reconciler = self.reconciler
            let attempt = Task { try await reconciler.reconcile(key) }
            let outcome: WorkQueue<ObjectKey>.Outcome
            do {
                switch try await attempt.value {
                case .done: outcome = .success
                case .requeue(let delay): outcome = .requeue(after: delay)
                }
            } catch {
                outcome = .failure
                let failures = queue.failureCount(key) + 1
                log("\(configuration.name): reconcile \(key) failed (\(failures) in a row): \(error)")
            }
            counters.withLock { metrics in
                metrics.reconciles += 1
                if outcome == .failure { metrics.failures += 1 }
                if case .requeue = outcome { metrics.requeues += 1 }
            }
            queue.finish(key, outcome: outcome)
        }
    }

    private func resync(every period: Duration) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: period) } catch { return }
            let keys = primary.store.list().map { Store<Primary>.key(of: $0) }
            for key in keys { queue.add(key) }
            counters.withLock { $0.resyncs += 1 }
        }
    }

    private func track<Object: KubeObject>(_ informer: Informer<Object>) {
        let entry = Watched(id: ObjectIdentifier(informer), run: { await informer.run() }, waitForSync: { await informer.waitForSync() }, hasSynced: { informer.hasSynced })
        watched.withLock { list in
            // An informer used twice (owned and mapped) still runs once.
            if !list.contains(where: { $0.id == entry.id }) { list.append(entry) }
        }
    }

    static func group(ofAPIVersion apiVersion: String) -> String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }
}
