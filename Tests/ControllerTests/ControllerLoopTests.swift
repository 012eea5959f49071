import KubeModel
import Synchronization
import Testing
@testable import Controller

/// Records every reconcile, flags any overlap for one key, and does what the test scripts.
final class RecordingReconciler: Reconciler {
    struct Script: Sendable {
        var delay: Duration = .zero
        var failures = 0
        var action: ReconcileAction = .done
    }

    private struct State {
        var inFlight: Set<ObjectKey> = []
        var maxConcurrent = 0
        var overlaps: [ObjectKey] = []
        var calls: [(ObjectKey, ContinuousClock.Instant)] = []
        var finished: [ObjectKey] = []
        var failed: [ObjectKey: Int] = [:]
        var scripts: [ObjectKey: Script] = [:]
        var defaultScript = Script()
    }

    struct Failure: Error {}

    private let state = Mutex(State())

    func script(_ key: String, _ script: Script) {
        state.withLock { $0.scripts[ObjectKey(key)] = script }
    }

    func scriptAll(_ script: Script) {
        state.withLock { $0.defaultScript = script }
    }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileAction {
        let script: Script = state.withLock { state in
            if state.inFlight.contains(key) { state.overlaps.append(key) }
            state.inFlight.insert(key)
            state.maxConcurrent = max(state.maxConcurrent, state.inFlight.count)
            state.calls.append((key, ContinuousClock.now))
            return state.scripts[key] ?? state.defaultScript
        }
        if script.delay > .zero {
            // Not cancellable on purpose: shutdown must wait for this.
            let end = ContinuousClock.now + script.delay
            while ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(2)) }
        }
        let fail: Bool = state.withLock { state in
            state.inFlight.remove(key)
            state.finished.append(key)
            let failedSoFar = state.failed[key, default: 0]
            if failedSoFar < script.failures {
                state.failed[key] = failedSoFar + 1
                return true
            }
            return false
        }
        if fail { throw Failure() }
        return script.action
    }

    var calls: [ObjectKey] { state.withLock { $0.calls.map(\.0) } }
    var callTimes: [ContinuousClock.Instant] { state.withLock { $0.calls.map(\.1) } }
    func calls(of key: String) -> Int { state.withLock { $0.calls.filter { $0.0 == ObjectKey(key) }.count } }
    var overlaps: [ObjectKey] { state.withLock { $0.overlaps } }
    var maxConcurrent: Int { state.withLock { $0.maxConcurrent } }
    var finishedCount: Int { state.withLock { $0.finished.count } }
    var inFlightCount: Int { state.withLock { $0.inFlight.count } }
}

@Suite struct ControllerLoopTests {
    typealias Loop = ControllerLoop<Widget>

    func makeLoop(_ reconciler: RecordingReconciler, concurrency: Int = 1, resync: Duration? = nil,
                  backoff: Backoff = Backoff()) -> (Loop, ScriptedSource<Widget>) {
        let widgets = ScriptedSource<Widget>()
        let loop = Loop(primary: Informer(source: widgets.source), reconciler: reconciler,
                        configuration: .init(name: "test", concurrency: concurrency, resyncPeriod: resync, backoff: backoff))
        return (loop, widgets)
    }

    @Test func workersWaitForSyncThenReconcileEveryListedKey() async {
        let reconciler = RecordingReconciler()
        let (loop, widgets) = makeLoop(reconciler)
        let run = Task { await loop.run() }
        #expect(await eventually { widgets.openCount == 1 })
        widgets.send(.initStarted, .initApply(Widget("a")), .initApply(Widget("b")))
        // The informer has taken all three events; none may start a reconcile before initDone.
        #expect(await eventually { widgets.consumed == 3 })
        #expect(reconciler.calls.isEmpty)
        #expect(!loop.hasSynced)
        widgets.send(.initDone)
        #expect(await eventually { reconciler.calls.count == 2 })
        #expect(loop.hasSynced)
        #expect(Set(reconciler.calls) == [ObjectKey("default/a"), ObjectKey("default/b")])
        run.cancel()
        await run.value
    }

    @Test func aBurstOfEventsForOneKeyIsDeduplicated() async {
        let reconciler = RecordingReconciler()
        reconciler.scriptAll(.init(delay: .milliseconds(300)))
        let (loop, widgets) = makeLoop(reconciler, concurrency: 4)
        let run = Task { await loop.run() }
        #expect(await eventually { widgets.openCount == 1 })
        widgets.list([Widget("a")])
        #expect(await eventually { reconciler.calls.count == 1 })
        // While a's first reconcile runs, 50 events arrive: they collapse into one more run.
        for version in 2...51 { widgets.send(.apply(Widget("a", rv: "\(version)"))) }
        #expect(await eventually { reconciler.finishedCount == 2 })
        // A third run would keep the key ready or processing for its 300 ms.
        #expect(await eventually { loop.queue.snapshot.ready == 0 && loop.queue.snapshot.processing == 0 && loop.queue.snapshot.scheduled == 0 })
        #expect(reconciler.calls(of: "default/a") == 2)
        #expect(reconciler.overlaps.isEmpty)
        run.cancel()
        await run.value
    }

    @Test func oneKeyIsNeverReconciledConcurrentlyButKeysRunInParallel() async {
        let reconciler = RecordingReconciler()
        reconciler.scriptAll(.init(delay: .milliseconds(5)))
        let (loop, widgets) = makeLoop(reconciler, concurrency: 4)
        let run = Task { await loop.run() }
        #expect(await eventually { widgets.openCount == 1 })
        let names = ["a", "b", "c", "d", "e", "f"]
        widgets.list(names.map { Widget($0) })
        for round in 2...40 {
            for name in names { widgets.send(.apply(Widget(name, rv: "\(round)"))) }
            try? await Task.sleep(for: .milliseconds(1))
        }
        #expect(await eventually { loop.queue.snapshot.ready == 0 && loop.queue.snapshot.processing == 0 })
        #expect(reconciler.overlaps.isEmpty)
        #expect(reconciler.maxConcurrent > 1)
        #expect(reconciler.maxConcurrent <= 4)
        run.cancel()
        await run.value
    }

    @Test func aThrowingReconcileIsRetriedWithBackoff() async throws {
        let reconciler = RecordingReconciler()
        reconciler.script("default/a", .init(failures: 3))
        let (loop, widgets) = makeLoop(reconciler, backoff: Backoff(base: .milliseconds(40), cap: .seconds(5)))
        let run = Task { await loop.run() }
        #expect(await eventually { widgets.openCount == 1 })
        widgets.list([Widget("a")])
        #expect(await eventually { reconciler.calls(of: "default/a") == 4 })
        let times = reconciler.callTimes
        try #require(times.count >= 4)
        // Delays of 40, 80 and 160 ms between attempts.
        #expect(times[1] - times[0] >= .milliseconds(40))
        #expect(times[2] - times[1] >= .milliseconds(80))
        #expect(times[3] - times[2] >= .milliseconds(160))
        #expect(await eventually { loop.metrics.reconciles == 4 })
        #expect(loop.metrics.failures == 3)
        #expect(loop.queue.failureCount(ObjectKey("default/a")) == 0)
        // Success ends the retries: nothing is scheduled, ready or running any more.
        #expect(await eventually { loop.queue.snapshot.ready == 0 && loop.queue.snapshot.processing == 0 && loop.queue.snapshot.scheduled == 0 })
        #expect(reconciler.calls(of: "default/a") == 4)
        run.cancel()
        await run.value
    }

    @Test func requeueAfterComesBack() async {
        let reconciler = RecordingReconciler()
        reconciler.script("default/a", .init(action: .requeue(after: .milliseconds(60))))
        let (loop, widgets) = makeLoop(reconciler)
        let run = Task { await loop.run() }
        #expect(await eventually { widgets.openCount == 1 })
        widgets.list([Widget("a")])
        #expect(await eventually { reconciler.calls(of: "default/a") >= 3 })
        let times = reconciler.callTimes
        #expect(times[1] - times[0] >= .milliseconds(60))
        #expect(loop.metrics.requeues >= 2)
        run.cancel()
        await run.value
    }

    @Test func resyncQueuesEveryPrimaryKey() async {
        let reconciler = RecordingReconciler()
        let (loop, widgets) = makeLoop(reconciler, resync: .milliseconds(80))
        let run = Task { await loop.run() }
        #expect(await eventually { widgets.openCount == 1 })
        widgets.list([Widget("a"), Widget("b")])
        #expect(await eventually { reconciler.calls(of: "default/a") >= 3 && reconciler.calls(of: "default/b") >= 3 })
        #expect(loop.metrics.resyncs >= 2)
        run.cancel()
        await run.value
    }

    @Test func noResyncMeansNoExtraRuns() async {
        let reconciler = RecordingReconciler()
        let (loop, widgets) = makeLoop(reconciler, resync: nil)
        let run = Task { await loop.run() }
        #expect(await eventually { widgets.openCount == 1 })
        widgets.list([Widget("a")])
        #expect(await eventually { reconciler.calls.count == 1 })
        try? await Task.sleep(for: .milliseconds(200))
        #expect(reconciler.calls.count == 1)
        run.cancel()
        await run.value
    }

    @Test func ownedObjectsMapToTheirControllerOwner() async {
        let reconciler = RecordingReconciler()
        let (loop, widgets) = makeLoop(reconciler)
        let gadgets = ScriptedSource<Gadget>()
        loop.owns(Informer(source: gadgets.source))
        let run = Task { await loop.run() }
        #expect(await eventually { widgets.openCount == 1 && gadgets.openCount == 1 })
        widgets.list([Widget("w")])
        gadgets.list([])
        #expect(await eventually { reconciler.calls.count == 1 })
        gadgets.send(.apply(Gadget("g1", ownerWidget: "w")))
        #expect(await eventually { reconciler.calls(of: "default/w") == 2 })
        // Not a controller reference, or a controller of another kind: ignored.
        gadgets.send(.apply(Gadget("g2", ownerWidget: "w", controller: false)))
        gadgets.send(.apply(Gadget("g3", ownerWidget: "w", kind: "Other")))
        gadgets.send(.apply(Gadget("g4")))
        // A marker after them: once its owner is reconciled, the events before it were handled.
        gadgets.send(.apply(Gadget("g5", ownerWidget: "marker")))
        #expect(await eventually { reconciler.calls(of: "default/marker") == 1 })
        #expect(reconciler.calls(of: "default/w") == 2)
        // Deleting an owned object wakes the owner (it may need to recreate it).
        gadgets.send(.delete(Gadget("g1", ownerWidget: "w")))
        #expect(await eventually { reconciler.calls(of: "default/w") == 3 })
        #expect(reconciler.calls.allSatisfy { $0 == ObjectKey("default/w") || $0 == ObjectKey("default/marker") })
        run.cancel()
        await run.value
    }

    @Test func aCustomMapperMapsPodsToTheirClusterByLabel() async {
        let reconciler = RecordingReconciler()
        let (loop, widgets) = makeLoop(reconciler)
        let pods = ScriptedSource<Gadget>()
        loop.watches(Informer(source: pods.source)) { pod in
            guard let instance = pod.metadata.labels?["app.kubernetes.io/instance"] else { return [] }
            return [ObjectKey(namespace: pod.namespace, name: instance)]
        }
        let run = Task { await loop.run() }
        #expect(await eventually { widgets.openCount == 1 && pods.openCount == 1 })
        widgets.list([])
        pods.list([Gadget("zk-0", labels: ["app.kubernetes.io/instance": "zk"])])
        #expect(await eventually { reconciler.calls == [ObjectKey("default/zk")] })
        pods.send(.apply(Gadget("other", labels: ["app": "x"])))
        // A marker after it: once the marker's cluster is reconciled, "other" was handled.
        pods.send(.apply(Gadget("marker-0", labels: ["app.kubernetes.io/instance": "marker"])))
        #expect(await eventually { reconciler.calls(of: "default/marker") == 1 })
        #expect(reconciler.calls == [ObjectKey("default/zk"), ObjectKey("default/marker")])
        run.cancel()
        await run.value
    }

    @Test func shutdownWaitsForInFlightReconcilesAndStopsWatches() async {
        let reconciler = RecordingReconciler()
        reconciler.scriptAll(.init(delay: .milliseconds(300)))
        let (loop, widgets) = makeLoop(reconciler, concurrency: 2)
        let run = Task { await loop.run() }
        #expect(await eventually { widgets.openCount == 1 })
        widgets.list([Widget("a"), Widget("b"), Widget("c")])
        #expect(await eventually { reconciler.inFlightCount == 2 })
        run.cancel()
        await run.value
        // Both in-flight reconciles ran to the end, and nothing new started after the cancel.
        #expect(reconciler.finishedCount == 2)
        #expect(reconciler.inFlightCount == 0)
        #expect(reconciler.calls.count == 2)
        #expect(loop.queue.snapshot.isShutDown)
    }

    @Test func shutDownBeforeSyncReturns() async {
        let reconciler = RecordingReconciler()
        let (loop, widgets) = makeLoop(reconciler)
        let run = Task { await loop.run() }
        #expect(await eventually { widgets.openCount == 1 })
        loop.shutDown()
        await run.value
        #expect(reconciler.calls.isEmpty)
    }
}
