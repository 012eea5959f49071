import Foundation
import Testing
@testable import KubeSim

/// Real ZooKeeper servers in pods of the emulated `zookeeper:3.9.4` image.
@Suite(.serialized, .enabled(if: RuntimeTestSupport.canRunZooKeeper,
                             "needs root, the namespace tools, Debian's zookeeper package and Java (hack/install-deps.sh)"))
struct PodRuntimeZooKeeperTests {
    /// Keeps the JVMs small: several run at once on a shared machine.
    static let heap = RuntimeEnvVar("ZK_SERVER_HEAP", "256")

    @Test func standaloneServerAnswersOnItsOwnAddressAndSurvivesAKill() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            let pool = RuntimeTestSupport.addressPool()
            let ip = pool.allocate(for: "zk-standalone")
            let spec = PodSandboxSpec(
                uid: "zk-standalone", namespace: "default", name: "zk-0",
                containers: [ContainerSpec(
                    name: "zookeeper", image: "zookeeper:3.9.4",
                    // The entrypoint's config, with the client port on the pod's own address (the
                    // default 0.0.0.0:2181 would collide with anything else on this host).
                    env: [Self.heap, RuntimeEnvVar("ZOO_4LW_COMMANDS_WHITELIST", "ruok,srvr,mntr"), RuntimeEnvVar("POD_IP", ip),
                          RuntimeEnvVar("ZOO_SERVERS", "server.1=$(POD_IP):2888:3888;$(POD_IP):2181")],
                    readinessProbe: ProbeSpec(action: .exec(["sh", "-c", "echo ruok | nc $(hostname -i) 2181 | grep -q imok"]),
                                              periodSeconds: 1))],
                terminationGracePeriodSeconds: 5)
            let hosts = ClusterHosts(pods: [], services: []).render(namespace: "default", hostname: "zk-0", fqdn: "zk-0", ip: ip)
            try await runtime.startPod(spec, podIP: ip, hosts: hosts)
    
            try await RuntimeTestSupport.eventually(timeout: .seconds(60), "ruok answered on \(ip)") {
                RuntimeTestSupport.fourLetterWord("ruok", host: ip) == "imok"
            }
            // ruok answers as soon as the server listens; srvr once it serves.
            try await RuntimeTestSupport.eventually("srvr reports standalone mode") {
                RuntimeTestSupport.fourLetterWord("srvr", host: ip).contains("Mode: standalone")
            }
            try await RuntimeTestSupport.eventually("the exec readiness probe makes the container ready") {
                await runtime.status(of: spec.uid)?.containerStatuses.first?.ready == true
            }
            // The official entrypoint wrote the config and myid; the server runs as the zookeeper user.
            let config = try #require(await runtime.exec(uid: spec.uid, container: "zookeeper", command: ["cat", "/conf/zoo.cfg", "/data/myid"]))
            #expect(config.exitCode == 0)
            #expect(config.output.contains("dataDir=/data"))
            #expect(config.output.contains("server.1=\(ip):2888:3888;\(ip):2181"))
            let owner = try #require(await runtime.exec(uid: spec.uid, container: "zookeeper", command: ["stat", "-c", "%u", "/data/version-2"]))
            #expect(owner.output == "1000\n")

            // The image's zkCli.sh and zkServer.sh work inside the pod.
            let create = try #require(await runtime.exec(uid: spec.uid, container: "zookeeper",
                                                         command: ["zkCli.sh", "-server", "\(ip):2181", "create", "/kube-sim", "hello"]))
            #expect(create.output.contains("Created /kube-sim"), "\(create.output)")
            let serverStatus = try #require(await runtime.exec(uid: spec.uid, container: "zookeeper", command: ["zkServer.sh", "status"]))
            #expect(serverStatus.output.contains("Mode: standalone"), "\(serverStatus.output)")

            let pid = try #require(await runtime.mainProcess(uid: spec.uid, container: "zookeeper"))
            kill(pid, SIGKILL)
            try await RuntimeTestSupport.eventually(timeout: .seconds(60), "the killed server restarted and answers") {
                await runtime.status(of: spec.uid)?.containerStatuses.first?.restartCount == 1
                    && RuntimeTestSupport.fourLetterWord("ruok", host: ip) == "imok"
            }
            let status = try #require(await runtime.status(of: spec.uid)?.containerStatuses.first)
            #expect(status.lastState?.exitCode == 137)
            #expect(try await runtime.logs(uid: spec.uid, container: "zookeeper", previous: true).contains("binding to port"))
            await runtime.removePod(uid: spec.uid)
            #expect(RuntimeTestSupport.fourLetterWord("ruok", host: ip) == "")
        }
    }

    @Test func threeMemberEnsembleElectsExactlyOneLeader() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            let pool = RuntimeTestSupport.addressPool()
            let labels = ["app": "zk"]
            let names = (0..<3).map { "zk-\($0)" }
            let ips = names.map { pool.allocate(for: $0) }
            let servers = (0..<3).map { "server.\($0 + 1)=zk-\($0).zk-hs.default.svc.cluster.local:2888:3888;zk-\($0).zk-hs.default.svc.cluster.local:2181" }
            let cluster = ClusterHosts(
                pods: zip(names, ips).map { ClusterHosts.PodRecord(namespace: "default", name: $0, subdomain: "zk-hs", labels: labels, ip: $1, ready: false) },
                services: [ClusterHosts.ServiceRecord(namespace: "default", name: "zk-hs", selector: labels, headless: true, publishNotReadyAddresses: true)])
            for (index, name) in names.enumerated() {
                let spec = PodSandboxSpec(
                    uid: name, namespace: "default", name: name, subdomain: "zk-hs",
                    volumes: [VolumeSpec(name: "data", source: .hostDirectory(directory.appendingPathComponent("pv/\(name)").path))],
                    containers: [ContainerSpec(
                        name: "zookeeper", image: "zookeeper:3.9.4",
                        env: [Self.heap, RuntimeEnvVar("ZOO_MY_ID", "\(index + 1)"), RuntimeEnvVar("ZOO_SERVERS", servers.joined(separator: " ")),
                              RuntimeEnvVar("ZOO_4LW_COMMANDS_WHITELIST", "srvr,ruok")],
                        volumeMounts: [MountSpec(volume: "data", mountPath: "/data")])],
                    terminationGracePeriodSeconds: 5, identity: ProcessIdentity(runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000))
                let hosts = cluster.render(namespace: "default", hostname: name, fqdn: spec.fqdn, ip: ips[index])
                try await runtime.startPod(spec, podIP: ips[index], hosts: hosts)
            }
                try await RuntimeTestSupport.eventually(timeout: .seconds(90), "every member to be leader or follower") {
                ips.allSatisfy {
                    let answer = RuntimeTestSupport.fourLetterWord("srvr", host: $0)
                    return answer.contains("Mode: leader") || answer.contains("Mode: follower")
                }
            }
            let modes = ips.map { RuntimeTestSupport.fourLetterWord("srvr", host: $0) }
            #expect(modes.filter { $0.contains("Mode: leader") }.count == 1, "\(modes)")
            #expect(modes.filter { $0.contains("Mode: follower") }.count == 2, "\(modes)")
            for name in names { await runtime.removePod(uid: name) }
        }
    }
}
