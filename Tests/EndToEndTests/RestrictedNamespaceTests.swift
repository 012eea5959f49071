import Foundation
import Keeper
import KubeClient
import KubeModel
import Testing

/// A default ZookeeperCluster in a namespace that enforces the `restricted` Pod Security
/// Standard (issue 14, "Done when"): kube-sim admits its pods and its kubelet runs them.
@Suite(.serialized) struct RestrictedNamespaceTests {
    @Test(.enabled(if: Prerequisites.shouldRun, Prerequisites.skipReason), .timeLimit(.minutes(10)))
    func aDefaultClusterBecomesAvailableInARestrictedNamespace() async throws {
        try Prerequisites.require()
        try await EndToEndHarness.run { harness in
            _ = try await harness.client.create(.namespaces, namespace: nil, object: [
                "apiVersion": "v1", "kind": "Namespace",
                "metadata": ["name": "secure", "labels": ["pod-security.kubernetes.io/enforce": "restricted",
                                                          "pod-security.kubernetes.io/enforce-version": "v1.32"]],
            ])
            _ = try await harness.client.create(.zookeeperClusters, namespace: "secure", object: [
                "apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster", "metadata": ["name": "zk", "namespace": "secure"], "spec": ["replicas": 3],
            ])
            do {
                try await waitUntil("zk is Available with 3 ready members in the restricted namespace", timeout: .seconds(180)) {
                    let cluster = try await harness.cluster("zk", namespace: "secure")
                    return EndToEndHarness.condition(cluster, "Available") == "True" && cluster.status?.readyReplicas == 3
                }
            } catch {
                Issue.record("Keeper's last log lines:\n\(harness.operatorLog.tail)")
                throw error
            }
            let pod = try await harness.pod("zk-0", namespace: "secure")
            #expect(pod.spec?.securityContext?.seccompProfile?.type == "RuntimeDefault")
            #expect(pod.spec?.securityContext?.runAsNonRoot == true)
            let refused = try await harness.client.list(Event.self, namespace: "secure", options: ListOptions(fieldSelector: "reason=FailedCreate")).items
            #expect(refused.isEmpty, "\(refused.compactMap(\.message))")
        }
    }
}
