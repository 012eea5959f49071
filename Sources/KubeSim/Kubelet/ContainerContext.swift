import Foundation

/// What a container's supervisor knows of its pod and of the runtime.
struct ContainerContext: Sendable {
    /// A volume as the container's mounts see it.
    struct Volume: Sendable {
        var hostPath: String
        /// configMap/secret/downwardAPI/projected volumes are read-only, as in Kubernetes.
        var forcedReadOnly: Bool
    }

    var podUID: String
    var podName: String
    var namespace: String
    var hostname: String
    var podIP: String
    var hostsFile: String
    var containerDirectory: URL
    var imagesDirectory: URL
    var images: ImageCatalog
    var volumes: [String: Volume]
    /// Writable volume directories handed to the pod's `fsGroup`.
    var fsGroupDirectories: [String]
    var podIdentity: ProcessIdentity
    var restartPolicy: RestartPolicy
    var terminationGracePeriod: Duration
    var backoff: RestartBackoff
}

/// Everything resolved to start one instance of a container.
struct ContainerLaunch: Sendable {
    var argv: [String]
    var environment: [String]
    var script: ContainerViewScript

    /// Resolves the container's command line, environment, user and view from its spec and image.
    static func resolve(spec: ContainerSpec, image: EmulatedImage, context: ContainerContext,
                        rootfs: String) throws(PodRuntimeError) -> ContainerLaunch {
        let env = EnvironmentExpansion.expand(spec.env)
        var variables: [String: String] = [:]
        for variable in env { variables[variable.name] = variable.value }
        let expand = { (value: String) in EnvironmentExpansion.expand(value, with: variables) }
        let command = (spec.command?.map(expand) ?? image.entrypoint)
            + (spec.args?.map(expand) ?? (spec.command == nil ? image.cmd : []))
        guard !command.isEmpty else { throw .invalidSpec("container \(spec.name) has no command and its image no entrypoint") }

        // Image env first, then HOSTNAME as a container runtime sets it, then the container's env.
        var order: [String] = []
        var values: [String: String] = [:]
        for variable in image.env + [RuntimeEnvVar("HOSTNAME", context.hostname)] + env {
            if values[variable.name] == nil { order.append(variable.name) }
            values[variable.name] = variable.value
        }
        let environment = order.map { "\($0)=\(values[$0] ?? "")" }

        let identity = spec.identity.overriding(context.podIdentity)
        var groups: [UInt32] = []
        for group in [identity.fsGroup].compactMap({ $0 }) + identity.supplementalGroups where !groups.contains(group) {
            groups.append(group)
        }
        let uid = identity.runAsUser ?? image.user?.uid
        let user: (uid: UInt32, gid: UInt32, groups: [UInt32])?
        if uid == nil, identity.runAsGroup == nil, groups.isEmpty {
            user = nil
        } else {
            user = (uid ?? 0, identity.runAsGroup ?? image.user?.gid ?? 0, groups)
        }

        var mounts: [ContainerViewScript.Mount] = []
        for mount in spec.volumeMounts {
            guard let volume = context.volumes[mount.volume] else {
                throw .invalidSpec("container \(spec.name) mounts unknown volume \(mount.volume)")
            }
            var source = volume.hostPath
            if let subPath = mount.subPath, !subPath.isEmpty {
                guard !subPath.hasPrefix("/"), !subPath.split(separator: "/").contains("..") else {
                    throw .invalidSpec("subPath \(subPath) must be relative and stay inside its volume")
                }
                source += "/" + subPath
                if !FileManager.default.fileExists(atPath: source) {
                    try? FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true,
                                                             attributes: [.posixPermissions: 0o777])
                }
            }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory)
            mounts.append(.init(hostPath: source, containerPath: mount.mountPath,
                                readOnly: mount.readOnly || volume.forcedReadOnly, isFile: !isDirectory.boolValue))
        }
        let script = ContainerViewScript(
            rootfs: rootfs, hostname: context.hostname, hostsFile: context.hostsFile,
            hostEntries: ContainerViewScript.currentHostEntries(), imageDirectories: image.directories,
            imageHostPaths: image.hostPaths, mounts: mounts, fsGroupDirectories: context.fsGroupDirectories,
            fsGroup: identity.fsGroup, workingDir: spec.workingDir ?? image.workingDir, user: user)
        return ContainerLaunch(argv: command, environment: environment, script: script)
    }
}
