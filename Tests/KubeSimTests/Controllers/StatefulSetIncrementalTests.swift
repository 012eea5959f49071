import Foundation
import KubeModel
import Testing
@testable import KubeSim

/// The StatefulSet controller syncs only the sets a change concerns, reading each set's
/// objects through the store's controller index.
@Suite struct StatefulSetIncrementalTests {
    typealias F = SimFixtures

    private static func counts(_ server: APIServer) throws -> [ObjectKey: Int] {
        try #require(server.controllers.controller(StatefulSetController.self)).queue.syncCounts
    }

    private static func key(_ name: String) -> ObjectKey { ObjectKey(namespace: "default", name: name) }

    /// Two settled Parallel sets `a` and `b` with two Running pods each.
    private static func twoSettledSets() async throws -> APIServer {
        let server = APIServer()
        for name in ["a", "b"] {
            _ = try server.storage.create(.statefulSets, F.statefulSet(name, replicas: 2, podManagement: "Parallel", claims: false))
        }
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "a").count == 2 && F.podNames(server, app: "b").count == 2 })
        for name in ["a-0", "a-1", "b-0", "b-1"] { try F.markRunning(server, name) }
        #expect(await eventually(timeout: 30) {
            F.set(server, "a")?[path: ["status", "readyReplicas"]] == 2 && F.set(server, "b")?[path: ["status", "readyReplicas"]] == 2
        })
        F.settle(server)
        return server
    }

    @Test func aChangeToOnePodResyncsOnlyItsSet() async throws {
        let server = try await Self.twoSettledSets()
        let before = try Self.counts(server)
        try F.markRunning(server, "a-1", ready: false)
        #expect(await eventually(timeout: 30) { F.set(server, "a")?[path: ["status", "readyReplicas"]] == 1 })
        F.settle(server)
        let after = try Self.counts(server)
        #expect(after[Self.key("a"), default: 0] > before[Self.key("a"), default: 0])
        #expect(after[Self.key("b")] == before[Self.key("b")], "b's objects did not change")
        #expect(F.set(server, "b")?[path: ["status", "readyReplicas"]] == 2)
    }

    @Test func kickResyncsEverySet() async throws {
        let server = try await Self.twoSettledSets()
        let before = try Self.counts(server)
        let revision = server.store.revision
        server.controllers.kick()
        F.settle(server)
        let after = try Self.counts(server)
        #expect(after[Self.key("a"), default: 0] == before[Self.key("a"), default: 0] + 1)
        #expect(after[Self.key("b"), default: 0] == before[Self.key("b"), default: 0] + 1)
        #expect(server.store.revision == revision, "a settled pass writes nothing")
    }

    @Test func aDeletedPodIsRecreatedAndOnlyItsSetSynced() async throws {
        let server = try await Self.twoSettledSets()
        let uid = F.uid(F.pod(server, "b-0"))
        let before = try Self.counts(server)
        try server.storage.delete(.pods, namespace: "default", name: "b-0", gracePeriodSeconds: 0)
        #expect(await eventually(timeout: 30) { F.uid(F.pod(server, "b-0")).map { $0 != uid } == true })
        F.settle(server)
        #expect(try Self.counts(server)[Self.key("a")] == before[Self.key("a")])
    }

    @Test func anOrphanedPodIsNoLongerCountedByItsSet() async throws {
        let server = try await Self.twoSettledSets()
        // Dropping the owner reference releases the pod; the set stops counting it and,
        // with the name taken, cannot recreate it.
        _ = try server.storage.patch(.pods, namespace: "default", name: "a-1", mergePatch: ["metadata": ["ownerReferences": nil]])
        #expect(await eventually(timeout: 30) { F.set(server, "a")?[path: ["status", "replicas"]] == 1 })
        // Once the orphan is gone, the set recreates its pod.
        try server.storage.delete(.pods, namespace: "default", name: "a-1", gracePeriodSeconds: 0)
        #expect(await eventually(timeout: 30) {
            F.pod(server, "a-1")?[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["uid"] == F.set(server, "a")?[path: ["metadata", "uid"]]
        })
    }

    @Test func aDeletedClaimIsRecreatedForAPendingPod() async throws {
        let server = APIServer()
        _ = try server.storage.create(.statefulSets, F.statefulSet("c", replicas: 1))
        #expect(await eventually(timeout: 30) { F.pod(server, "c-0") != nil && F.claimNames(server) == ["data-c-0"] })
        F.settle(server)
        let claim = { try? server.storage.get(.persistentVolumeClaims, namespace: "default", name: "data-c-0") }
        let uid = try #require(F.uid(claim()))
        try server.storage.delete(.persistentVolumeClaims, namespace: "default", name: "data-c-0")
        #expect(await eventually(timeout: 30) { F.uid(claim()).map { $0 != uid } == true })
    }

    @Test func availabilityAfterMinReadySecondsNeedsNoOtherChange() async throws {
        let server = APIServer()
        var set = F.statefulSet("m", replicas: 1, claims: false)
        set[path: ["spec", "minReadySeconds"]] = 2
        _ = try server.storage.create(.statefulSets, set)
        #expect(await eventually(timeout: 30) { F.pod(server, "m-0") != nil })
        try F.markRunning(server, "m-0")
        #expect(await eventually(timeout: 30) { F.set(server, "m")?[path: ["status", "readyReplicas"]] == 1 })
        #expect(F.set(server, "m")?[path: ["status", "availableReplicas"]] == 0)
        #expect(await eventually(timeout: 30) { F.set(server, "m")?[path: ["status", "availableReplicas"]] == 1 })
    }

    @Test func controllerIndexFollowsOwnerReferences() throws {
        let store = ObjectStore(historyCapacity: 10)
        let owner: JSONValue = ["apiVersion": "apps/v1", "kind": "StatefulSet", "name": "x", "uid": "uid-x", "controller": true]
        let other: JSONValue = ["apiVersion": "apps/v1", "kind": "StatefulSet", "name": "y", "uid": "uid-y", "controller": false]
        func object(_ name: String, _ references: [JSONValue]) -> JSONValue {
            ["metadata": ["name": .string(name), "namespace": "default", "ownerReferences": .array(references)]]
        }
        func key(_ name: String) -> ObjectKey { ObjectKey(namespace: "default", name: name) }
        for (name, references) in [("p1", [owner]), ("p2", [other]), ("p0", [owner, other])] as [(String, [JSONValue])] {
            _ = try store.create("pods", key(name), object(name, references))
        }
        _ = try store.create("pods", ObjectKey(namespace: "elsewhere", name: "p9"), object("p9", [owner]))
        #expect(store.controlled("pods", namespace: "default", by: "uid-x").map(\.key.name) == ["p0", "p1"])
        #expect(store.controlled("pods", namespace: nil, by: "uid-x").map(\.key.description) == ["default/p0", "default/p1", "elsewhere/p9"])
        #expect(store.controlled("configmaps", namespace: "default", by: "uid-x").isEmpty)
        #expect(store.controlled("pods", namespace: "default", by: "uid-y").isEmpty, "not a controller reference")

        _ = try store.update("pods", key("p1"), object("p1", []), expectedRevision: nil)
        _ = try store.update("pods", key("p2"), object("p2", [owner]), expectedRevision: nil)
        _ = try store.delete("pods", key("p0"), expectedRevision: nil)
        #expect(store.controlled("pods", namespace: "default", by: "uid-x").map(\.key.name) == ["p2"])
        // The stored object, not the one of the index's last change.
        var changed = object("p2", [owner])
        changed["data"] = "new"
        _ = try store.update("pods", key("p2"), changed, expectedRevision: nil)
        #expect(store.controlled("pods", namespace: "default", by: "uid-x").first?.object["data"] == "new")
    }
}
