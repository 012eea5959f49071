import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one container of a pod: starts it in its own view, probes it, restarts it with
/// back-off as the restart policy says, and stops it gracefully (preStop, SIGTERM, grace
/// period, SIGKILL to everything in its mount namespace).
actor ContainerSupervisor {
    private struct Instance {
        var number: Int
        var pid: pid_t
        var startedAt: Date
        var started: ContinuousClock.Instant
        var mountNamespace: String?
        /// An open descriptor of the namespace: while it is held the namespace cannot be freed,
        /// so its inode (how its processes are found) cannot be reused by another container.
        var namespaceHandle: Int32?
        var runner: ProbeRunner
        var probes: [Task<Void, Never>] = []
        var readiness: ProbeTracker?
        var liveness: ProbeTracker?
        var startup: ProbeTracker?
        var killReason: String?
        var exited = false
    }

    private enum ProbeKind: String { case readiness = "Readiness", liveness = "Liveness", startup = "Startup" }

    let spec: ContainerSpec
    private let context: ContainerContext
    private let isInit: Bool
    private let onChange: @Sendable () -> Void
    private(set) var status: ContainerRuntimeStatus
    private var backoff: RestartBackoff
    private var instance: Instance?
    private var instanceCount = 0
    private var stopping = false
    private var began = false
    private var finished = false

    init(spec: ContainerSpec, context: ContainerContext, isInit: Bool, onChange: @escaping @Sendable () -> Void) {
        self.spec = spec
        self.context = context
        self.isInit = isInit
        self.onChange = onChange
        self.status = ContainerRuntimeStatus(name: spec.name, image: spec.image)
        self.backoff = context.backoff
    }

    private var logsDirectory: URL { context.containerDirectory.appendingPathComponent("logs") }

    /// The log of the current (or `previous`) instance.
    func logFile(previous: Bool) -> URL? {
        let number = previous ? instanceCount - 2 : instanceCount - 1
        guard number >= 0 else { return nil }
        return logsDirectory.appendingPathComponent("\(number).log")
    }

    /// The running instance's main process, if any.
    var mainProcess: pid_t? {
        guard let instance, !instance.exited else { return nil }
        return instance.pid
    }

    /// Runs `command` inside the running container's view as its user (`kubectl exec`).
    func exec(_ command: [String], timeout: Duration) async -> ProbeRunner.Result? {
        guard let instance, !instance.exited else { return nil }
        return await instance.runner.run(.exec(command), timeout: timeout, outputPath: context.containerDirectory
            .appendingPathComponent("exec-\(UUID().uuidString.prefix(8)).out").path)
    }

    /// Runs the container until it is stopped, or (init containers, `Never`/`OnFailure`
    /// policies) until it ends for good. Returns whether its last run exited 0.
    func run() async -> Bool {
        began = true
        defer { finished = true }
        var pullBackoff = context.backoff
        var succeeded = false
        while !stopping {
            let image: EmulatedImage
            do {
                image = try context.images.resolve(spec.image, imagesDirectory: context.imagesDirectory)
            } catch {
                let delay = pullBackoff.next(afterRunningFor: .zero)
                update { $0.state = .waiting(reason: delay == .zero ? "ErrImagePull" : "ImagePullBackOff", message: "\(error)") }
                await sleepUnlessStopping(max(delay, .seconds(1)))
                continue
            }
            let ranFor: Duration
            let exit: ProcessExit
            do {
                let pid = try launch(image)
                exit = await ProcessSpawner.waitForExit(pid)
                ranFor = instance.map { ContinuousClock.now - $0.started } ?? .zero
                finishInstance(exit)
            } catch {
                update { $0.state = .waiting(reason: "CreateContainerError", message: "\(error)") }
                await sleepUnlessStopping(.seconds(2))
                continue
            }
            succeeded = exit == .exited(0)
            if stopping { break }
            let restart: Bool = switch context.restartPolicy {
            case .always: !isInit || !succeeded
            case .onFailure: !succeeded
            case .never: false
            }
            guard restart else { break }
            let delay = backoff.next(afterRunningFor: ranFor)
            if delay > .zero {
                update { $0.lastState = $0.state }
                update { $0.state = .waiting(reason: "CrashLoopBackOff", message: "back-off \(delay) restarting failed container=\(self.spec.name) pod=\(self.context.podName)") }
                await sleepUnlessStopping(delay)
            }
        }
        return succeeded
    }

    /// Stops the container: preStop hook, SIGTERM, then SIGKILL once `grace` has passed.
    /// Returns once its processes are gone and `run()` has returned.
    func stop(grace: Duration) async {
        stopping = true
        if let current = instance, !current.exited {
            await kill(instanceNumber: current.number, grace: grace, reason: nil)
        }
        // A container whose run never began (its init containers failed) has nothing to wait for.
        while began, !finished { try? await Task.sleep(for: .milliseconds(20)) }
    }

    private func sleepUnlessStopping(_ duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while !stopping, ContinuousClock.now < deadline {
            try? await Task.sleep(for: min(.milliseconds(100), deadline - ContinuousClock.now))
        }
    }

    private func update(_ change: (inout ContainerRuntimeStatus) -> Void) {
        let before = status
        change(&status)
        if status != before { onChange() }
    }

    private func launch(_ image: EmulatedImage) throws(PodRuntimeError) -> pid_t {
        let fileManager = FileManager.default
        let rootfs = context.containerDirectory.appendingPathComponent("rootfs")
        do {
            try? fileManager.removeItem(at: rootfs)
            try fileManager.createDirectory(at: rootfs, withIntermediateDirectories: true)
            try fileManager.createDirectory(at: logsDirectory, withIntermediateDirectories: true)
        } catch {
            throw .io("preparing container \(spec.name): \(error)")
        }
        let launch = try ContainerLaunch.resolve(spec: spec, image: image, context: context, rootfs: rootfs.path)
        let scriptURL = context.containerDirectory.appendingPathComponent("view.sh")
        do {
            try Data(launch.script.text.utf8).write(to: scriptURL)
        } catch {
            throw .io("writing \(scriptURL.path): \(error)")
        }
        let number = instanceCount
        // Kubernetes keeps the current and the previous instance's log.
        if number >= 2 { try? fileManager.removeItem(at: logsDirectory.appendingPathComponent("\(number - 2).log")) }
        let logPath = logsDirectory.appendingPathComponent("\(number).log").path
        let argv = ["/usr/bin/unshare", "--mount", "--uts", "--propagation", "private", "--", "/bin/sh", scriptURL.path] + launch.argv
        let pid = try ProcessSpawner.spawn(argv: argv, environment: launch.environment, outputPath: logPath)
        instanceCount += 1
        let runner = ProbeRunner(pid: pid, podIP: context.podIP, environment: launch.environment,
                                 dropPrivileges: launch.script.dropPrivileges,
                                 outputPath: context.containerDirectory.appendingPathComponent("probe.out").path)
        var current = Instance(number: number, pid: pid, startedAt: Date(), started: .now, runner: runner)
        if let probe = spec.startupProbe {
            current.startup = ProbeTracker(successThreshold: 1, failureThreshold: probe.failureThreshold)
        }
        instance = current
        let hasStartup = spec.startupProbe != nil
        update {
            if case .terminated = $0.state { $0.lastState = $0.state }
            $0.containerID = "kube-sim://\(self.context.podUID)/\(self.spec.name)/\(number)"
            $0.restartCount = number
            $0.state = .running(startedAt: current.startedAt)
            $0.started = !hasStartup
            $0.ready = !hasStartup && self.spec.readinessProbe == nil && !self.isInit
        }
        Task { await self.recordMountNamespace(instanceNumber: number, pid: pid) }
        if let probe = spec.startupProbe {
            startProbe(.startup, probe, instanceNumber: number)
        } else {
            startSteadyProbes(instanceNumber: number)
        }
        return pid
    }

    /// The namespace appears once `unshare` ran; remember it to find every process of the
    /// container when it has to die.
    private func recordMountNamespace(instanceNumber: Int, pid: pid_t) async {
        let own = ProcessSpawner.mountNamespace(of: getpid())
        for _ in 0..<100 {
            guard instance?.number == instanceNumber else { return }
            let handle = open("/proc/\(pid)/ns/mnt", O_RDONLY | O_CLOEXEC)
            if handle >= 0 {
                let namespace = ProcessSpawner.mountNamespace(of: pid)
                // Still the same process (our unreaped child) in its own namespace: keep it.
                if let namespace, namespace != own, instance?.exited == false, instance?.number == instanceNumber {
                    instance?.mountNamespace = namespace
                    instance?.namespaceHandle = handle
                    return
                }
                close(handle)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func startSteadyProbes(instanceNumber: Int) {
        guard !isInit else { return }
        if let probe = spec.livenessProbe {
            instance?.liveness = ProbeTracker(successThreshold: 1, failureThreshold: probe.failureThreshold, initial: .success)
            startProbe(.liveness, probe, instanceNumber: instanceNumber)
        }
        if let probe = spec.readinessProbe {
            instance?.readiness = ProbeTracker(successThreshold: probe.successThreshold, failureThreshold: probe.failureThreshold)
            startProbe(.readiness, probe, instanceNumber: instanceNumber)
        }
    }

    private func startProbe(_ kind: ProbeKind, _ probe: ProbeSpec, instanceNumber: Int) {
        guard let runner = instance?.runner else { return }
        let task = Task {
            try? await Task.sleep(for: .seconds(probe.initialDelaySeconds))
            var ticker = ProbeTicker(period: .seconds(probe.periodSeconds), start: .now)
            while !Task.isCancelled {
                let result = await runner.run(probe.action, timeout: .seconds(probe.timeoutSeconds))
                guard !Task.isCancelled else { return }
                await self.record(kind, result, instanceNumber: instanceNumber)
                try? await Task.sleep(until: ticker.take(now: .now))
            }
        }
        instance?.probes.append(task)
    }

    private func record(_ kind: ProbeKind, _ result: ProbeRunner.Result, instanceNumber: Int) async {
        guard var current = instance, current.number == instanceNumber, !current.exited, current.killReason == nil else { return }
        switch kind {
        case .startup:
            guard let verdict = current.startup?.record(success: result.success) else { return }
            instance = current
            if verdict == .success {
                current.probes.first?.cancel()
                update {
                    $0.started = true
                    $0.ready = self.spec.readinessProbe == nil
                }
                startSteadyProbes(instanceNumber: instanceNumber)
            } else {
                await kill(instanceNumber: instanceNumber, grace: context.terminationGracePeriod,
                           reason: "Container \(spec.name) failed startup probe, will be restarted: \(result.message)")
            }
        case .liveness:
            let verdict = current.liveness?.record(success: result.success)
            instance = current
            if verdict == .failure {
                await kill(instanceNumber: instanceNumber, grace: context.terminationGracePeriod,
                           reason: "Container \(spec.name) failed liveness probe, will be restarted: \(result.message)")
            }
        case .readiness:
            guard let verdict = current.readiness?.record(success: result.success) else {
                instance = current
                return
            }
            instance = current
            update { $0.ready = verdict == .success }
        }
    }

    /// preStop, SIGTERM to the process group, SIGKILL to the whole namespace after `grace`.
    private func kill(instanceNumber: Int, grace: Duration, reason: String?) async {
        guard let current = instance, current.number == instanceNumber, !current.exited else { return }
        if instance?.killReason == nil { instance?.killReason = reason ?? "" }
        update { $0.ready = false }
        let deadline = ContinuousClock.now + grace
        if let preStop = spec.preStop {
            _ = await current.runner.run(preStop, timeout: grace)
        }
        ProcessSpawner.signalGroup(current.pid, SIGTERM)
        while ContinuousClock.now < deadline, instance?.number == instanceNumber, instance?.exited == false {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if instance?.number == instanceNumber, instance?.exited == false {
            killEverything(current.pid, namespace: instance?.mountNamespace)
        }
    }

    private func killEverything(_ pid: pid_t, namespace: String?) {
        ProcessSpawner.signalGroup(pid, SIGKILL)
        if let namespace {
            for other in ProcessSpawner.processes(inMountNamespace: namespace) { Glibc.kill(other, SIGKILL) }
        }
    }

    private func finishInstance(_ exit: ProcessExit) {
        guard var current = instance else { return }
        current.exited = true
        current.probes.forEach { $0.cancel() }
        // Whatever the main process left behind dies with it, as in a pid namespace.
        if let namespace = current.mountNamespace {
            for other in ProcessSpawner.processes(inMountNamespace: namespace) { Glibc.kill(other, SIGKILL) }
        }
        if let handle = current.namespaceHandle {
            close(handle)
            current.namespaceHandle = nil
        }
        instance = current
        let code = exit.exitCode
        let signal: Int32? = if case .signaled(let number) = exit { number } else { nil }
        let message = current.killReason.flatMap { $0.isEmpty ? nil : $0 }
        let reason = code == 0 ? "Completed" : "Error"
        let terminated = RuntimeContainerState.terminated(exitCode: code, signal: signal, reason: reason, message: message,
                                                   startedAt: current.startedAt, finishedAt: Date())
        update {
            $0.state = terminated
            $0.ready = false
        }
    }
}
