import Foundation
import Testing
@testable import Keeper
import KubeClient
import KubeModel
import KubeSim

/// Keeper's member pods under kube-sim's Pod Security and ResourceQuota admission (no
/// kubelet: the pods are created, not run), and the status saying why pods are missing.
@Suite(.serialized) struct PodAdmissionOnKubeSimTests {
    typealias Harness = OperatorOnKubeSimTests.Harness

    static func cluster(namespace: String, pod: JSONValue = [:]) -> JSONValue {
        ["apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster", "metadata": ["name": "zk", "namespace": .string(namespace)],
         "spec": ["pod": pod]]
    }

    static func restrictedNamespace(_ harness: Harness, _ name: String) async throws {
        _ = try await harness.client.create(.namespaces, namespace: nil, object: [
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": ["name": .string(name), "labels": ["pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/warn": "restricted"]],
        ])
    }

    func progressing(_ harness: Harness, _ namespace: String) async throws -> Condition? {
        try await harness.client.get(ZookeeperCluster.self, namespace: namespace, name: "zk").status?.condition("Progressing")
    }

    /// Keeper's pod template, persistent or ephemeral, passes `restricted` as kube-sim checks it.
    @Test(arguments: [false, true]) func theTemplateMeetsRestricted(ephemeral: Bool) throws {
        var spec = ZookeeperClusterSpec()
        if ephemeral { spec.storage = StorageSpec(ephemeral: true) }
        let template = try #require(StatefulSetBuilder.build(Fixtures.cluster(spec: spec)).spec?.template)
        let violations = PodSecurityEvaluator.evaluate(.restricted, pod: try JSONValue(encoding: template))
        #expect(violations.isEmpty, "\(PodSecurityEvaluator.forbiddenDetail(violations))")
    }

    @Test func defaultPodsAreAdmittedInARestrictedNamespace() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        let (_, running) = try harness.startOperator()
        try await Self.restrictedNamespace(harness, "secure")
        _ = try await harness.client.create(.zookeeperClusters, namespace: "secure", object: Self.cluster(namespace: "secure"))
        try await OperatorOnKubeSimTests.waitUntil("the three member pods exist") {
            try await harness.client.list(Pod.self, namespace: "secure").items.count == 3
        }
        let failures = try await harness.client.list(Event.self, namespace: "secure", options: ListOptions(fieldSelector: "reason=FailedCreate")).items
        #expect(failures.isEmpty, "\(failures.map(\.message))")
        running.cancel()
        _ = await running.value
    }

    @Test func anOverrideThatBreaksRestrictedShowsTheViolation() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        let (_, running) = try harness.startOperator()
        try await Self.restrictedNamespace(harness, "secure")
        // The user's own pod security context replaces Keeper's: no seccomp profile, no runAsNonRoot.
        _ = try await harness.client.create(.zookeeperClusters, namespace: "secure",
                                            object: Self.cluster(namespace: "secure", pod: ["securityContext": ["runAsUser": 1000, "fsGroup": 1000]]))
        let violation = #"pods "zk-0" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true (pod or container "zookeeper" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "zookeeper" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")"#
        try await OperatorOnKubeSimTests.waitUntil("Progressing names the violation") {
            let condition = try await progressing(harness, "secure")
            return condition?.reason == "FailedCreate" && condition?.message.hasSuffix("create Pod zk-0 in StatefulSet zk failed error: " + violation) == true
        }
        try await OperatorOnKubeSimTests.waitUntil("a Warning Event on the cluster says why") {
            try await harness.client.list(Event.self, namespace: "secure").items.contains {
                $0.involvedObject?.kind == "ZookeeperCluster" && $0.type == "Warning" && $0.reason == "FailedCreate" && $0.message?.hasSuffix(violation) == true
            }
        }
        #expect(try await harness.client.list(Pod.self, namespace: "secure").items.isEmpty)

        // Dropping the override brings Keeper's restricted defaults back, and the pods come.
        _ = try await harness.client.patch(.zookeeperClusters, namespace: "secure", name: "zk", patch: .merge(["spec": ["pod": ["securityContext": nil]]]))
        try await OperatorOnKubeSimTests.waitUntil("the pods exist and Progressing moves on", timeout: .seconds(30)) {
            let pods = try await harness.client.list(Pod.self, namespace: "secure").items.count
            let reason = try await progressing(harness, "secure")?.reason
            return pods == 3 && reason != "FailedCreate"
        }
        running.cancel()
        _ = await running.value
    }

    @Test func aQuotaThatForbidsTheThirdPodShowsExceededQuota() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        let (_, running) = try harness.startOperator()
        _ = try await harness.client.create(.resourceQuotas, namespace: "default", object: [
            "apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "two-pods"], "spec": ["hard": ["count/pods": "2"]],
        ])
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: Self.cluster(namespace: "default"))
        try await OperatorOnKubeSimTests.waitUntil("Progressing says the quota is exceeded") {
            let condition = try await progressing(harness, "default")
            return condition?.reason == "FailedCreate"
                && condition?.message.contains(#"pods "zk-2" is forbidden: exceeded quota: two-pods, requested: count/pods=1, used: count/pods=2, limited: count/pods=2"#) == true
        }
        #expect(try await harness.client.list(Pod.self, namespace: "default").items.count == 2)
        running.cancel()
        _ = await running.value
    }
}
