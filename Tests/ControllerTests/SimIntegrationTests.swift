import Foundation
import KubeClient
import KubeModel
import KubeSim
import Synchronization
import Testing
@testable import Controller

/// The controller runtime against an in-process kube-sim API server over HTTP.
@Suite struct SimIntegrationTests {
    /// A started server and a client for it; stop the server when done.
    func startServer() throws -> (APIServer, KubeClient) {
        let server = APIServer()
        try server.start()
        let client = try KubeClient(configuration: ClientConfiguration(server: server.baseURL, credentials: .token(server.adminToken)))
        return (server, client)
    }

    @Test func anInformerSeesCreatesUpdatesAndDeletes() async throws {
        let (server, client) = try startServer()
        defer { server.stop() }
        _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "before", namespace: "default"), data: ["a": "1"]))

        let informer = Informer<ConfigMap>(client: client, namespaces: ["default"])
        let seen = Recorder<String>()
        informer.addHandler { change in
            switch change {
            case .added(let o): seen.append("+\(o.name)")
            case .updated(_, let o): seen.append("~\(o.name)=\(o.data?["a"] ?? "")")
            case .deleted(let o): seen.append("-\(o.name)")
            }
        }
        let run = Task { await informer.run() }
        defer { run.cancel() }
        #expect(await informer.waitForSync())
        #expect(informer.store.get(ObjectKey("default/before"))?.data == ["a": "1"])

        var created = try await client.create(ConfigMap(metadata: ObjectMeta(name: "cm", namespace: "default"), data: ["a": "1"]))
        #expect(await eventually { informer.store.get(ObjectKey("default/cm")) != nil })
        created.data = ["a": "2"]
        _ = try await client.update(created)
        #expect(await eventually { informer.store.get(ObjectKey("default/cm"))?.data?["a"] == "2" })
        try await client.delete(ConfigMap.self, namespace: "default", name: "cm")
        #expect(await eventually { informer.store.get(ObjectKey("default/cm")) == nil })
        // Every namespace also holds `kube-root-ca.crt`, as on a real server.
        #expect(seen.all.filter { $0 != "+kube-root-ca.crt" } == ["+before", "+cm", "~cm=2", "-cm"])
        // An object in another namespace is not watched.
        _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "elsewhere", namespace: "kube-system")))
        // A later object in the watched namespace: once it arrives, the earlier one would have.
        _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "marker", namespace: "default")))
        #expect(await eventually { informer.store.get(ObjectKey("default/marker")) != nil })
        #expect(informer.store.get(ObjectKey("kube-system/elsewhere")) == nil)
        run.cancel()
        await run.value
    }

    @Test func aControllerLoopReconcilesWhatTheServerHolds() async throws {
        let (server, client) = try startServer()
        defer { server.stop() }
        let reconciler = RecordingReconciler()
        let loop = ControllerLoop(primary: Informer<ConfigMap>(client: client, namespaces: ["default"]), reconciler: reconciler,
                                  configuration: .init(name: "it", concurrency: 2, resyncPeriod: nil))
        let run = Task { await loop.run() }
        #expect(await eventually { loop.hasSynced })
        _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "zk", namespace: "default")))
        #expect(await eventually { reconciler.calls(of: "default/zk") == 1 })
        run.cancel()
        await run.value
        #expect(reconciler.overlaps.isEmpty)
    }

    @Test func twoElectorsOnOneLeaseHaveOneLeaderAndHandOver() async throws {
        let (server, client) = try startServer()
        defer { server.stop() }
        let timings = LeaderElectionTimings(leaseDuration: .seconds(2), renewDeadline: .milliseconds(1500), retryPeriod: .milliseconds(100))
        func elector(_ identity: String) -> LeaderElector {
            LeaderElector(client: client, configuration: .init(leaseName: "keeper", namespace: "default", identity: identity, timings: timings))
        }
        let a = elector("a")
        let b = elector("b")
        let tracker = LeadershipTracker()
        let runA = Task { await a.run(whileLeading: tracker.work("a")) }
        #expect(await eventually { a.isLeader })
        server.resetRequestCounts()
        let runB = Task { await b.run(whileLeading: tracker.work("b")) }
        // b has looked at the lease several times (a renews without reading) and not taken it.
        #expect(await eventually { server.requestCounts.get >= 3 })
        #expect(!b.isLeader)
        let held = try await client.get(Lease.self, namespace: "default", name: "keeper")
        #expect(held.spec?.holderIdentity == "a")
        #expect(held.spec?.leaseDurationSeconds == 2)
        #expect(held.spec?.renewTime != nil)

        runA.cancel()
        #expect(await runA.value == .cancelled)
        #expect(await eventually { b.isLeader })
        let taken = try await client.get(Lease.self, namespace: "default", name: "keeper")
        #expect(taken.spec?.holderIdentity == "b")
        #expect(taken.spec?.leaseTransitions == 1)
        #expect(!tracker.overlapped)
        // While leading, a renewal is one write and no read.
        server.resetRequestCounts()
        #expect(await eventually { server.requestCounts.update >= 2 })
        let counts = server.requestCounts
        #expect(counts.get == 0)
        runB.cancel()
        #expect(await runB.value == .cancelled)
        let released = try await client.get(Lease.self, namespace: "default", name: "keeper")
        #expect((released.spec?.holderIdentity ?? "") == "")
    }

    @Test func theEventRecorderAggregatesRepeats() async throws {
        let (server, client) = try startServer()
        defer { server.stop() }
        let cm = try await client.create(ConfigMap(metadata: ObjectMeta(name: "zk", namespace: "default")))
        let recorder = EventRecorder(client: client, component: "keeper")
        server.resetRequestCounts()
        for _ in 0..<3 {
            await recorder.record(.warning, reason: "InvalidSpec", message: "config key dataDir is owned by Keeper", about: cm)
        }
        await recorder.record(.normal, reason: "Created", message: "created the StatefulSet", about: cm)
        #expect(server.requestCounts.create == 2)
        #expect(server.requestCounts.patch == 2)
        let events = try await client.list(Event.self, namespace: "default").items
        #expect(events.count == 2)
        let invalid = events.first { $0.reason == "InvalidSpec" }
        #expect(invalid?.count == 3)
        #expect(invalid?.type == "Warning")
        #expect(invalid?.involvedObject?.kind == "ConfigMap")
        #expect(invalid?.involvedObject?.uid == cm.metadata.uid)
        #expect(invalid?.source?.component == "keeper")
        #expect(invalid?.reportingComponent == "keeper")
        #expect(invalid?.firstTimestamp != nil)
        #expect(invalid?.lastTimestamp != nil)
    }

    @Test func ownedObjectsWakeTheirOwnerThroughTheServer() async throws {
        let (server, client) = try startServer()
        defer { server.stop() }
        let owner = try await client.create(ConfigMap(metadata: ObjectMeta(name: "zk", namespace: "default")))
        let reconciler = RecordingReconciler()
        let loop = ControllerLoop(primary: Informer<ConfigMap>(client: client, namespaces: ["default"]), reconciler: reconciler,
                                  configuration: .init(name: "it", resyncPeriod: nil))
        loop.owns(Informer<Secret>(client: client, namespaces: ["default"], labelSelector: "app.kubernetes.io/managed-by=keeper"))
        let run = Task { await loop.run() }
        #expect(await eventually { reconciler.calls(of: "default/zk") == 1 })
        let reference = OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: "zk", uid: owner.metadata.uid ?? "", controller: true)
        _ = try await client.create(Secret(metadata: ObjectMeta(name: "zk-owned", namespace: "default",
                                                                labels: ["app.kubernetes.io/managed-by": "keeper"], ownerReferences: [reference])))
        #expect(await eventually { reconciler.calls(of: "default/zk") == 2 })
        // Outside the label selector: not watched, so no reconcile.
        _ = try await client.create(Secret(metadata: ObjectMeta(name: "zk-other", namespace: "default", ownerReferences: [reference])))
        // A later, watched Secret owned by another ConfigMap: once its owner is reconciled,
        // an event for zk-other would have been handled too.
        let marker = try await client.create(ConfigMap(metadata: ObjectMeta(name: "marker", namespace: "default")))
        #expect(await eventually { reconciler.calls(of: "default/marker") == 1 })
        let markerReference = OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: "marker", uid: marker.metadata.uid ?? "", controller: true)
        _ = try await client.create(Secret(metadata: ObjectMeta(name: "marker-owned", namespace: "default",
                                                                labels: ["app.kubernetes.io/managed-by": "keeper"], ownerReferences: [markerReference])))
        #expect(await eventually { reconciler.calls(of: "default/marker") == 2 })
        #expect(reconciler.calls(of: "default/zk") == 2)
        try await client.delete(Secret.self, namespace: "default", name: "zk-owned")
        #expect(await eventually { reconciler.calls(of: "default/zk") == 3 })
        run.cancel()
        await run.value
    }
}
