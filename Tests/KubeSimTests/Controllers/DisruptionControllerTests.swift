import Foundation
import KubeModel
import Testing
@testable import KubeSim

/// PodDisruptionBudget status with budgets whose selectors overlap: each counts exactly the
/// pods its whole selector matches (the controller narrows by its rarest label first).
@Suite struct DisruptionControllerTests {
    @Test func overlappingSelectorsCountOnlyTheirPods() async throws {
        let server = APIServer()
        for (name, cluster) in [("a-0", "a"), ("a-1", "a"), ("b-0", "b"), ("b-1", "b"), ("b-2", "b")] {
            _ = try server.storage.create(.pods, ["apiVersion": "v1", "kind": "Pod",
                                                  "metadata": ["name": .string(name), "namespace": "default",
                                                               "labels": ["app": "zk", "cluster": .string(cluster)]],
                                                  "spec": ["containers": [["name": "main", "image": "zookeeper:3.9.4"]]]])
        }
        let budgets: [(String, JSONValue, Int64)] = [
            ("a", ["matchLabels": ["app": "zk", "cluster": "a"]], 2),
            ("all", ["matchLabels": ["app": "zk"]], 5),
            ("b", ["matchExpressions": [["key": "cluster", "operator": "In", "values": ["b"]]]], 3),
            ("b-zk", ["matchLabels": ["app": "zk"], "matchExpressions": [["key": "cluster", "operator": "NotIn", "values": ["a"]]]], 3),
            ("none", ["matchLabels": ["app": "zk", "cluster": "c"]], 0),
        ]
        for (name, selector, _) in budgets {
            _ = try server.storage.create(.podDisruptionBudgets, ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                                                                   "metadata": ["name": .string(name), "namespace": "default"],
                                                                   "spec": ["maxUnavailable": 1, "selector": selector]])
        }
        for (name, _, expected) in budgets {
            #expect(await eventually(timeout: 30) {
                (try? server.storage.get(.podDisruptionBudgets, namespace: "default", name: name))?[path: ["status", "expectedPods"]] == .int(expected)
            }, "budget \(name)")
        }
    }

    /// `buildDisruptedPodMap`: an evicted pod stays in `disruptedPods` (and out of the healthy
    /// count) until the controller sees it being deleted, or for 2 minutes; a pod recreated
    /// under the same name after that counts again.
    @Test func anEvictedPodLeavesDisruptedPodsOnceSeenBeingDeleted() {
        let now = Date()
        func pod(_ name: String, deleting: Bool = false) -> JSONValue {
            var metadata: JSONValue = ["name": .string(name), "namespace": "default", "labels": ["app": "zk"]]
            if deleting { metadata["deletionTimestamp"] = .string(APIServer.timestamp(now)) }
            return ["metadata": metadata, "status": ["conditions": [["type": "Ready", "status": "True"]]]]
        }
        func budget(evictedSecondsAgo: TimeInterval) -> JSONValue {
            ["metadata": ["name": "zk", "generation": 1],
             "spec": ["maxUnavailable": 1, "selector": ["matchLabels": ["app": "zk"]]],
             "status": ["disruptedPods": ["zk-1": .string(APIServer.timestamp(now.addingTimeInterval(-evictedSecondsAgo)))]]]
        }
        let justEvicted = DisruptionController.status(for: budget(evictedSecondsAgo: 1), pods: [pod("zk-0"), pod("zk-1"), pod("zk-2")],
                                                      statefulSets: [], now: now)
        #expect(justEvicted["disruptedPods"]?["zk-1"] != nil)
        #expect(justEvicted["currentHealthy"] == 2 && justEvicted["disruptionsAllowed"] == 0)

        let deleting = DisruptionController.status(for: budget(evictedSecondsAgo: 1), pods: [pod("zk-0"), pod("zk-1", deleting: true), pod("zk-2")],
                                                   statefulSets: [], now: now)
        #expect(deleting["disruptedPods"] == nil, "seen being deleted: the entry is gone")
        #expect(deleting["currentHealthy"] == 2 && deleting["disruptionsAllowed"] == 0)

        var recreated = budget(evictedSecondsAgo: 1)
        recreated["status"] = deleting
        let back = DisruptionController.status(for: recreated, pods: [pod("zk-0"), pod("zk-1"), pod("zk-2")], statefulSets: [], now: now)
        #expect(back["currentHealthy"] == 3 && back["disruptionsAllowed"] == 1, "the new zk-1 counts once Ready")

        let neverDeleted = DisruptionController.status(for: budget(evictedSecondsAgo: 121), pods: [pod("zk-0"), pod("zk-1"), pod("zk-2")],
                                                       statefulSets: [], now: now)
        #expect(neverDeleted["disruptedPods"] == nil && neverDeleted["disruptionsAllowed"] == 1, "DeletionTimeout: 2 minutes")
    }
}
