import Foundation
import KubeModel
import Testing
@testable import KubeSim

/// The Deployment and ReplicaSet controllers against kube-sim's API server (the test plays
/// the kubelet: it marks pods Running and Ready), and their planners without I/O.
@Suite struct DeploymentControllerTests {
    typealias F = SimFixtures

    static func deployment(_ name: String, replicas: Int, image: String = "keeper:0.1.0", strategy: JSONValue? = nil) -> JSONValue {
        var spec: JSONValue = ["replicas": .int(Int64(replicas)), "selector": ["matchLabels": ["app": .string(name)]],
                               "template": ["metadata": ["labels": ["app": .string(name)]],
                                            "spec": ["containers": [["name": "main", "image": .string(image)]]]]]
        if let strategy { spec["strategy"] = strategy }
        return ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name), "namespace": "default"], "spec": spec]
    }

    static func markAllRunning(_ server: APIServer, app: String) throws {
        for name in F.podNames(server, app: app) where F.pod(server, name)?[path: ["status", "phase"]] != "Running" {
            try F.markRunning(server, name)
        }
    }

    @Test func aDeploymentGetsAReplicaSetWithTheTemplateHashAndItsPods() async throws {
        let server = APIServer()
        _ = try server.storage.create(.deployments, Self.deployment("web", replicas: 2))
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "web").count == 2 })
        let deployment = try server.storage.get(.deployments, namespace: "default", name: "web")
        let sets = try server.storage.list(.replicaSets, namespace: "default")
        let set = try #require(sets.first)
        #expect(sets.count == 1)
        let hash = try #require(set[path: ["metadata", "labels", "pod-template-hash"]]?.stringValue)
        #expect(set[path: ["metadata", "name"]]?.stringValue == "web-\(hash)")
        #expect(set[path: ["spec", "selector", "matchLabels"]] == ["app": "web", "pod-template-hash": .string(hash)])
        #expect(set[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "1")
        #expect(set[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["uid"] == deployment[path: ["metadata", "uid"]])
        for name in F.podNames(server, app: "web") {
            let pod = try #require(F.pod(server, name))
            #expect(name.hasPrefix("web-\(hash)-") && name.count == "web-\(hash)-".count + 5)
            #expect(pod[path: ["metadata", "labels", "pod-template-hash"]]?.stringValue == hash)
            let owner = pod[path: ["metadata", "ownerReferences"]]?.arrayValue?.first
            #expect(owner?["kind"] == "ReplicaSet" && owner?["controller"] == true && owner?["uid"] == set[path: ["metadata", "uid"]])
        }
        try Self.markAllRunning(server, app: "web")
        #expect(await eventually(timeout: 30) {
            let status = (try? server.storage.get(.deployments, namespace: "default", name: "web"))?["status"]
            return status?["readyReplicas"] == 2 && status?["availableReplicas"] == 2 && status?["updatedReplicas"] == 2
                && status?["replicas"] == 2
                && (status?["conditions"]?.arrayValue ?? []).contains { $0["type"] == "Available" && $0["status"] == "True" }
        })
        let events = try server.storage.list(.events, namespace: "default").compactMap { $0["message"]?.stringValue }
        #expect(events.contains("Scaled up replica set web-\(hash) from 0 to 2"))
    }

    @Test func aDeletedPodIsReplacedAndScalingChangesThePodCount() async throws {
        let server = APIServer()
        _ = try server.storage.create(.deployments, Self.deployment("api", replicas: 2))
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "api").count == 2 })
        let first = try #require(F.podNames(server, app: "api").first)
        _ = try server.storage.delete(.pods, namespace: "default", name: first)
        #expect(await eventually(timeout: 30) {
            let names = F.podNames(server, app: "api")
            return names.count == 2 && !names.contains(first)
        })
        _ = try server.storage.patch(.deployments, namespace: "default", name: "api", mergePatch: ["spec": ["replicas": 3]])
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "api").count == 3 })
        _ = try server.storage.patch(.deployments, namespace: "default", name: "api", mergePatch: ["spec": ["replicas": 1]])
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "api").count == 1 })
        // Deleting the Deployment takes its ReplicaSet and pods (owner references, garbage collector).
        _ = try server.storage.delete(.deployments, namespace: "default", name: "api")
        #expect(await eventually(timeout: 30) {
            F.podNames(server, app: "api").isEmpty && ((try? server.storage.list(.replicaSets, namespace: "default")) ?? [1]).isEmpty
        })
    }

    @Test func aNewTemplateRollsOverToANewReplicaSet() async throws {
        let server = APIServer()
        _ = try server.storage.create(.deployments, Self.deployment("roll", replicas: 2))
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "roll").count == 2 })
        try Self.markAllRunning(server, app: "roll")
        _ = try server.storage.patch(.deployments, namespace: "default", name: "roll",
                                     mergePatch: ["spec": ["template": ["spec": ["containers": [["name": "main", "image": "keeper:0.2.0"]]]]]])
        // The kubelet's part, until the old ReplicaSet is empty and the new one has both pods.
        #expect(await eventually(timeout: 60) {
            try? Self.markAllRunning(server, app: "roll")
            let sets = (try? server.storage.list(.replicaSets, namespace: "default")) ?? []
            let new = sets.first { $0[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "2" }
            let old = sets.first { $0[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "1" }
            return new?[path: ["spec", "replicas"]] == 2 && old?[path: ["spec", "replicas"]] == 0
                && F.podNames(server, app: "roll").allSatisfy {
                    F.pod(server, $0)?[path: ["spec", "containers"]]?.arrayValue?.first?["image"] == "keeper:0.2.0"
                }
        })
        let deployment = try server.storage.get(.deployments, namespace: "default", name: "roll")
        #expect(deployment[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "2")
    }

    // MARK: Planners

    static func replicaSet(_ name: String, replicas: Int, available: Int, revision: Int, template: JSONValue, created: String) -> JSONValue {
        ["metadata": ["name": .string(name), "creationTimestamp": .string(created),
                      "annotations": ["deployment.kubernetes.io/revision": .string(String(revision)),
                                      "deployment.kubernetes.io/desired-replicas": "2", "deployment.kubernetes.io/max-replicas": "3"]],
         "spec": ["replicas": .int(Int64(replicas)), "template": template],
         "status": ["replicas": .int(Int64(replicas)), "availableReplicas": .int(Int64(available)), "readyReplicas": .int(Int64(available))]]
    }

    @Test func rollingUpdateOfTwoReplicasSurgesOneAndKeepsBothAvailable() throws {
        // 2 replicas at 25%/25%: maxSurge rounds up to 1, maxUnavailable down to 0.
        var deployment = Self.deployment("d", replicas: 2)
        deployment[path: ["spec", "strategy"]] = ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": "25%"]]
        #expect(DeploymentPlanner.fenceposts(deployment) == (1, 0))
        let oldTemplate: JSONValue = ["metadata": ["labels": ["app": "d", "pod-template-hash": "old"]],
                                      "spec": ["containers": [["name": "main", "image": "keeper:0.0.1"]]]]
        let old = Self.replicaSet("d-old", replicas: 2, available: 2, revision: 1, template: oldTemplate, created: "2024-01-01T00:00:00Z")
        let plan = DeploymentPlanner.plan(.init(deployment: deployment, replicaSets: [old]))
        guard case .createReplicaSet(let created)? = plan.first else {
            Issue.record("expected a new ReplicaSet first, got \(plan)")
            return
        }
        #expect(created[path: ["spec", "replicas"]] == 1, "one surge pod, no more")
        #expect(created[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "2")
        #expect(!plan.contains { if case .updateReplicaSet(let set, _, _) = $0 { set[path: ["metadata", "name"]] == "d-old" } else { false } },
                "no old pod goes while the new one is not available")

        // Once the new pod is available, one old pod goes.
        var new = DeploymentPlanner.ReplicaSet(object: created)
        new.object[path: ["metadata", "creationTimestamp"]] = "2024-01-02T00:00:00Z"
        new.object["status"] = ["replicas": 1, "availableReplicas": 1]
        let next = DeploymentPlanner.plan(.init(deployment: deployment, replicaSets: [old, new.object]))
        #expect(next.contains(.updateReplicaSet({ var o = old; o[path: ["spec", "replicas"]] = 1; return o }(), from: 2, to: 1)))
    }

    @Test func recreateScalesTheOldSetDownBeforeCreatingTheNewOne() {
        let deployment = Self.deployment("r", replicas: 2, strategy: ["type": "Recreate"])
        let oldTemplate: JSONValue = ["metadata": ["labels": ["app": "r", "pod-template-hash": "old"]], "spec": ["containers": []]]
        let old = Self.replicaSet("r-old", replicas: 2, available: 2, revision: 1, template: oldTemplate, created: "2024-01-01T00:00:00Z")
        let first = DeploymentPlanner.plan(.init(deployment: deployment, replicaSets: [old]))
        #expect(first.count == 1)
        #expect(first.allSatisfy { if case .updateReplicaSet(_, 2, 0) = $0 { true } else { false } })
        var emptied = old
        emptied[path: ["spec", "replicas"]] = 0
        emptied["status"] = ["replicas": 0]
        // Old pods still running: wait.
        #expect(DeploymentPlanner.plan(.init(deployment: deployment, replicaSets: [emptied], activePods: ["r-old": 1])) == [])
        let last = DeploymentPlanner.plan(.init(deployment: deployment, replicaSets: [emptied], activePods: ["r-old": 0]))
        #expect(last.contains { if case .createReplicaSet(let set) = $0 { set[path: ["spec", "replicas"]] == 2 } else { false } })
    }

    @Test func theReplicaSetDeletesTheLeastUsefulPodsFirst() {
        let set: JSONValue = ["metadata": ["name": "s"], "spec": ["replicas": 1, "template": ["metadata": ["labels": ["a": "b"]]]]]
        func pod(_ name: String, node: String?, phase: String, ready: Bool, created: String) -> JSONValue {
            var pod: JSONValue = ["metadata": ["name": .string(name), "creationTimestamp": .string(created)],
                                  "status": ["phase": .string(phase), "conditions": [["type": "Ready", "status": ready ? "True" : "False"]]]]
            if let node { pod[path: ["spec", "nodeName"]] = .string(node) }
            return pod
        }
        let pods = [pod("running-ready-old", node: "n", phase: "Running", ready: true, created: "2024-01-01T00:00:00Z"),
                    pod("running-ready-new", node: "n", phase: "Running", ready: true, created: "2024-01-02T00:00:00Z"),
                    pod("pending", node: "n", phase: "Pending", ready: false, created: "2024-01-01T00:00:00Z"),
                    pod("unscheduled", node: nil, phase: "Pending", ready: false, created: "2024-01-01T00:00:00Z")]
        #expect(ReplicaSetPlanner.plan(replicaSet: set, pods: pods) == [.deletePod("unscheduled"), .deletePod("pending"), .deletePod("running-ready-new")])
        let finished = pod("done", node: "n", phase: "Succeeded", ready: false, created: "2024-01-01T00:00:00Z")
        let plan = ReplicaSetPlanner.plan(replicaSet: ["metadata": ["name": "s"], "spec": ["replicas": 2]], pods: [finished, pods[0]])
        #expect(plan.count == 1, "a finished pod does not count: one more is created")
        #expect(ReplicaSetPlanner.status(replicaSet: set, pods: [finished, pods[0]], now: Date())["replicas"] == 1)
    }
}
