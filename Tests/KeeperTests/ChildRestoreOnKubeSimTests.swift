import Foundation
import Testing
@testable import Keeper
import KubeClient
import KubeModel
import KubeSim

/// Someone edits or re-keys a list entry of each child Keeper writes with
/// `kubectl patch --type json`; Keeper puts it back on kube-sim, which validates built-in
/// objects as kube-apiserver does (so server-side apply's merge of kubectl's entry and
/// Keeper's is refused as on a real server).
@Suite(.serialized) struct ChildRestoreOnKubeSimTests {
    typealias Harness = OperatorOnKubeSimTests.Harness

    /// The issue's observation on a real v1.32 server, reproduced: after kubectl re-keys the
    /// client port, a plain server-side apply of Keeper's Service is refused.
    @Test func anApplyOverARekeyedPortIsRefusedAsOnARealServer() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        let service = Service(metadata: ObjectMeta(name: "zk-client", namespace: "default"),
                              spec: ServiceSpec(type: "ClusterIP", selector: ["app": "zk"], ports: [ServicePort(name: "client", port: 2181, targetPort: .int(2181))]))
        _ = try await harness.client.apply(service, fieldManager: "keeper")
        let patched = try harness.kubectl("patch", "svc", "zk-client", "--type", "json", "-p", #"[{"op":"replace","path":"/spec/ports/0/port","value":9999}]"#)
        #expect(patched.contains("patched"), "\(patched)")
        do {
            _ = try await harness.client.apply(service, fieldManager: "keeper")
            Issue.record("the apply was accepted")
        } catch let error as KubeError {
            #expect(error.status?.code == 422)
            #expect(error.status?.message == #"Service "zk-client" is invalid: spec.ports[1].name: Duplicate value: "client""#)
        }
    }

    /// One edit per kind Keeper writes; each would make a plain apply fail or keep the edit.
    @Test func keeperRestoresEditedAndRekeyedEntriesOfEveryChild() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        let (_, running) = try harness.startOperator(resync: .seconds(1))
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: OperatorOnKubeSimTests.minimal)
        try await OperatorOnKubeSimTests.waitUntil("the five children exist") { try await harness.children().count == 5 }
        let config = try await harness.client.get(ConfigMap.self, namespace: "default", name: "zk-config")

        let edits: [[String]] = [
            ["svc", "zk-client", #"[{"op":"replace","path":"/spec/ports/0/port","value":9999}]"#],
            ["svc", "zk-headless", #"[{"op":"replace","path":"/spec/ports/1/port","value":2889}]"#],
            ["statefulset", "zk", #"[{"op":"replace","path":"/spec/template/spec/containers/0/ports/0/containerPort","value":9999}]"#],
            ["pdb", "zk", #"[{"op":"replace","path":"/spec/maxUnavailable","value":2}]"#],
            ["configmap", "zk-config", #"[{"op":"replace","path":"/data/zoo.cfg","value":"tickTime=1"}]"#],
        ]
        for edit in edits {
            let output = try harness.kubectl("patch", edit[0], edit[1], "--type", "json", "-p", edit[2])
            #expect(output.contains("patched"), "\(edit): \(output)")
        }
        try await OperatorOnKubeSimTests.waitUntil("every edit is undone", timeout: .seconds(30)) {
            let client = try await harness.client.get(Service.self, namespace: "default", name: "zk-client").spec?.ports?.map(\.port)
            let headless = try await harness.client.get(Service.self, namespace: "default", name: "zk-headless").spec?.ports?.map(\.port)
            let set = try await harness.client.get(StatefulSet.self, namespace: "default", name: "zk")
            let containerPorts = set.spec?.template?.spec?.containers?.first?.ports?.map(\.containerPort)
            let budget = try await harness.client.get(PodDisruptionBudget.self, namespace: "default", name: "zk").spec?.maxUnavailable
            let data = try await harness.client.get(ConfigMap.self, namespace: "default", name: "zk-config").data
            return client == [2181] && headless == [2181, 2888, 3888] && containerPorts == [2181, 2888, 3888]
                && budget == .int(1) && data == config.data
        }
        try await OperatorOnKubeSimTests.waitUntil("Degraded is False") {
            try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status?.condition("Degraded")?.status == "False"
        }
        running.cancel()
        _ = await running.value
    }

    /// kube-sim refuses a change of the StatefulSet's storage as kube-apiserver does
    /// (`ValidateStatefulSetUpdate`), so Keeper keeping the live claim templates is what lets
    /// its other StatefulSet changes through; the refused change is reported.
    @Test func storageChangesAreNotAppliedToTheExistingStatefulSet() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        let (_, running) = try harness.startOperator()
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: OperatorOnKubeSimTests.minimal)
        try await OperatorOnKubeSimTests.waitUntil("the five children exist") { try await harness.children().count == 5 }
        let refused = try harness.kubectl("patch", "statefulset", "zk", "--type", "json", "-p",
                                          #"[{"op":"replace","path":"/spec/volumeClaimTemplates/0/spec/resources/requests/storage","value":"20Gi"}]"#)
        #expect(refused.contains(#"The StatefulSet "zk" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"#), "\(refused)")

        let hashBefore = try await harness.client.get(StatefulSet.self, namespace: "default", name: "zk").spec?.template?.metadata?.annotations?[Labels.configHashAnnotation]
        _ = try await harness.client.patch(.zookeeperClusters, namespace: "default", name: "zk",
                                           patch: .merge(["spec": ["storage": ["size": "20Gi"], "config": ["tickTime": "3000"]]]))
        try await OperatorOnKubeSimTests.waitUntil("the storage change is reported") {
            let degraded = try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status?.condition("Degraded")
            return degraded?.message.contains("cannot change after creation") == true
        }
        // The template change went through; the claim template did not change.
        try await OperatorOnKubeSimTests.waitUntil("the new config reaches the pod template") {
            let set = try await harness.client.get(StatefulSet.self, namespace: "default", name: "zk")
            return set.spec?.template?.metadata?.annotations?[Labels.configHashAnnotation] != hashBefore
        }
        let set = try await harness.client.get(StatefulSet.self, namespace: "default", name: "zk")
        #expect(set.spec?.volumeClaimTemplates?.first?.spec?.resources?.requests?["storage"] == "10Gi")
        let degraded = try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").status?.condition("Degraded")
        #expect(degraded?.message.contains("API error") == false, "no write was refused: \(degraded?.message ?? "")")
        running.cancel()
        _ = await running.value
    }
}
