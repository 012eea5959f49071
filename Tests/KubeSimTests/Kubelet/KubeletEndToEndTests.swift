import Foundation
import KubeClient
import KubeModel
import Testing
@testable import KubeSim

/// The kubelet against kube-sim's API server: a node, a lease, claims, and a real
/// three-member ZooKeeper ensemble made of plain pods behind a headless Service.
@Suite(.serialized,
       .enabled(if: RuntimeTestSupport.canRunZooKeeper,
                "needs root, the namespace tools, Debian's zookeeper package and Java (hack/install-deps.sh)"))
struct KubeletEndToEndTests {
    private func member(_ ordinal: Int) -> Pod {
        let servers = (0..<3).map { "server.\($0 + 1)=zk-\($0).zk-hs.default.svc.cluster.local:2888:3888;zk-\($0).zk-hs.default.svc.cluster.local:2181" }
        var container = Container()
        container.name = "zookeeper"
        container.image = "zookeeper:3.9.4"
        container.env = [
            KubeModel.EnvVar(name: "ZOO_MY_ID", value: "\(ordinal + 1)"),
            KubeModel.EnvVar(name: "ZOO_SERVERS", value: servers.joined(separator: " ")),
            KubeModel.EnvVar(name: "ZOO_4LW_COMMANDS_WHITELIST", value: "srvr,ruok"),
            KubeModel.EnvVar(name: "ZK_SERVER_HEAP", value: "256"),
            KubeModel.EnvVar(name: "POD_IP", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "status.podIP"))),
        ]
        container.volumeMounts = [VolumeMount(name: "data", mountPath: "/data")]
        var readiness = Probe()
        readiness.exec = ExecAction(command: ["sh", "-c", "echo srvr | nc -w 2 $POD_IP 2181 | grep -q Mode"])
        readiness.periodSeconds = 1
        container.readinessProbe = readiness
        var data = Volume()
        data.name = "data"
        data.persistentVolumeClaim = PersistentVolumeClaimVolumeSource(claimName: "data-zk-\(ordinal)")
        var spec = PodSpec(containers: [container], volumes: [data])
        spec.hostname = "zk-\(ordinal)"
        spec.subdomain = "zk-hs"
        spec.terminationGracePeriodSeconds = 5
        spec.securityContext = PodSecurityContext(runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000)
        return Pod(metadata: ObjectMeta(name: "zk-\(ordinal)", namespace: "default", labels: ["app": "zk"]), spec: spec)
    }

    private func isReady(_ pod: Pod?) -> Bool {
        pod?.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
    }

    @Test func kubeletRunsAnEnsembleFromTheAPI() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let client = try KubeClient.fromKubeconfig(server.kubeconfigYAML())
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("kube-sim-kubelet-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: state) }
        let kubelet = Kubelet(client: client, configuration: KubeletConfiguration(
            nodeName: "node-1", stateDirectory: state, heartbeatInterval: .seconds(1), resyncInterval: .seconds(1),
            backoff: RestartBackoff(initial: .milliseconds(500), maximum: .seconds(2)),
            firstPodAddress: RuntimeTestSupport.addressPool().allocate(for: "first")))
        let run = Task { try await kubelet.run() }
        do {
            try await exercise(client: client, kubelet: kubelet, run: run)
        } catch {
            // Whatever failed, no pod process may outlive the test.
            run.cancel()
            _ = try? await run.value
            throw error
        }
    }

    private func exercise(client: KubeClient, kubelet: Kubelet, run: Task<Void, any Error>) async throws {

        try await RuntimeTestSupport.eventually("the node registers Ready with a lease") {
            let node = try? await client.get(Node.self, namespace: nil, name: "node-1")
            let lease = try? await client.get(Lease.self, namespace: "kube-node-lease", name: "node-1")
            return node?.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
                && lease?.spec?.holderIdentity == "node-1"
        }

        var service = Service(metadata: ObjectMeta(name: "zk-hs", namespace: "default"))
        service.spec = ServiceSpec(selector: ["app": "zk"], clusterIP: "None", publishNotReadyAddresses: true)
        _ = try await client.create(service)
        for ordinal in 0..<3 {
            var claim = PersistentVolumeClaim(metadata: ObjectMeta(name: "data-zk-\(ordinal)", namespace: "default"))
            claim.spec = PersistentVolumeClaimSpec(accessModes: ["ReadWriteOnce"], resources: VolumeResourceRequirements(requests: ["storage": "1Gi"]))
            _ = try await client.create(claim)
            _ = try await client.create(member(ordinal))
        }
        try await RuntimeTestSupport.eventually(timeout: .seconds(120), "three Ready members bound to node-1") {
            var ready = 0
            for ordinal in 0..<3 {
                let pod = try? await client.get(Pod.self, namespace: "default", name: "zk-\(ordinal)")
                if isReady(pod), pod?.spec?.nodeName == "node-1", pod?.status?.podIP != nil { ready += 1 }
            }
            return ready == 3
        }
        var addresses: [String] = []
        for ordinal in 0..<3 {
            let pod = try await client.get(Pod.self, namespace: "default", name: "zk-\(ordinal)")
            addresses.append(try #require(pod.status?.podIP))
        }
        let modes = addresses.map { RuntimeTestSupport.fourLetterWord("srvr", host: $0) }
        #expect(modes.filter { $0.contains("Mode: leader") }.count == 1, "\(modes)")
        let claim = try await client.get(PersistentVolumeClaim.self, namespace: "default", name: "data-zk-0")
        #expect(claim.status?.phase == "Bound")
        let log = try kubelet.logs.read(namespace: "default", name: "zk-0", container: "zookeeper")
        #expect(String(decoding: log, as: UTF8.self).contains("zk-0.zk-hs.default.svc.cluster.local"))

        // Graceful deletion: the kubelet stops the member and removes the pod.
        try await client.delete(Pod.self, namespace: "default", name: "zk-0")
        try await RuntimeTestSupport.eventually("zk-0 gone from the API and from the host") {
            let gone: Bool
            do {
                _ = try await client.get(Pod.self, namespace: "default", name: "zk-0")
                gone = false
            } catch {
                gone = (error as? KubeError)?.isNotFound == true
            }
            return gone && RuntimeTestSupport.fourLetterWord("ruok", host: addresses[0]).isEmpty
        }

        // The kubelet stops every process it started when it exits.
        run.cancel()
        _ = try? await run.value
        #expect(addresses.dropFirst().allSatisfy { RuntimeTestSupport.fourLetterWord("ruok", host: $0).isEmpty })
    }
}
