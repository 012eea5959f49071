import Foundation
import Testing
@testable import Keeper
import KubeClient
import KubeModel
import KeeperTestSupport
import KubeSim
import ZooKeeperClient

/// Keeper against kube-sim's API server in-process: real HTTP, real watches, real
/// server-side apply; member roles come from a fake prober (no pods run here).
@Suite(.serialized) struct OperatorOnKubeSimTests {
    /// kube-sim with Keeper installed from `crds/` and `deploy/` (`KeeperInstallation`):
    /// `client` is the administrator (the test acting as a user), Keeper runs as its
    /// ServiceAccount, so RBAC holds it to `deploy/01-rbac.yaml`.
    struct Harness {
        let server: APIServer
        let client: KubeClient
        let installation: KeeperInstallation
        let kubeconfigPath: String

        static func start(editRBAC: @Sendable (inout JSONValue) -> Void = { _ in }) async throws -> Harness {
            let server = APIServer()
            try server.start()
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("keeper-kubeconfig-\(UUID().uuidString)").path
            try server.kubectlKubeconfigYAML().write(toFile: path, atomically: true, encoding: .utf8)
            let client = try KubeClient.fromKubeconfig(server.kubeconfigYAML())
            let installation = try await KeeperInstallation.install(on: server, editRBAC: editRBAC)
            try await waitUntil("the CRD is served") {
                (try? await client.list(ZookeeperCluster.self, namespace: "default")) != nil
            }
            return Harness(server: server, client: client, installation: installation, kubeconfigPath: path)
        }

        /// Keeper as the `keeper` ServiceAccount.
        func startOperator(resync: Duration = .seconds(300)) throws -> (KeeperOperator, Task<Bool, Never>) {
            let keeper = KeeperOperator(client: try installation.client(), options: .init(concurrency: 2, resyncPeriod: resync), prober: FakeProber(roles: [:]))
            return (keeper, Task { await keeper.run() })
        }

        /// The requests of Keeper's that kube-sim refused, as their 403 messages.
        var refusedKeeperRequests: [String] {
            server.authorizationLog.refused.filter { $0.user.name == KeeperInstallation.userName }.compactMap(\.forbiddenMessage)
        }

        func stop() {
            server.stop()
            try? FileManager.default.removeItem(atPath: kubeconfigPath)
        }

        func children(_ namespace: String = "default") async throws -> [String: JSONValue] {
            var result: [String: JSONValue] = [:]
            for (type, name) in [(ResourceType.services, "zk-headless"), (.services, "zk-client"), (.podDisruptionBudgets, "zk"), (.configMaps, "zk-config"), (.statefulSets, "zk")] {
                if var object = try? await client.get(type, namespace: namespace, name: name) {
                    object = Self.withoutControllerWrites(object)
                    result["\(type.kind)/\(name)"] = object
                }
            }
            return result
        }

        /// A child without what kube-sim's controllers (not Keeper) write: the status of the
        /// StatefulSet and the PDB, their managedFields entries, and the resourceVersion those bump.
        static func withoutControllerWrites(_ object: JSONValue) -> JSONValue {
            var object = object
            object["status"] = nil
            object[path: ["metadata", "resourceVersion"]] = nil
            if let fields = object[path: ["metadata", "managedFields"]]?.arrayValue {
                object[path: ["metadata", "managedFields"]] = .array(fields.filter { $0["manager"] != "kube-controller-manager" })
            }
            return object
        }

        func kubectl(_ arguments: String...) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/kubectl")
            process.arguments = ["--kubeconfig", kubeconfigPath] + arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
    }

    static func waitUntil(_ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }

    static let minimal: JSONValue = ["apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster", "metadata": ["name": "zk", "namespace": "default"], "spec": [:]]

    @Test func aClusterGetsItsChildrenAndAConvergedOneCostsNoWrites() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        let (keeper, running) = try harness.startOperator(resync: .milliseconds(200))
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: Self.minimal)
        try await Self.waitUntil("the five children exist") { try await harness.children().count == 5 }
        try await Self.waitUntil("the status is written") {
            try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status?.observedGeneration == 1
        }
        let cluster = try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk")
        let children = try await harness.children()
        for (name, child) in children {
            #expect(child[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["uid"] == .string(cluster.metadata.uid ?? ""), "\(name)")
            #expect(child[path: ["metadata", "labels", "app.kubernetes.io/managed-by"]] == "keeper", "\(name)")
        }
        #expect(children["StatefulSet/zk"]?[path: ["spec", "updateStrategy", "type"]] == "OnDelete")
        #expect(children["Service/zk-headless"]?[path: ["spec", "publishNotReadyAddresses"]] == true)
        #expect(children["PodDisruptionBudget/zk"]?[path: ["spec", "maxUnavailable"]] == 1)

        // kube-sim's StatefulSet controller creates the three pods; Keeper reports them as members.
        try await Self.waitUntil("the three members are reported") {
            try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status?.replicas == 3
        }

        // A reconcile storm: resyncs every 200 ms and unrelated events.
        try await Task.sleep(for: .milliseconds(500))
        harness.server.resetRequestCounts()
        let resyncsBefore = keeper.loop.metrics.resyncs
        let reconcilesBefore = keeper.loop.metrics.reconciles
        _ = try await harness.client.create(.configMaps, namespace: "default", object: ["metadata": ["name": "unrelated"], "data": ["a": "b"]])
        try await Self.waitUntil("five resyncs ran") {
            keeper.loop.metrics.resyncs >= resyncsBefore + 5 && keeper.loop.metrics.reconciles >= reconcilesBefore + 5
        }
        #expect(harness.server.requestCounts.writes == 1, "only the test's own create: \(harness.server.requestCounts)")

        running.cancel()
        #expect(await running.value)
    }

    @Test func deletedAndEditedChildrenAreRestoredAndOthersLabelsSurvive() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        let (_, running) = try harness.startOperator()
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: Self.minimal)
        try await Self.waitUntil("the five children exist") { try await harness.children().count == 5 }

        _ = try harness.kubectl("label", "statefulset", "zk", "backup=nightly")
        try await harness.client.delete(.podDisruptionBudgets, namespace: "default", name: "zk")
        _ = try await harness.client.patch(.services, namespace: "default", name: "zk-client",
                                           patch: .json([["op": "replace", "path": "/spec/ports/0/port", "value": 9999]]))
        try await Self.waitUntil("the PDB is back and the port restored") {
            let ports = try await harness.client.get(Service.self, namespace: "default", name: "zk-client").spec?.ports?.map(\.port)
            let budget = try? await harness.client.get(PodDisruptionBudget.self, namespace: "default", name: "zk")
            return ports == [2181] && budget != nil
        }
        let set = try await harness.client.get(StatefulSet.self, namespace: "default", name: "zk")
        #expect(set.metadata.labels?["backup"] == "nightly")

        // kubectl sees the printer columns and scales through the scale subresource.
        try await Self.waitUntil("the status names the version") {
            try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status?.version != nil
        }
        let table = try harness.kubectl("get", "zk")
        #expect(table.contains("REPLICAS") && table.contains("LEADER") && table.contains("VERSION") && table.contains("3.9.4"), "\(table)")
        _ = try harness.kubectl("scale", "zk/zk", "--replicas=5")
        try await Self.waitUntil("the cluster wants 5 replicas") {
            try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").spec.replicas == 5
        }
        // No server runs here (no kubelet), so no committed configuration says the ensemble can
        // grow: the StatefulSet stays as it is rather than starting members blindly.
        try await Self.waitUntil("Keeper has seen the new generation") {
            try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status?.observedGeneration == 2
        }
        #expect(try await harness.client.get(StatefulSet.self, namespace: "default", name: "zk").spec?.replicas == 3)
        running.cancel()
        _ = await running.value
    }

    @Test func anInvalidSpecLeavesChildrenUntouchedAndARestartWritesNothing() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        var (_, running) = try harness.startOperator()
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: Self.minimal)
        try await Self.waitUntil("the five children exist") { try await harness.children().count == 5 }
        // kube-sim's StatefulSet controller creates the pods; Keeper settles once it reports them.
        try await Self.waitUntil("the three members are reported") {
            try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status?.replicas == 3
        }
        let before = try await harness.children()

        _ = try await harness.client.patch(.zookeeperClusters, namespace: "default", name: "zk",
                                           patch: .merge(["spec": ["image": "zookeeper", "config": ["server.1": "evil:1:2"], "storage": ["size": "ten gigs"]]]))
        try await Self.waitUntil("Degraded is InvalidSpec") {
            try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status?.condition("Degraded")?.reason == "InvalidSpec"
        }
        let degraded = try #require(try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status?.condition("Degraded"))
        #expect(degraded.message.contains("spec.image: \"zookeeper\" has no tag"))
        #expect(degraded.message.contains("spec.config: key \"server.1\" is managed by Keeper"))
        #expect(degraded.message.contains("spec.storage.size: \"ten gigs\" is not a quantity"))
        try await Self.waitUntil("a Warning Event says why") {
            let events = try await harness.client.list(Event.self, namespace: "default").items
            return events.contains { $0.type == "Warning" && $0.reason == "InvalidSpec" && $0.message == degraded.message }
        }
        #expect(try await harness.children() == before)

        // Keeper restarts: nothing to write.
        running.cancel()
        _ = await running.value
        harness.server.resetRequestCounts()
        let restarted: KeeperOperator
        (restarted, running) = try harness.startOperator()
        // The restarted operator has synced its caches and reconciled the cluster.
        try await Self.waitUntil("the restarted operator reconciled") {
            restarted.loop.hasSynced && restarted.loop.metrics.reconciles >= 1
        }
        #expect(harness.server.requestCounts.writes == 0, "\(harness.server.requestCounts)")
        #expect(try await harness.children() == before)

        // Fixing the spec clears the condition.
        _ = try await harness.client.patch(.zookeeperClusters, namespace: "default", name: "zk",
                                           patch: .merge(["spec": ["image": "zookeeper:3.9.4", "config": nil, "storage": ["size": "10Gi"]]]))
        try await Self.waitUntil("Degraded clears") {
            try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status?.condition("Degraded")?.status == "False"
        }
        running.cancel()
        _ = await running.value
    }
}
