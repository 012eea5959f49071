import Foundation
@testable import Keeper
import KeeperTestSupport
import KubeClient
import KubeModel
import KubeSim
import Testing

/// `deploy/01-rbac.yaml` with one verb removed, Keeper run against it on kube-sim: the 403 it
/// gets is the one a real API server gives, and it shows where a user would look. And the
/// ClusterRole is Keeper's alone: another namespace's `default` ServiceAccount may not read
/// ZookeeperClusters. (Every other verb's 403 is shown by `KeeperRBACReplayTests`; `create`
/// on `pods/eviction` needs a rollout, so `KeeperPermissionsEndToEndTests` removes it.)
@Suite(.serialized) struct KeeperRBACOnKubeSimTests {
    typealias Harness = OperatorOnKubeSimTests.Harness
    static let forbiddenUser = "is forbidden: User \"\(KeeperInstallation.userName)\""

    @Test func withoutCreateOnServicesTheStatusQuotesThe403() async throws {
        let harness = try await Harness.start(editRBAC: KeeperRBAC.removing(.init(apiGroup: "", resource: "services", verb: "create")))
        defer { harness.stop() }
        let (_, running) = try harness.startOperator()
        defer { running.cancel() }
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: OperatorOnKubeSimTests.minimal)
        let expected = "services \"zk-headless\" \(Self.forbiddenUser) cannot create resource \"services\" in API group \"\" in the namespace \"default\""
        try await OperatorOnKubeSimTests.waitUntil("a condition quotes the 403") {
            try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status?.conditions?
                .contains { $0.type == "Degraded" && $0.status == "True" && $0.message.contains(expected) } == true
        }
        #expect(harness.refusedKeeperRequests.contains(expected))
        // The kinds it may still create are there; no Service is.
        #expect(try await harness.children().keys.sorted() == ["ConfigMap/zk-config", "PodDisruptionBudget/zk", "StatefulSet/zk"])
    }

    @Test func withoutUpdateOnTheStatusSubresourceNoStatusIsWritten() async throws {
        let harness = try await Harness.start(editRBAC: KeeperRBAC.removing(.init(apiGroup: "keeper.dev", resource: "zookeeperclusters/status", verb: "update")))
        defer { harness.stop() }
        let (_, running) = try harness.startOperator()
        defer { running.cancel() }
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: OperatorOnKubeSimTests.minimal)
        let expected = "zookeeperclusters.keeper.dev \"zk\" \(Self.forbiddenUser) cannot update resource \"zookeeperclusters/status\" in API group \"keeper.dev\" in the namespace \"default\""
        try await OperatorOnKubeSimTests.waitUntil("Keeper's status update is refused") { harness.refusedKeeperRequests.contains(expected) }
        // The children were written; the status, the only place Keeper reports, never is.
        #expect(try await harness.children().count == 5)
        #expect(try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status == nil)
    }

    @Test func anotherNamespacesDefaultServiceAccountCannotReadZookeeperClusters() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: OperatorOnKubeSimTests.minimal)
        // A new namespace gets its `default` ServiceAccount from the serviceaccounts controller,
        // as in a real cluster: wait for it rather than create it (which races the controller).
        _ = try await harness.client.create(.namespaces, namespace: nil, object: ["metadata": ["name": "other"]])
        try await OperatorOnKubeSimTests.waitUntil("namespace other has its default ServiceAccount") {
            (try? await harness.client.get(ServiceAccount.self, namespace: "other", name: "default")) != nil
        }
        let token = try harness.server.serviceAccountTokens.issue(namespace: "other", serviceAccount: "default")
        let other = try KubeClient.fromKubeconfig(harness.server.kubeconfigYAML(token: token))
        let user = "User \"system:serviceaccount:other:default\""
        let refusals: [(String, () async throws -> Void)] = [
            ("zookeeperclusters.keeper.dev is forbidden: \(user) cannot list resource \"zookeeperclusters\" in API group \"keeper.dev\" in the namespace \"other\"",
             { _ = try await other.list(ZookeeperCluster.self, namespace: "other") }),
            ("zookeeperclusters.keeper.dev is forbidden: \(user) cannot list resource \"zookeeperclusters\" in API group \"keeper.dev\" at the cluster scope",
             { _ = try await other.list(ZookeeperCluster.self, namespace: nil) }),
            ("zookeeperclusters.keeper.dev \"zk\" is forbidden: \(user) cannot get resource \"zookeeperclusters\" in API group \"keeper.dev\" in the namespace \"default\"",
             { _ = try await other.get(ZookeeperCluster.self, namespace: "default", name: "zk") }),
        ]
        for (expected, request) in refusals {
            let error = await #expect(throws: KubeError.self) { try await request() }
            #expect(error?.status?.code == 403)
            #expect(error?.status?.message == expected)
        }
        // kubectl shows the same words.
        let output = try harness.kubectl("--token", token, "get", "zookeeperclusters", "-n", "other")
        #expect(output.contains("Error from server (Forbidden): \(refusals[0].0)"), "\(output)")
    }
}
