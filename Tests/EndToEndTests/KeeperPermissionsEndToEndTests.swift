import Foundation
import KeeperTestSupport
import KubeClient
import KubeModel
import KubeSim
import Testing

/// Issue 11's RBAC test, asked of kube-sim instead of assumed: the `keeper` binary runs as its
/// ServiceAccount with leader election on, through the scenario that writes the most (a real
/// 3-member ensemble created, a child deleted twice and restored, a rolling restart by
/// eviction), and kube-sim's decision log must show no refusal of Keeper's and every verb of
/// `deploy/01-rbac.yaml` used by an allowed request. Then `create pods/eviction` is removed
/// from the live ClusterRole: the next rollout's status says the 403, and putting the verb
/// back lets it finish.
@Suite(.serialized) struct KeeperPermissionsEndToEndTests {
    static let name = "zp"
    static let manifest: JSONValue = ["apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster",
                                      "metadata": ["name": .string(name), "namespace": "default"],
                                      "spec": ["replicas": 3, "pod": ["jvmHeap": "128Mi"]]]

    @Test(.enabled(if: Prerequisites.shouldRun, Prerequisites.skipReason), .timeLimit(.minutes(15)))
    func keeperIsAllowedEverythingItDoesAndUsesEveryVerbItIsGranted() async throws {
        try Prerequisites.require()
        try await EndToEndHarness.run { harness in
            // The keeper binary, as users run it outside the cluster: its ServiceAccount's
            // token, leader election on (the Lease in keeper-system).
            await harness.stopOperator()
            harness.server.authorizationLog.reset()
            let keeper = try KeeperProcess.start(kubeconfigPath: harness.keeperKubeconfigPath,
                                                 arguments: ["--leader-elect", "--leader-election-namespace", KeeperInstallation.namespace],
                                                 log: harness.operatorLog)
            defer { keeper.kill() }
            do {
                try await runTheScenario(harness)
                try expectEveryRequestAllowedAndEveryVerbUsed(harness)
                try await aClusterRoleWithoutEvictionStopsTheRolloutWithThe403(harness)
            } catch {
                let conditions = (try? await harness.cluster(Self.name).status?.conditions) ?? []
                Issue.record("conditions: \(conditions.map { "\($0.type)=\($0.status) \($0.reason): \($0.message)" })")
                Issue.record("Keeper's last log lines:\n\(harness.operatorLog.tail)")
                throw error
            }
        }
    }

    /// Creates the ensemble, deletes its client Service twice (each restore records the same
    /// `Restored` Event, so the second is a patch of the first) and restarts every member.
    func runTheScenario(_ harness: EndToEndHarness) async throws {
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: Self.manifest)
        try await waitUntilConverged(harness, timeout: .seconds(240))
        for _ in 1...2 {
            let uid = try await harness.client.get(.services, namespace: "default", name: "\(Self.name)-client")[path: ["metadata", "uid"]]
            try await harness.client.delete(.services, namespace: "default", name: "\(Self.name)-client")
            try await waitUntil("Keeper restores the client Service", timeout: .seconds(60)) {
                try await harness.client.get(.services, namespace: "default", name: "\(Self.name)-client")[path: ["metadata", "uid"]] != uid
            }
        }
        try await aRollingRestart(harness)
        try await waitUntilConverged(harness, timeout: .seconds(360))
    }

    /// A restart annotation on the pod template: Keeper evicts every member in turn.
    func aRollingRestart(_ harness: EndToEndHarness) async throws {
        let patch: JSONValue = ["spec": ["pod": ["annotations": ["keeper.dev/restartedAt": .string(UUID().uuidString)]]]]
        _ = try await harness.client.patch(.zookeeperClusters, namespace: "default", name: Self.name, patch: .merge(patch))
        try await waitUntil("the rollout starts", timeout: .seconds(60)) {
            try await harness.cluster(Self.name).status?.members?.contains { !$0.upToDate } == true
        }
    }

    func waitUntilConverged(_ harness: EndToEndHarness, timeout: Duration) async throws {
        try await waitUntil("\(Self.name) has 3 ready, up-to-date members", timeout: timeout) {
            let cluster = try await harness.cluster(Self.name)
            guard let status = cluster.status, status.observedGeneration == cluster.metadata.generation else { return false }
            let members = status.members ?? []
            return EndToEndHarness.condition(cluster, "Available") == "True" && EndToEndHarness.condition(cluster, "Progressing") == "False"
                && members.count == 3 && members.allSatisfy { $0.ready && $0.upToDate }
        }
    }

    func expectEveryRequestAllowedAndEveryVerbUsed(_ harness: EndToEndHarness) throws {
        let records = harness.server.authorizationLog.records(of: KeeperInstallation.userName)
        #expect(harness.refusedKeeperRequests == [], "kube-sim refused requests of Keeper's")
        let allowed = records.filter(\.decision.isAllowed).map(\.attributes)
        for granted in try KeeperRBAC.grantedVerbs() {
            #expect(allowed.contains { KeeperRBAC.uses($0, granted) }, "deploy/01-rbac.yaml grants \(granted), which Keeper never used")
        }
        // The replay of KeeperRBACReplayTests runs on these requests' kinds.
        let recorded = KeeperRBAC.distinct(allowed)
        #expect(recorded.map(KeeperRBAC.RequestKind.init) == KeeperRBAC.distinct(KeeperRBAC.recordedRequests).map(KeeperRBAC.RequestKind.init),
                "Keeper's requests changed; KeeperRBAC.recordedRequests should be:\n\(KeeperRBAC.swiftLiteral(recorded))")
    }

    /// `create` on `pods/eviction` removed from the live ClusterRole (RBAC changes apply to the
    /// next request): the next rollout's eviction is refused and Keeper's status quotes the
    /// 403; with the verb back, the rollout completes.
    func aClusterRoleWithoutEvictionStopsTheRolloutWithThe403(_ harness: EndToEndHarness) async throws {
        let original = try await harness.client.get(.clusterRoles, namespace: nil, name: "keeper")
        var reduced = original
        KeeperRBAC.removing(.init(apiGroup: "", resource: "pods/eviction", verb: "create"))(&reduced)
        _ = try await harness.client.update(.clusterRoles, namespace: nil, name: "keeper", object: reduced)
        try await aRollingRestart(harness)
        let expected = "is forbidden: User \"\(KeeperInstallation.userName)\" cannot create resource \"pods/eviction\" in API group \"\" in the namespace \"default\""
        try await waitUntil("Keeper's status quotes the eviction's 403", timeout: .seconds(60)) {
            try await harness.cluster(Self.name).status?.conditions?.contains { $0.message.contains(expected) } == true
        }
        #expect(harness.refusedKeeperRequests.contains { $0.hasPrefix("pods \"\(Self.name)-") && $0.hasSuffix(expected) }, "\(harness.refusedKeeperRequests)")
        var restored = try await harness.client.get(.clusterRoles, namespace: nil, name: "keeper")
        restored["rules"] = original["rules"]
        _ = try await harness.client.update(.clusterRoles, namespace: nil, name: "keeper", object: restored)
        try await waitUntilConverged(harness, timeout: .seconds(360))
    }
}
