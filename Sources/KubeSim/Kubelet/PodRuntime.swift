import Foundation

/// Settings of the pod runtime.
public struct PodRuntimeConfiguration: Sendable {
    /// Where pods' directories (`pods/<uid>`) and prepared images (`images/`) live.
    public var stateDirectory: URL
    public var images: ImageCatalog
    /// Crash-loop back-off; tests shorten it.
    public var backoff: RestartBackoff

    public init(stateDirectory: URL, images: ImageCatalog = .standard, backoff: RestartBackoff = RestartBackoff()) {
        self.stateDirectory = stateDirectory
        self.images = images
        self.backoff = backoff
    }
}

/// Runs pods as local processes: each container in its own mount and UTS namespace with the
/// pod's volumes, `/etc/hosts` and hostname, as the pod's user, on the pod's own loopback
/// address. The runtime knows nothing of the API: the kubelet hands it resolved specs.
public actor PodRuntime {
    private struct Sandbox {
        var spec: PodSandboxSpec
        var podIP: String
        var directory: URL
        var startTime: Date
        var initContainers: [ContainerSupervisor]
        var containers: [ContainerSupervisor]
        var run: Task<Void, Never>?
        var terminating = false
    }

    public let configuration: PodRuntimeConfiguration
    private var sandboxes: [String: Sandbox] = [:]
    /// Yields a pod's uid whenever anything in its status may have changed.
    public nonisolated let changes: AsyncStream<String>
    private let changesContinuation: AsyncStream<String>.Continuation

    public init(configuration: PodRuntimeConfiguration) {
        self.configuration = configuration
        (changes, changesContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1000))
    }

    private var podsDirectory: URL { configuration.stateDirectory.appendingPathComponent("pods") }
    private var imagesDirectory: URL { configuration.stateDirectory.appendingPathComponent("images") }

    /// The uids of the pods the runtime holds (running or stopped, not yet removed).
    public var podUIDs: [String] { sandboxes.keys.sorted() }

    /// Prepares the pod's volumes and hosts file, then runs its init containers in order and
    /// its containers together. Starting a pod the runtime already holds does nothing.
    public func startPod(_ spec: PodSandboxSpec, podIP: String, hosts: String) throws(PodRuntimeError) {
        guard sandboxes[spec.uid] == nil else { return }
        guard !spec.uid.isEmpty, !spec.uid.contains("/"), spec.uid != "..", spec.uid != "." else {
            throw .invalidSpec("pod uid \(spec.uid) cannot name a directory")
        }
        let directory = podsDirectory.appendingPathComponent(spec.uid)
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: directory.appendingPathComponent("volumes"), withIntermediateDirectories: true)
        } catch {
            throw .io("creating \(directory.path): \(error)")
        }
        let hostsFile = directory.appendingPathComponent("hosts").path
        try VolumeFiles.rewriteInPlace(hostsFile, content: hosts)

        var volumes: [String: ContainerContext.Volume] = [:]
        var fsGroupDirectories: [String] = []
        for volume in spec.volumes {
            let path: String
            switch volume.source {
            case .emptyDir:
                path = directory.appendingPathComponent("volumes/\(volume.name)").path
                try Self.makeSharedDirectory(path)
                fsGroupDirectories.append(path)
            case .hostDirectory(let hostPath):
                path = hostPath
                try Self.makeSharedDirectory(path)
                fsGroupDirectories.append(path)
            case .files(let files):
                path = directory.appendingPathComponent("volumes/\(volume.name)").path
                try VolumeFiles.write(files, to: URL(fileURLWithPath: path), fsGroup: spec.identity.fsGroup)
            }
            if case .files = volume.source {
                volumes[volume.name] = .init(hostPath: path, forcedReadOnly: true)
            } else {
                volumes[volume.name] = .init(hostPath: path, forcedReadOnly: false)
            }
        }
        let uid = spec.uid
        let notify: @Sendable () -> Void = { [changesContinuation] in changesContinuation.yield(uid) }
        func supervisor(_ container: ContainerSpec, isInit: Bool) -> ContainerSupervisor {
            let context = ContainerContext(
                podUID: spec.uid, podName: spec.name, namespace: spec.namespace, hostname: spec.hostname, podIP: podIP,
                hostsFile: hostsFile,
                containerDirectory: directory.appendingPathComponent("containers/\(isInit ? "init-" : "")\(container.name)"),
                imagesDirectory: imagesDirectory, images: configuration.images, volumes: volumes,
                fsGroupDirectories: fsGroupDirectories, podIdentity: spec.identity, restartPolicy: spec.restartPolicy,
                terminationGracePeriod: .seconds(spec.terminationGracePeriodSeconds), backoff: configuration.backoff)
            return ContainerSupervisor(spec: container, context: context, isInit: isInit, onChange: notify)
        }
        let initContainers = spec.initContainers.map { supervisor($0, isInit: true) }
        let containers = spec.containers.map { supervisor($0, isInit: false) }
        var sandbox = Sandbox(spec: spec, podIP: podIP, directory: directory, startTime: Date(),
                              initContainers: initContainers, containers: containers)
        sandbox.run = Task {
            for initContainer in initContainers {
                guard await initContainer.run() else { return }
            }
            await withTaskGroup(of: Void.self) { group in
                for container in containers { group.addTask { _ = await container.run() } }
            }
        }
        sandboxes[spec.uid] = sandbox
        notify()
    }

    /// emptyDir and local volumes are world-writable, as Kubernetes and local-path make them.
    private static func makeSharedDirectory(_ path: String) throws(PodRuntimeError) {
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: path) else { return }
        do {
            try fileManager.createDirectory(atPath: path, withIntermediateDirectories: true)
            try fileManager.setAttributes([.posixPermissions: 0o777], ofItemAtPath: path)
        } catch {
            throw .io("creating volume directory \(path): \(error)")
        }
    }

    /// Stops the pod's containers (preStop, SIGTERM, SIGKILL after the grace period, which
    /// defaults to the pod's `terminationGracePeriodSeconds`) and waits until they are gone.
    public func stopPod(uid: String, gracePeriod: Duration? = nil) async {
        guard var sandbox = sandboxes[uid] else { return }
        sandbox.terminating = true
        sandboxes[uid] = sandbox
        changesContinuation.yield(uid)
        let grace = gracePeriod ?? .seconds(sandbox.spec.terminationGracePeriodSeconds)
        await withTaskGroup(of: Void.self) { group in
            for container in sandbox.initContainers + sandbox.containers {
                group.addTask { await container.stop(grace: grace) }
            }
        }
        await sandbox.run?.value
        changesContinuation.yield(uid)
    }

    /// Stops the pod and deletes its directories (not its persistent volumes' directories).
    public func removePod(uid: String) async {
        await stopPod(uid: uid, gracePeriod: .zero)
        guard let sandbox = sandboxes.removeValue(forKey: uid) else { return }
        try? FileManager.default.removeItem(at: sandbox.directory)
    }

    /// Stops every pod (each with its grace period, capped at `maximumGrace`).
    public func shutdown(maximumGrace: Duration = .seconds(30)) async {
        let uids = Array(sandboxes.keys)
        await withTaskGroup(of: Void.self) { group in
            for uid in uids {
                let grace = min(.seconds(sandboxes[uid]?.spec.terminationGracePeriodSeconds ?? 0), maximumGrace)
                group.addTask { await self.stopPod(uid: uid, gracePeriod: grace) }
            }
        }
    }

    /// The pod's status as the runtime sees it.
    public func status(of uid: String) async -> PodRuntimeStatus? {
        guard let sandbox = sandboxes[uid] else { return nil }
        var initStatuses: [ContainerRuntimeStatus] = []
        for container in sandbox.initContainers { initStatuses.append(await container.status) }
        var statuses: [ContainerRuntimeStatus] = []
        for container in sandbox.containers { statuses.append(await container.status) }
        return PodRuntimeStatus(uid: uid, podIP: sandbox.podIP, startTime: sandbox.startTime,
                                restartPolicy: sandbox.spec.restartPolicy, initContainerStatuses: initStatuses,
                                containerStatuses: statuses, terminating: sandbox.terminating)
    }

    /// Replaces the pod's `/etc/hosts` (in place: running containers see the change).
    public func updateHosts(uid: String, content: String) throws(PodRuntimeError) {
        guard let sandbox = sandboxes[uid] else { throw .podNotFound(uid: uid) }
        try VolumeFiles.rewriteInPlace(sandbox.directory.appendingPathComponent("hosts").path, content: content)
    }

    /// Replaces the files of a configMap/secret/downwardAPI/projected volume of a running pod.
    public func updateVolumeFiles(uid: String, volume: String, files: [ProjectedFile]) throws(PodRuntimeError) {
        guard let sandbox = sandboxes[uid] else { throw .podNotFound(uid: uid) }
        try VolumeFiles.write(files, to: sandbox.directory.appendingPathComponent("volumes/\(volume)"),
                              fsGroup: sandbox.spec.identity.fsGroup)
    }

    /// Runs `command` in a running container's view as its user, like `kubectl exec`; nil
    /// when the container does not run. The output is stdout and stderr together.
    /// A command that timed out reports exit code 137 (it was killed).
    public func exec(uid: String, container: String, command: [String], timeout: Duration = .seconds(60)) async -> (exitCode: Int32, output: String)? {
        guard let supervisor = sandboxes[uid]?.containers.first(where: { $0.spec.name == container }) else { return nil }
        guard let result = await supervisor.exec(command, timeout: timeout) else { return nil }
        return (result.exitCode ?? 137, result.output)
    }

    /// The main process of a running container (tests kill it to see it restart).
    func mainProcess(uid: String, container: String) async -> pid_t? {
        guard let supervisor = sandboxes[uid]?.containers.first(where: { $0.spec.name == container }) else { return nil }
        return await supervisor.mainProcess
    }

    /// The file holding a container's output (its current instance, or the previous one).
    public func logFile(uid: String, container: String, previous: Bool = false) async -> URL? {
        guard let sandbox = sandboxes[uid] else { return nil }
        for supervisor in sandbox.containers + sandbox.initContainers where supervisor.spec.name == container {
            return await supervisor.logFile(previous: previous)
        }
        return nil
    }

    /// A container's output, for `kubectl logs` (`--previous`, `--tail`).
    public func logs(uid: String, container: String, previous: Bool = false, tailLines: Int? = nil) async throws(PodRuntimeError) -> String {
        guard let url = await logFile(uid: uid, container: container, previous: previous) else {
            throw .io(previous ? "previous terminated container \"\(container)\" not found" : "container \"\(container)\" has no logs yet")
        }
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        guard let tailLines else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines.suffix(max(0, tailLines)).map { $0 + "\n" }.joined()
    }
}
