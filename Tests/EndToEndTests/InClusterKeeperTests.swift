import Foundation
import Keeper
import KubeClient
import KubeModel
@testable import KubeSim
import Testing

/// Keeper installed as users install it (issue 11): `kubectl apply -f crds/ -f deploy/` on
/// kube-sim starts the operator's Deployment, whose pods run the `keeper:*` image from the
/// local build with the in-cluster configuration (the `kube-api-access-*` volume, https
/// through the TLS front, verified against `kube-root-ca.crt`), probed on `/healthz` and
/// `/readyz`; then `deploy/examples/minimal.yaml` becomes an Available 3-member ensemble.
/// Two replicas, one leader: deleting the leader hands the Lease to another pod within the
/// lease duration, and only the Lease holder ever reconciles.
@Suite(.serialized) struct InClusterKeeperTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// kube-sim's API server, its TLS front and a kubelet that runs `keeper:*` images; no
    /// Keeper in this process.
    final class Cluster: Sendable {
        let server: APIServer
        let front: TLSFront
        let client: KubeClient
        let kubeconfigPath: String
        let directory: URL
        let kubeletTask: Task<Void, Never>

        init() async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("keeper-incluster-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            server = APIServer()
            try server.start()
            front = try server.startTLSFront()
            let kubeconfig = server.kubeconfigYAML()
            // kubectl through the TLS front (it sends its token only over TLS), as the administrator.
            kubeconfigPath = directory.appendingPathComponent("kubeconfig").path
            try server.kubectlKubeconfigYAML().write(toFile: kubeconfigPath, atomically: true, encoding: .utf8)
            let kubelet = Kubelet(client: try KubeClient.fromKubeconfig(kubeconfig), configuration: KubeletConfiguration(
                nodeName: "incluster-node", stateDirectory: directory.appendingPathComponent("node", isDirectory: true),
                kubernetesService: KubernetesServiceEndpoint(host: "127.0.0.1", port: front.port)))
            kubeletTask = Task { _ = try? await kubelet.run() }
            client = try KubeClient.fromKubeconfig(kubeconfig)
        }

        func stop() async {
            kubeletTask.cancel()
            await kubeletTask.value
            server.stop()
            try? FileManager.default.removeItem(at: directory)
        }

        func kubectl(_ arguments: String...) async throws -> (status: Int32, output: String) {
            try await Blocking.run("/usr/bin/kubectl", ["--kubeconfig", kubeconfigPath] + arguments)
        }

        func keeperPods() async throws -> [Pod] {
            try await client.list(Pod.self, namespace: "keeper-system", options: ListOptions(labelSelector: "app.kubernetes.io/name=keeper")).items
                .filter { $0.metadata.deletionTimestamp == nil }
        }

        func lease() async throws -> Lease { try await client.get(Lease.self, namespace: "keeper-system", name: "keeper") }

        func log(of pod: String) async throws -> String {
            try await kubectl("logs", "-n", "keeper-system", pod).output
        }
    }

    /// The pod a Lease holder identity (`<pod name>-<8 hex>`) names.
    static func podName(ofHolder identity: String?) -> String? {
        guard let identity, let dash = identity.lastIndex(of: "-") else { return nil }
        return String(identity[..<dash])
    }

    @Test(.enabled(if: Prerequisites.shouldRun, Prerequisites.skipReason), .timeLimit(.minutes(10)))
    func keeperInstalledFromDeployRunsTheEnsembleAndHandsOverItsLease() async throws {
        try Prerequisites.require()
        let cluster = try await Cluster()
        do {
            try await Self.exercise(cluster)
        } catch {
            let pods = try? await cluster.kubectl("get", "deploy,rs,pods,lease", "-A", "-o", "wide")
            let events = try? await cluster.kubectl("get", "events", "-A")
            Issue.record("cluster:\n\(pods?.output ?? "")\n\(events?.output ?? "")")
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    static func exercise(_ cluster: Cluster) async throws {
        let apply = try await cluster.kubectl("apply", "-f", root.appendingPathComponent("crds").path, "-f", root.appendingPathComponent("deploy").path)
        #expect(apply.status == 0, "\(apply.output)")
        _ = try await cluster.kubectl("wait", "--for=condition=Established", "crd/zookeeperclusters.keeper.dev", "--timeout=30s")
        let example = try await cluster.kubectl("apply", "-f", root.appendingPathComponent("deploy/examples/minimal.yaml").path)
        #expect(example.status == 0, "\(example.output)")

        try await waitUntil("the keeper Deployment has 2 available pods", timeout: .seconds(60)) {
            let deployment = try await cluster.client.get(.deployments, namespace: "keeper-system", name: "keeper")
            return deployment[path: ["status", "availableReplicas"]] == 2
        }
        try await waitUntil("zk is Available with 3 ready members", timeout: .seconds(180)) {
            let zk = try await cluster.client.get(.zookeeperClusters, namespace: "default", name: "zk")
            let available = (zk[path: ["status", "conditions"]]?.arrayValue ?? []).contains { $0["type"] == "Available" && $0["status"] == "True" }
            return available && zk[path: ["status", "readyReplicas"]] == 3
        }
        // Keeper runs in-cluster: its pods carry the ServiceAccount volume, and its log says so.
        let pods = try await cluster.keeperPods()
        #expect(pods.count == 2)
        for pod in pods {
            #expect(pod.spec?.serviceAccountName == "keeper")
            #expect(pod.spec?.volumes?.contains { $0.name?.hasPrefix("kube-api-access-") == true && $0.projected != nil } == true)
        }
        let logs = try await cluster.kubectl("logs", "-n", "keeper-system", "deploy/keeper")
        #expect(logs.status == 0 && logs.output.contains("\"msg\":\"keeper started"), "\(logs.output)")

        // One leader: the Lease names one pod; only that pod's caches ever started.
        let lease = try await cluster.lease()
        let leader = try #require(podName(ofHolder: lease.spec?.holderIdentity))
        let standby = try #require(pods.compactMap(\.metadata.name).first { $0 != leader })
        #expect(pods.contains { $0.metadata.name == leader })
        #expect(try await cluster.log(of: leader).contains("caches synced"))
        #expect(!(try await cluster.log(of: standby)).contains("caches synced"), "the standby reconciles nothing")
        let transitions = lease.spec?.leaseTransitions ?? 0

        // The leader goes; another pod holds the Lease within its duration, and the holder
        // never flips back (one hand-over).
        let duration = Double(lease.spec?.leaseDurationSeconds ?? 15)
        let deleted = ContinuousClock.now
        _ = try await cluster.kubectl("delete", "pod", "-n", "keeper-system", leader, "--wait=false")
        var holders: [String] = []
        var newLeader: String?
        while ContinuousClock.now - deleted < .seconds(duration + 5) {
            let holder = try await cluster.lease().spec?.holderIdentity ?? ""
            if holders.last != holder { holders.append(holder) }
            if let name = podName(ofHolder: holder), name != leader {
                newLeader = name
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let elapsed = ContinuousClock.now - deleted
        let taker = try #require(newLeader, "no other pod took the Lease; holders seen: \(holders)")
        #expect(elapsed <= .seconds(duration), "hand-over took \(elapsed)")
        #expect(holders.allSatisfy { podName(ofHolder: $0) != taker } || holders.last.flatMap(podName(ofHolder:)) == taker)
        #expect(try await cluster.lease().spec?.leaseTransitions == transitions + 1)
        print("in-cluster: leader \(leader) deleted; \(taker) holds the Lease after \(elapsed)")

        // The new leader reconciles: a deleted child comes back.
        _ = try await cluster.kubectl("delete", "pdb", "zk", "-n", "default")
        try await waitUntil("the new leader restores the PodDisruptionBudget", timeout: .seconds(60)) {
            (try? await cluster.client.get(.podDisruptionBudgets, namespace: "default", name: "zk")) != nil
        }
        let takerLog = try await cluster.log(of: taker)
        let acquired = try #require(takerLog.range(of: "acquired lease"))
        let synced = try #require(takerLog.range(of: "caches synced"))
        #expect(acquired.lowerBound < synced.lowerBound, "it started reconciling only once it held the Lease")
    }
}
