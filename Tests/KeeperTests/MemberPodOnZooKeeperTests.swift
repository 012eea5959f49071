import Foundation
import Testing
@testable import Keeper
import KubeModel
@testable import KubeSim
import ZooKeeperClient

/// Keeper's member pod (start script, zoo.cfg, membership file, probes) run by kube-sim's
/// kubelet runtime with a real ZooKeeper: a one-member ensemble, which with
/// `standaloneEnabled=false` still runs the quorum code paths and elects itself leader.
@Suite(.serialized, .enabled(if: ZooKeeperPrerequisites.canRun, "needs root, unshare/nsenter/setpriv/chroot, Debian's zookeeper package and Java (hack/install-deps.sh)"))
struct MemberPodOnZooKeeperTests {
    static func eventually(timeout: Duration, _ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }

    static func srvr(_ host: String) async -> String {
        (try? await FourLetterWords.send("srvr", host: host, timeout: .seconds(2))) ?? ""
    }

    @Test func aMemberStartsServesAndKeepsItsMembershipAcrossRestarts() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keeper-member-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let runtime = PodRuntime(configuration: PodRuntimeConfiguration(stateDirectory: directory.appendingPathComponent("state"),
                                                                        backoff: RestartBackoff(initial: .milliseconds(200), maximum: .seconds(1))))
        let claim = directory.appendingPathComponent("pv/data-zk-0")
        try FileManager.default.createDirectory(at: claim, withIntermediateDirectories: true)

        let cluster = Fixtures.cluster(spec: ZookeeperClusterSpec(replicas: 1, pod: PodPolicy(jvmHeap: "256Mi")))
        let set = StatefulSetBuilder.build(cluster)
        let configMap = ConfigMapBuilder.build(cluster)
        // What the StatefulSet controller makes of the template for ordinal 0.
        var podSpec = try #require(set.spec?.template?.spec)
        podSpec.hostname = "zk-0"
        podSpec.subdomain = "zk-headless"
        podSpec.volumes = (podSpec.volumes ?? []) + [Volume(name: "data", persistentVolumeClaim: PersistentVolumeClaimVolumeSource(claimName: "data-zk-0"))]
        podSpec.terminationGracePeriodSeconds = 5
        var metadata = ObjectMeta(name: "zk-0", namespace: "default", labels: set.spec?.template?.metadata?.labels)
        metadata.uid = "keeper-zk-0"
        let pod = Pod(metadata: metadata, spec: podSpec)

        // A random loopback address: other test runs on this machine use the pool's first ones.
        let ip = "127.\(Int.random(in: 100...250)).\(Int.random(in: 1...250)).\(Int.random(in: 2...250))"
        let sandbox = try PodSandboxBuilder.sandbox(for: pod, podIP: ip, hostIP: "127.0.0.1",
                                                    references: PodReferences(configMaps: ["zk-config": configMap], secrets: ["zk-superuser": SuperuserSecret.build(cluster)], claimDirectories: ["data-zk-0": claim.path]))
        let hosts = ClusterHosts(
            pods: [ClusterHosts.PodRecord(namespace: "default", name: "zk-0", subdomain: "zk-headless", labels: pod.metadata.labels ?? [:], ip: ip, ready: false)],
            services: [ClusterHosts.ServiceRecord(namespace: "default", name: "zk-headless", selector: ClusterNames(cluster).selectorLabels, headless: true, publishNotReadyAddresses: true)]
        ).render(namespace: "default", hostname: "zk-0", fqdn: sandbox.fqdn, ip: ip)
        try await runtime.startPod(sandbox, podIP: ip, hosts: hosts)
        defer { Task { await runtime.shutdown(maximumGrace: .zero) } }

        do {
            try await Self.eventually(timeout: .seconds(120), "the member leads its one-member ensemble") {
                await Self.srvr(ip).contains("Mode: leader")
            }
        } catch {
            let logs = (try? await runtime.logs(uid: sandbox.uid, container: "zookeeper", previous: false)) ?? ""
            let files = ["conf/zoo.cfg", "conf/zoo.cfg.dynamic", "myid"].map { name in
                "\(name):\n" + ((try? String(contentsOf: claim.appendingPathComponent(name), encoding: .utf8)) ?? "(missing)")
            }.joined(separator: "\n")
            let listing = (try? FileManager.default.contentsOfDirectory(atPath: claim.appendingPathComponent("conf").path)) ?? []
            Issue.record("srvr: \(await Self.srvr(ip))\n\(files)\nconf: \(listing)\nlogs:\n\(logs.suffix(6000))")
            throw error
        }
        try await Self.eventually(timeout: .seconds(30), "Keeper's readiness probe passes") {
            await runtime.status(of: sandbox.uid)?.containerStatuses.first?.ready == true
        }
        #expect(await FourLetterWordProber().role(host: ip, port: 2181) == .leader)
        #expect(try String(contentsOf: claim.appendingPathComponent("myid"), encoding: .utf8) == "1\n")
        let zooCfg = try String(contentsOf: claim.appendingPathComponent("conf/zoo.cfg"), encoding: .utf8)
        #expect(zooCfg.contains("reconfigEnabled=true"))
        #expect(zooCfg.contains("dynamicConfigFile="))

        // Kill the server: it restarts from the data volume, with the membership ZooKeeper
        // itself points at, and serves again.
        let pid = try #require(await runtime.mainProcess(uid: sandbox.uid, container: "zookeeper"))
        kill(pid, SIGKILL)
        try await Self.eventually(timeout: .seconds(120), "the restarted member leads again") {
            let restarts = await runtime.status(of: sandbox.uid)?.containerStatuses.first?.restartCount
            let answer = await Self.srvr(ip)
            return restarts == 1 && answer.contains("Mode: leader")
        }
        await runtime.removePod(uid: sandbox.uid)
    }
}

extension MemberPodOnZooKeeperTests {
    /// Starts every member pod of `cluster` as the StatefulSet controller and kubelet would,
    /// each on a random loopback address, with /etc/hosts resolving all of them.
    static func startMembers(of cluster: ZookeeperCluster, runtime: PodRuntime, directory: URL) async throws -> [(uid: String, ip: String)] {
        let set = StatefulSetBuilder.build(cluster)
        let configMap = ConfigMapBuilder.build(cluster)
        let names = ClusterNames(cluster)
        let secret = SuperuserSecret.build(cluster)
        let replicas = set.spec?.replicas ?? 0
        let base = "127.\(Int.random(in: 100...250)).\(Int.random(in: 1...250))."
        let ips = (0..<replicas).map { base + String(10 + $0) }
        let labels = set.spec?.template?.metadata?.labels ?? [:]
        let cluster = ClusterHosts(
            pods: (0..<replicas).map { ClusterHosts.PodRecord(namespace: names.namespace, name: names.pod(ordinal: $0), subdomain: names.headlessService, labels: labels, ip: ips[$0], ready: false) },
            services: [ClusterHosts.ServiceRecord(namespace: names.namespace, name: names.headlessService, selector: names.selectorLabels, headless: true, publishNotReadyAddresses: true)])
        var started: [(uid: String, ip: String)] = []
        for ordinal in 0..<replicas {
            let podName = names.pod(ordinal: ordinal)
            let claim = directory.appendingPathComponent("pv/data-\(podName)")
            try FileManager.default.createDirectory(at: claim, withIntermediateDirectories: true)
            var podSpec = set.spec?.template?.spec ?? PodSpec()
            podSpec.hostname = podName
            podSpec.subdomain = names.headlessService
            podSpec.volumes = (podSpec.volumes ?? []) + [Volume(name: "data", persistentVolumeClaim: PersistentVolumeClaimVolumeSource(claimName: "data-\(podName)"))]
            podSpec.terminationGracePeriodSeconds = 5
            var metadata = ObjectMeta(name: podName, namespace: names.namespace, labels: labels)
            metadata.uid = "keeper-\(podName)-\(UUID().uuidString.prefix(6))"
            let sandbox = try PodSandboxBuilder.sandbox(for: Pod(metadata: metadata, spec: podSpec), podIP: ips[ordinal], hostIP: "127.0.0.1",
                                                        references: PodReferences(configMaps: [names.configMap: configMap], secrets: [names.superuserSecret: secret], claimDirectories: ["data-\(podName)": claim.path]))
            let hosts = cluster.render(namespace: names.namespace, hostname: podName, fqdn: sandbox.fqdn, ip: ips[ordinal])
            try await runtime.startPod(sandbox, podIP: ips[ordinal], hosts: hosts)
            started.append((sandbox.uid, ips[ordinal]))
        }
        return started
    }

    @Test func threeMembersFormOneEnsembleWithOneLeader() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keeper-ensemble-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let runtime = PodRuntime(configuration: PodRuntimeConfiguration(stateDirectory: directory.appendingPathComponent("state"),
                                                                        backoff: RestartBackoff(initial: .milliseconds(200), maximum: .seconds(1))))
        let cluster = Fixtures.cluster(spec: ZookeeperClusterSpec(replicas: 3, pod: PodPolicy(jvmHeap: "200Mi")))
        let members = try await Self.startMembers(of: cluster, runtime: runtime, directory: directory)
        defer { Task { await runtime.shutdown(maximumGrace: .zero) } }
        let prober = FourLetterWordProber()
        try await Self.eventually(timeout: .seconds(150), "every member serves as leader or follower") {
            var roles: [ZooKeeperRole] = []
            for member in members { roles.append(await prober.role(host: member.ip, port: 2181)) }
            return roles.allSatisfy { $0 == .leader || $0 == .follower }
        }
        var roles: [ZooKeeperRole] = []
        for member in members { roles.append(await prober.role(host: member.ip, port: 2181)) }
        #expect(roles.filter { $0 == .leader }.count == 1, "\(roles)")
        #expect(roles.filter { $0 == .follower }.count == 2, "\(roles)")
        for member in members { await runtime.removePod(uid: member.uid) }
    }
}

/// What running real ZooKeeper pods needs; in CI a missing piece fails the test instead.
enum ZooKeeperPrerequisites {
    static let canRun: Bool = {
        if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
        let tools = ["/usr/bin/unshare", "/usr/bin/nsenter", "/usr/bin/setpriv", "/usr/sbin/chroot", "/usr/bin/java"]
        return getuid() == 0 && tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
            && FileManager.default.fileExists(atPath: "/usr/share/java/zookeeper.jar")
    }()
}
