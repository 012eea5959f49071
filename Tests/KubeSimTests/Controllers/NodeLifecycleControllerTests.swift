import Foundation
import KubeModel
import Synchronization
import Testing
@testable import KubeSim

@Suite struct NodeLifecycleControllerTests {
    typealias F = SimFixtures

    /// What a kubelet does every heartbeat: renew its Lease and post a Ready condition.
    private func heartbeat(_ server: APIServer, node: String) throws {
        let now = APIServer.microTimestamp()
        if var lease = try? server.storage.get(.leases, namespace: "kube-node-lease", name: node) {
            lease[path: ["spec", "renewTime"]] = .string(now)
            _ = try server.storage.update(.leases, lease)
        } else {
            _ = try server.storage.create(.leases, ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                                                    "metadata": ["name": .string(node), "namespace": "kube-node-lease"],
                                                    "spec": ["holderIdentity": .string(node), "leaseDurationSeconds": 40, "renewTime": .string(now)]])
        }
        var object = try server.storage.get(.nodes, name: node)
        object[path: ["status", "conditions"]] = [["type": "Ready", "status": "True", "reason": "KubeletReady",
                                                    "message": "kubelet is posting ready status",
                                                    "lastHeartbeatTime": .string(APIServer.timestamp()), "lastTransitionTime": "2026-01-01T00:00:00Z"]]
        _ = try server.storage.update(.nodes, object, subresource: "status")
    }

    private func readyCondition(_ server: APIServer, _ node: String) -> JSONValue? {
        (try? server.storage.get(.nodes, name: node)).flatMap { NodeLifecycleController.condition($0, "Ready") }
    }

    private func createNodeAndPod(_ server: APIServer) throws {
        _ = try server.storage.create(.nodes, ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "node-a"]])
        try heartbeat(server, node: "node-a")
        _ = try server.storage.create(.pods, ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "default"],
                                              "spec": ["nodeName": "node-a", "containers": [["name": "main", "image": "zookeeper:3.9.4"]]]])
        try F.markRunning(server, "p")
    }

    private func podReady(_ server: APIServer) -> JSONValue? {
        (F.pod(server, "p")?[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == "Ready" }?["status"]
    }

    private func taints(_ server: APIServer) -> [JSONValue] {
        (try? server.storage.get(.nodes, name: "node-a"))?[path: ["spec", "taints"]]?.arrayValue ?? []
    }

    /// A clock the test moves by hand.
    final class FakeClock: Sendable {
        private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func now() -> Date { current.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    @Test func gracePeriodCountsFromTheLastHeartbeatSeen() throws {
        let server = APIServer()
        try createNodeAndPod(server)
        let clock = FakeClock()
        let controller = NodeLifecycleController(gracePeriod: 40, clock: { clock.now() })
        controller.sync(server)
        clock.advance(30)
        try heartbeat(server, node: "node-a")
        controller.sync(server)
        clock.advance(35)
        controller.sync(server)
        #expect(readyCondition(server, "node-a")?["status"] == "True", "35 s since the last heartbeat is within the grace period")
        #expect(podReady(server) == "True")

        clock.advance(10)
        controller.sync(server)
        let condition = readyCondition(server, "node-a")
        #expect(condition?["status"] == "Unknown")
        #expect(condition?["reason"] == "NodeStatusUnknown" && condition?["message"] == "Kubelet stopped posting node status.")
        #expect(podReady(server) == "False")
        #expect(Set(taints(server).compactMap { $0["effect"]?.stringValue }) == ["NoSchedule", "NoExecute"])
        #expect(taints(server).allSatisfy { $0["key"] == "node.kubernetes.io/unreachable" })
        let settled = server.store.revision
        controller.sync(server)
        #expect(server.store.revision == settled, "an unchanged silent node is not written again")

        // The kubelet comes back: Ready again, taints gone.
        clock.advance(1)
        try heartbeat(server, node: "node-a")
        controller.sync(server)
        #expect(readyCondition(server, "node-a")?["status"] == "True")
        #expect(taints(server).isEmpty)
    }

    @Test func silentNodeGoesNotReadyInRealTime() async throws {
        let server = APIServer(configuration: .init(nodeMonitorGracePeriod: 0.5))
        try createNodeAndPod(server)
        #expect(await eventually(timeout: 20) { readyCondition(server, "node-a")?["status"] == "Unknown" })
        #expect(await eventually(timeout: 30) { podReady(server) == "False" })
    }
}
