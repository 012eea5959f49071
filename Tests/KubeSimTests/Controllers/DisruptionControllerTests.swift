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
}
