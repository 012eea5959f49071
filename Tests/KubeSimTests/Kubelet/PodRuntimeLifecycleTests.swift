import Foundation
import Testing
@testable import KubeSim

/// Restarts, probes, graceful stops, persistent volumes and unknown images, with the host-shell image.
@Suite(.enabled(if: RuntimeTestSupport.canRunPods, "needs root, unshare, nsenter, setpriv and chroot"))
struct PodRuntimeLifecycleTests {
    func pod(_ uid: String, _ script: String, volumes: [VolumeSpec] = [], mounts: [MountSpec] = [],
                     restartPolicy: RestartPolicy = .always, grace: Int = 5,
                     configure: (inout ContainerSpec) -> Void = { _ in }) -> PodSandboxSpec {
        var container = ContainerSpec(name: "main", image: "busybox", command: ["/bin/sh", "-c", script], volumeMounts: mounts)
        configure(&container)
        return PodSandboxSpec(uid: uid, namespace: "default", name: uid, volumes: volumes, containers: [container],
                              restartPolicy: restartPolicy, terminationGracePeriodSeconds: grace)
    }

    func start(_ runtime: PodRuntime, _ spec: PodSandboxSpec, pool: PodAddressPool) async throws {
        let ip = pool.allocate(for: spec.uid)
        let hosts = ClusterHosts(pods: [], services: []).render(namespace: spec.namespace, hostname: spec.hostname, fqdn: spec.fqdn, ip: ip)
        try await runtime.startPod(spec, podIP: ip, hosts: hosts)
    }

    func log(_ runtime: PodRuntime, _ uid: String) async -> String {
        (try? await runtime.logs(uid: uid, container: "main")) ?? ""
    }

    func container(_ runtime: PodRuntime, _ uid: String) async -> ContainerRuntimeStatus? {
        await runtime.status(of: uid)?.containerStatuses.first
    }

    @Test func persistentVolumeOutlivesThePod() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            let pool = RuntimeTestSupport.addressPool()
            let claim = VolumeSpec(name: "data", source: .hostDirectory(directory.appendingPathComponent("pv/data-0").path))
            let mount = MountSpec(volume: "data", mountPath: "/var/lib/app")
            try await start(runtime, pod("first", "echo kept > /var/lib/app/marker; echo written; sleep 300", volumes: [claim], mounts: [mount]), pool: pool)
            try await RuntimeTestSupport.eventually("the first pod wrote its marker") {
                await log(runtime, "first").contains("written")
            }
            await runtime.removePod(uid: "first")
            pool.release("first")
            try await start(runtime, pod("second", "cat /var/lib/app/marker; sleep 300", volumes: [claim], mounts: [mount]), pool: pool)
            try await RuntimeTestSupport.eventually("the second pod reads the first one's data") {
                await log(runtime, "second") == "kept\n"
            }
            await runtime.removePod(uid: "second")
        }
    }

    @Test func exitedContainerRestartsWithBackoffAndKeepsPreviousLog() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            try await start(runtime, pod("crashy", "echo run; exit 3"), pool: RuntimeTestSupport.addressPool())
            try await RuntimeTestSupport.eventually("three restarts") {
                await container(runtime, "crashy")?.restartCount ?? 0 >= 3
            }
            let status = try #require(await container(runtime, "crashy"))
            #expect(status.lastState?.exitCode == 3)
            #expect(try await runtime.logs(uid: "crashy", container: "main", previous: true) == "run\n")
            #expect(await runtime.status(of: "crashy")?.phase == .running)
            await runtime.removePod(uid: "crashy")
        }
    }

    @Test func neverRestartPolicyFailsThePod() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            try await start(runtime, pod("once", "exit 2", restartPolicy: .never), pool: RuntimeTestSupport.addressPool())
            try await RuntimeTestSupport.eventually("the pod failed") { await runtime.status(of: "once")?.phase == .failed }
            #expect(await container(runtime, "once")?.restartCount == 0)
            await runtime.removePod(uid: "once")
        }
    }

    @Test func unknownImageWaitsWithErrImagePull() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            var spec = pod("nginx", "true")
            spec.containers[0].image = "nginx:1.27"
            try await start(runtime, spec, pool: RuntimeTestSupport.addressPool())
            try await RuntimeTestSupport.eventually("an image pull error") {
                let reason = await container(runtime, "nginx")?.state.waitingReason
                return reason == "ErrImagePull" || reason == "ImagePullBackOff"
            }
            #expect(await runtime.status(of: "nginx")?.phase == .pending)
            await runtime.removePod(uid: "nginx")
        }
    }

    @Test func failingLivenessProbeRestartsTheContainer() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            let spec = pod("unhealthy", "sleep 300", grace: 1) {
                $0.livenessProbe = ProbeSpec(action: .exec(["test", "-f", "/tmp/healthy"]), periodSeconds: 0.2, failureThreshold: 2)
            }
            try await start(runtime, spec, pool: RuntimeTestSupport.addressPool())
            try await RuntimeTestSupport.eventually("a restart after liveness failures") {
                await container(runtime, "unhealthy")?.restartCount ?? 0 >= 1
            }
            guard case .terminated(_, _, _, let message, _, _)? = await container(runtime, "unhealthy")?.lastState else {
                Issue.record("no terminated last state")
                return
            }
            #expect(message?.contains("failed liveness probe") == true)
            await runtime.removePod(uid: "unhealthy")
        }
    }

    @Test func readinessFollowsTcpAndHttpProbes() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            let pool = RuntimeTestSupport.addressPool()
            // No server at first: not ready. Then a one-shot HTTP answer loop on the pod's own address.
            let server = "sleep 1; ip=$(hostname -i); while true; do printf 'HTTP/1.0 200 OK\\r\\n\\r\\nok' | nc -l -N -s \"$ip\" -p 8080 >/dev/null; done"
            let http = pod("web", server) {
                $0.readinessProbe = ProbeSpec(action: .httpGet(path: "/healthz", port: 8080, host: nil, scheme: "HTTP"), periodSeconds: 0.3)
            }
            let tcp = pod("tcp", server) {
                $0.readinessProbe = ProbeSpec(action: .tcpSocket(port: 8080, host: nil), periodSeconds: 0.3)
            }
            try await start(runtime, http, pool: pool)
            try await start(runtime, tcp, pool: pool)
            #expect(await container(runtime, "web")?.ready == false)
            try await RuntimeTestSupport.eventually("both pods ready") {
                let web = await container(runtime, "web")?.ready ?? false
                let tcp = await container(runtime, "tcp")?.ready ?? false
                return web && tcp
            }
            #expect(await runtime.status(of: "web")?.containersReady == true)
            await runtime.removePod(uid: "web")
            await runtime.removePod(uid: "tcp")
        }
    }

    @Test func gracefulStopRunsPreStopThenTerm() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            let claim = VolumeSpec(name: "out", source: .hostDirectory(directory.appendingPathComponent("out").path))
            let script = "trap 'echo term >> /out/events; exit 0' TERM; echo up; while true; do sleep 0.1; done"
            let spec = pod("graceful", script, volumes: [claim], mounts: [MountSpec(volume: "out", mountPath: "/out")], grace: 10) {
                $0.preStop = .exec(["sh", "-c", "echo prestop >> /out/events"])
            }
            try await start(runtime, spec, pool: RuntimeTestSupport.addressPool())
            try await RuntimeTestSupport.eventually("the container runs") {
                await log(runtime, "graceful").contains("up")
            }
            let started = ContinuousClock.now
            await runtime.stopPod(uid: "graceful")
            #expect(ContinuousClock.now - started < .seconds(5), "a container that exits on TERM does not wait out its grace")
            let events = try String(contentsOf: directory.appendingPathComponent("out/events"), encoding: .utf8)
            #expect(events == "prestop\nterm\n")
            #expect(await container(runtime, "graceful")?.state.exitCode == 0)
            await runtime.removePod(uid: "graceful")
        }
    }

    @Test func stopKillsAContainerThatIgnoresTerm() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            try await start(runtime, pod("stubborn", "trap '' TERM; echo up; sleep 300 & wait; sleep 300", grace: 1), pool: RuntimeTestSupport.addressPool())
            try await RuntimeTestSupport.eventually("the container runs") {
                await log(runtime, "stubborn").contains("up")
            }
            let pid = try #require(await runtime.mainProcess(uid: "stubborn", container: "main"))
            let namespace = try #require(ProcessSpawner.mountNamespace(of: pid))
            let members = ProcessSpawner.processes(inMountNamespace: namespace)
            #expect(members.count >= 2, "the shell and its background sleep")
            await runtime.stopPod(uid: "stubborn")
            #expect(await container(runtime, "stubborn")?.state.exitCode == 137)
            #expect(!members.contains(where: RuntimeTestSupport.isAlive), "the background sleep died too")
            await runtime.removePod(uid: "stubborn")
        }
    }
}

extension PodRuntimeLifecycleTests {
    @Test func initContainersRunFirstAndAFailedOneFailsTheNeverPod() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            let pool = RuntimeTestSupport.addressPool()
            let shared = VolumeSpec(name: "work", source: .emptyDir)
            let mount = MountSpec(volume: "work", mountPath: "/shared")
            var good = pod("with-init", "cat /shared/prepared; sleep 300", volumes: [shared], mounts: [mount])
            good.initContainers = [ContainerSpec(name: "prepare", image: "busybox", command: ["/bin/sh", "-c", "echo ready > /shared/prepared"],
                                                 volumeMounts: [mount])]
            try await start(runtime, good, pool: pool)
            try await RuntimeTestSupport.eventually("the main container read what the init container wrote") {
                await log(runtime, "with-init") == "ready\n"
            }
            #expect(await runtime.status(of: "with-init")?.initialized == true)

            var bad = pod("bad-init", "sleep 300", restartPolicy: .never)
            bad.initContainers = [ContainerSpec(name: "prepare", image: "busybox", command: ["/bin/sh", "-c", "exit 1"])]
            try await start(runtime, bad, pool: pool)
            try await RuntimeTestSupport.eventually("the pod failed") { await runtime.status(of: "bad-init")?.phase == .failed }
            #expect(await container(runtime, "bad-init")?.state.isRunning == false)
            await runtime.removePod(uid: "bad-init")
            await runtime.removePod(uid: "with-init")
        }
    }
}

extension PodRuntimeLifecycleTests {
    @Test func execProbesSeeTheContainersEnvironment() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            let spec = pod("env-probe", "sleep 300") {
                $0.env = [RuntimeEnvVar("EXPECTED", "yes")]
                $0.readinessProbe = ProbeSpec(action: .exec(["sh", "-c", "test \"$EXPECTED\" = yes"]), periodSeconds: 0.2)
            }
            try await start(runtime, spec, pool: RuntimeTestSupport.addressPool())
            try await RuntimeTestSupport.eventually("ready through a probe that reads the env") {
                await container(runtime, "env-probe")?.ready == true
            }
            let exec = try #require(await runtime.exec(uid: "env-probe", container: "main", command: ["sh", "-c", "echo $EXPECTED"]))
            #expect(exec.output == "yes\n")
        }
    }
}
