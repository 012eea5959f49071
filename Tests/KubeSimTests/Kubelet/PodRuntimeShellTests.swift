import Foundation
import Testing
@testable import KubeSim

/// The pod runtime with the host-shell image: views, users, volumes, restarts, probes.
@Suite(.enabled(if: RuntimeTestSupport.canRunPods, "needs root, unshare, nsenter, setpriv and chroot"))
struct PodRuntimeShellTests {
    @Test func podSeesItsOwnViewAsItsUser() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            let pool = RuntimeTestSupport.addressPool()
            let ip = pool.allocate(for: "u1")
            let script = """
                id -u; id -g; id -G; hostname; echo "home=$HOSTNAME"; cat /etc/hosts; \
                ls /config; stat -c '%a %n' /config/run.sh /config/plain.txt; cat /config/plain.txt; \
                echo data > /data/file && echo wrote-data; touch /usr/forbidden 2>/dev/null || echo usr-read-only; \
                touch /config/x 2>/dev/null || echo config-read-only; test -d \(directory.path) && echo host-visible || echo host-hidden; \
                echo "pwd=$(pwd)"; sleep 300
                """
            let spec = PodSandboxSpec(
                uid: "u1", namespace: "default", name: "shell-0", subdomain: "shell",
                volumes: [
                    VolumeSpec(name: "config", source: .files([
                        ProjectedFile(path: "run.sh", content: Data("echo hi\n".utf8), mode: 0o755),
                        ProjectedFile(path: "plain.txt", content: Data("plain\n".utf8), mode: 0o644),
                    ])),
                    VolumeSpec(name: "data", source: .emptyDir),
                ],
                containers: [ContainerSpec(
                    name: "main", image: "debian:12", command: ["/bin/sh", "-c", script],
                    workingDir: "/data",
                    volumeMounts: [MountSpec(volume: "config", mountPath: "/config"), MountSpec(volume: "data", mountPath: "/data")])],
                identity: ProcessIdentity(runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000))
            let hosts = ClusterHosts(pods: [], services: []).render(namespace: "default", hostname: "shell-0", fqdn: spec.fqdn, ip: ip)
            try await runtime.startPod(spec, podIP: ip, hosts: hosts)
            try await RuntimeTestSupport.eventually("the script's output") {
                ((try? await runtime.logs(uid: "u1", container: "main")) ?? "").contains("pwd=")
            }
            let output = try await runtime.logs(uid: "u1", container: "main")
            let lines = output.split(separator: "\n").map(String.init)
            #expect(lines.prefix(4) == ["1000", "1000", "1000 2000", "shell-0"], "\(output)")
            #expect(lines.contains("home=shell-0"))
            #expect(lines.contains("\(ip)\tshell-0.shell.default.svc.cluster.local\tshell-0"))
            #expect(lines.contains("755 /config/run.sh"))
            #expect(lines.contains("644 /config/plain.txt"))
            #expect(lines.contains("wrote-data"))
            #expect(lines.contains("usr-read-only"))
            #expect(lines.contains("config-read-only"))
            #expect(lines.contains("host-hidden"))
            #expect(lines.contains("pwd=/data"))
            let status = try #require(await runtime.status(of: "u1"))
            #expect(status.containerStatuses.first?.state.isRunning == true)
            #expect(status.phase == .running)
            await runtime.removePod(uid: "u1")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("pods/u1").path))
        }
    }
}
