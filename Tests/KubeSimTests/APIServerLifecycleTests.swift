import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct APIServerLifecycleTests {
    private func owned(_ name: String, by owner: JSONValue, blocking: Bool = true) -> JSONValue {
        ["metadata": ["name": .string(name), "ownerReferences": [[
            "apiVersion": "v1", "kind": "ConfigMap", "name": owner[path: ["metadata", "name"]] ?? "",
            "uid": owner[path: ["metadata", "uid"]] ?? "", "controller": true, "blockOwnerDeletion": .bool(blocking),
        ]]]]
    }

    private func exists(_ server: APIServer, _ name: String) -> Bool {
        (try? server.storage.get(.configMaps, namespace: "default", name: name)) != nil
    }

    @Test func backgroundDeletionCollectsDependents() async throws {
        let server = APIServer()
        let owner = try server.storage.create(.configMaps, ["metadata": ["name": "owner"]])
        _ = try server.storage.create(.configMaps, owned("child", by: owner))
        try server.storage.delete(.configMaps, namespace: "default", name: "owner")
        #expect(!exists(server, "owner"))
        #expect(await eventually { !exists(server, "child") })
    }

    @Test func dependentWithAnotherLiveOwnerLosesOnlyTheDeadReference() async throws {
        let server = APIServer()
        let first = try server.storage.create(.configMaps, ["metadata": ["name": "first"]])
        let second = try server.storage.create(.configMaps, ["metadata": ["name": "second"]])
        var child = owned("child", by: first)
        var references = child[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
        references.append(["apiVersion": "v1", "kind": "ConfigMap", "name": "second", "uid": second[path: ["metadata", "uid"]] ?? ""])
        child[path: ["metadata", "ownerReferences"]] = .array(references)
        _ = try server.storage.create(.configMaps, child)
        try server.storage.delete(.configMaps, namespace: "default", name: "first")
        #expect(await eventually {
            let live = try? server.storage.get(.configMaps, namespace: "default", name: "child")
            return live?[path: ["metadata", "ownerReferences"]]?.arrayValue?.count == 1
        })
    }

    @Test func foregroundDeletionWaitsForBlockingDependents() async throws {
        let server = APIServer()
        let owner = try server.storage.create(.configMaps, ["metadata": ["name": "owner"]])
        var child = owned("child", by: owner)
        child[path: ["metadata", "finalizers"]] = ["example.com/hold"]
        _ = try server.storage.create(.configMaps, child)
        let marked = try server.storage.delete(.configMaps, namespace: "default", name: "owner", propagationPolicy: "Foreground")
        #expect(marked[path: ["metadata", "deletionTimestamp"]] != nil)
        #expect(marked[path: ["metadata", "finalizers"]] == ["foregroundDeletion"])
        // The child is being deleted but held by its own finalizer, so the owner stays.
        #expect(await eventually { (try? server.storage.get(.configMaps, namespace: "default", name: "child"))?[path: ["metadata", "deletionTimestamp"]] != nil })
        #expect(exists(server, "owner"))
        _ = try server.storage.patch(.configMaps, namespace: "default", name: "child", mergePatch: ["metadata": ["finalizers": nil]])
        #expect(await eventually { !exists(server, "child") && !exists(server, "owner") })
    }

    @Test func orphanDeletionKeepsDependents() async throws {
        let server = APIServer()
        let owner = try server.storage.create(.configMaps, ["metadata": ["name": "owner"]])
        _ = try server.storage.create(.configMaps, owned("child", by: owner))
        try server.storage.delete(.configMaps, namespace: "default", name: "owner", propagationPolicy: "Orphan")
        #expect(await eventually { !exists(server, "owner") })
        let child = try server.storage.get(.configMaps, namespace: "default", name: "child")
        #expect(child[path: ["metadata", "ownerReferences"]] == nil)
    }

    @Test func finalizersHoldAnObjectUntilRemoved() async throws {
        let server = APIServer()
        _ = try server.storage.create(.configMaps, ["metadata": ["name": "held", "finalizers": ["example.com/x"]]])
        let deleting = try server.storage.delete(.configMaps, namespace: "default", name: "held")
        #expect(deleting[path: ["metadata", "deletionTimestamp"]] != nil)
        #expect(exists(server, "held"))
        _ = try server.storage.patch(.configMaps, namespace: "default", name: "held", mergePatch: ["metadata": ["finalizers": []]])
        #expect(!exists(server, "held"))
    }

    @Test func namespaceDeletionEmptiesThenRemovesIt() async throws {
        let server = APIServer()
        _ = try server.storage.create(.namespaces, ["metadata": ["name": "doomed"]])
        _ = try server.storage.create(.configMaps, ["metadata": ["name": "inside", "namespace": "doomed"]])
        let terminating = try server.storage.delete(.namespaces, name: "doomed")
        #expect(terminating[path: ["status", "phase"]] == "Terminating")
        #expect(await eventually { (try? server.storage.get(.namespaces, name: "doomed")) == nil })
        #expect(try server.storage.list(.configMaps, namespace: "doomed").isEmpty)
    }

    private func readyPod(_ name: String, ready: Bool) -> JSONValue {
        ["metadata": ["name": .string(name), "labels": ["app": "zk"]],
         "spec": ["containers": [["name": "zk", "image": "zookeeper:3.9.4"]]],
         "status": ["phase": "Running", "conditions": [["type": "Ready", "status": .string(ready ? "True" : "False")]]]]
    }

    @Test func evictionHonoursThePodDisruptionBudget() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let http = TestHTTP(server: server)
        for (name, ready) in [("zk-0", true), ("zk-1", true), ("zk-2", false)] {
            _ = try server.storage.create(.pods, readyPod(name, ready: ready))
            // Pod status is written through /status, as the kubelet does.
            _ = try server.storage.update(.pods, try server.storage.get(.pods, namespace: "default", name: name).merging(status: readyPod(name, ready: ready)["status"]), subresource: "status")
        }
        _ = try server.storage.create(.podDisruptionBudgets, ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                                                               "metadata": ["name": "zk"], "spec": ["maxUnavailable": 1, "selector": ["matchLabels": ["app": "zk"]]]])
        #expect(await eventually {
            (try? server.storage.get(.podDisruptionBudgets, namespace: "default", name: "zk"))?[path: ["status", "expectedPods"]] == 3
        })
        let eviction: JSONValue = ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "zk-0", "namespace": "default"]]
        let refused = try await http.post("/api/v1/namespaces/default/pods/zk-0/eviction", eviction)
        #expect(refused.status == 429)
        #expect(refused.body["message"] == "Cannot evict pod as it would violate the pod's disruption budget.")
        #expect(refused.body[path: ["details", "causes"]]?.arrayValue?.first?["message"] == "The disruption budget zk needs 2 healthy pods and has 2 currently")
        _ = try server.storage.update(.pods, try server.storage.get(.pods, namespace: "default", name: "zk-2").merging(status: readyPod("zk-2", ready: true)["status"]), subresource: "status")
        #expect(await eventually {
            (try? server.storage.get(.podDisruptionBudgets, namespace: "default", name: "zk"))?[path: ["status", "disruptionsAllowed"]] == 1
        })
        let allowed = try await http.post("/api/v1/namespaces/default/pods/zk-0/eviction", eviction)
        #expect(allowed.status == 201)
        #expect(allowed.body["status"] == "Success")
        #expect((try? server.storage.get(.pods, namespace: "default", name: "zk-0")) == nil)
    }

    /// `eviction.go`: a pod that is not Ready may be evicted without consuming a disruption
    /// when the budget is met without it (the default `IfHealthyBudget`), while a Ready pod of
    /// the same budget is refused.
    @Test func anUnreadyPodIsEvictedWhenTheBudgetIsMetWithoutIt() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let http = TestHTTP(server: server)
        for (name, ready) in [("zk-0", true), ("zk-1", true), ("zk-2", false)] {
            _ = try server.storage.create(.pods, readyPod(name, ready: ready))
            _ = try server.storage.update(.pods, try server.storage.get(.pods, namespace: "default", name: name).merging(status: readyPod(name, ready: ready)["status"]), subresource: "status")
        }
        _ = try server.storage.create(.podDisruptionBudgets, ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                                                               "metadata": ["name": "zk"], "spec": ["maxUnavailable": 1, "selector": ["matchLabels": ["app": "zk"]]]])
        #expect(await eventually {
            (try? server.storage.get(.podDisruptionBudgets, namespace: "default", name: "zk"))?[path: ["status", "currentHealthy"]] == 2
        })
        func evict(_ name: String) async throws -> Int {
            try await http.post("/api/v1/namespaces/default/pods/\(name)/eviction",
                                ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": .string(name), "namespace": "default"]]).status
        }
        #expect(try await evict("zk-0") == 429)
        #expect(try await evict("zk-2") == 201)
        #expect(try server.storage.get(.podDisruptionBudgets, namespace: "default", name: "zk")[path: ["status", "disruptedPods"]] == nil,
                "no disruption consumed")
    }

    @Test func podOnANodeIsDeletedGracefully() throws {
        let server = APIServer()
        var pod = readyPod("p", ready: true)
        pod[path: ["spec", "nodeName"]] = "node-1"
        _ = try server.storage.create(.pods, pod)
        let deleting = try server.storage.delete(.pods, namespace: "default", name: "p")
        #expect(deleting[path: ["metadata", "deletionGracePeriodSeconds"]] == 30)
        #expect((try? server.storage.get(.pods, namespace: "default", name: "p")) != nil)
        try server.storage.delete(.pods, namespace: "default", name: "p", gracePeriodSeconds: 0)
        #expect((try? server.storage.get(.pods, namespace: "default", name: "p")) == nil)
    }
}

extension JSONValue {
    func merging(status: JSONValue?) -> JSONValue {
        var copy = self
        copy["status"] = status
        return copy
    }
}
