import Foundation

/// What the pod runtime needs to run one pod, with every API reference already resolved:
/// the kubelet turns a `Pod` (plus its ConfigMaps, Secrets and claims) into this, so the
/// runtime never talks to an API server and tests can drive it directly.
public struct PodSandboxSpec: Sendable, Equatable {
    /// The pod's UID: the runtime's key for the pod and its directories.
    public var uid: String
    public var namespace: String
    public var name: String
    /// `spec.hostname`, or the pod name.
    public var hostname: String
    /// `spec.subdomain`: with it the pod's FQDN is `<hostname>.<subdomain>.<ns>.svc.cluster.local`.
    public var subdomain: String?
    public var volumes: [VolumeSpec]
    public var initContainers: [ContainerSpec]
    public var containers: [ContainerSpec]
    public var restartPolicy: RestartPolicy
    public var terminationGracePeriodSeconds: Int
    /// The pod-level identity (`spec.securityContext`); a container's own settings win.
    public var identity: ProcessIdentity

    public init(uid: String, namespace: String, name: String, hostname: String? = nil, subdomain: String? = nil,
                volumes: [VolumeSpec] = [], initContainers: [ContainerSpec] = [], containers: [ContainerSpec],
                restartPolicy: RestartPolicy = .always, terminationGracePeriodSeconds: Int = 30,
                identity: ProcessIdentity = ProcessIdentity()) {
        self.uid = uid
        self.namespace = namespace
        self.name = name
        self.hostname = hostname ?? name
        self.subdomain = subdomain
        self.volumes = volumes
        self.initContainers = initContainers
        self.containers = containers
        self.restartPolicy = restartPolicy
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.identity = identity
    }

    /// The pod's fully qualified host name, as `hostname -f` prints it in a real pod.
    public var fqdn: String {
        guard let subdomain, !subdomain.isEmpty else { return hostname }
        return "\(hostname).\(subdomain).\(namespace).svc.cluster.local"
    }
}

/// `spec.restartPolicy`.
public enum RestartPolicy: String, Sendable, Equatable {
    case always = "Always", onFailure = "OnFailure", never = "Never"
}

/// Who a container's processes run as: `runAsUser`, `runAsGroup`, `fsGroup`,
/// `supplementalGroups`. Nil fields fall back to the pod level, then to the image.
public struct ProcessIdentity: Sendable, Equatable {
    public var runAsUser: UInt32?
    public var runAsGroup: UInt32?
    public var fsGroup: UInt32?
    public var supplementalGroups: [UInt32]

    public init(runAsUser: UInt32? = nil, runAsGroup: UInt32? = nil, fsGroup: UInt32? = nil, supplementalGroups: [UInt32] = []) {
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.fsGroup = fsGroup
        self.supplementalGroups = supplementalGroups
    }

    /// `self` with unset fields taken from `fallback` (container over pod).
    public func overriding(_ fallback: ProcessIdentity) -> ProcessIdentity {
        ProcessIdentity(runAsUser: runAsUser ?? fallback.runAsUser, runAsGroup: runAsGroup ?? fallback.runAsGroup,
                        fsGroup: fsGroup ?? fallback.fsGroup,
                        supplementalGroups: supplementalGroups.isEmpty ? fallback.supplementalGroups : supplementalGroups)
    }
}

/// One pod volume, its content already resolved.
public struct VolumeSpec: Sendable, Equatable {
    public var name: String
    public var source: Source

    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }

    public enum Source: Sendable, Equatable {
        /// A fresh directory for the pod's lifetime (`emptyDir`).
        case emptyDir
        /// Files the kubelet writes (configMap, secret, downwardAPI, projected); mounted read-only
        /// and rewritten in place when their source changes.
        case files([ProjectedFile])
        /// A host directory that outlives the pod (a bound PersistentVolume, a hostPath).
        case hostDirectory(String)
    }
}

/// A file of a `files` volume: a relative path, its content and its mode.
public struct ProjectedFile: Sendable, Equatable {
    public var path: String
    public var content: Data
    public var mode: UInt16

    public init(path: String, content: Data, mode: UInt16 = 0o644) {
        self.path = path
        self.content = content
        self.mode = mode
    }
}

/// One `volumeMounts` entry.
public struct MountSpec: Sendable, Equatable {
    public var volume: String
    public var mountPath: String
    public var subPath: String?
    public var readOnly: Bool

    public init(volume: String, mountPath: String, subPath: String? = nil, readOnly: Bool = false) {
        self.volume = volume
        self.mountPath = mountPath
        self.subPath = subPath
        self.readOnly = readOnly
    }
}

/// One container, its env already resolved (`valueFrom` included).
public struct ContainerSpec: Sendable, Equatable {
    public var name: String
    public var image: String
    /// `command`: replaces the image's entrypoint.
    public var command: [String]?
    /// `args`: replace the image's cmd.
    public var args: [String]?
    public var env: [RuntimeEnvVar]
    public var workingDir: String?
    public var volumeMounts: [MountSpec]
    public var readinessProbe: ProbeSpec?
    public var livenessProbe: ProbeSpec?
    public var startupProbe: ProbeSpec?
    public var preStop: ProbeSpec.Action?
    public var identity: ProcessIdentity

    public init(name: String, image: String, command: [String]? = nil, args: [String]? = nil, env: [RuntimeEnvVar] = [],
                workingDir: String? = nil, volumeMounts: [MountSpec] = [], readinessProbe: ProbeSpec? = nil,
                livenessProbe: ProbeSpec? = nil, startupProbe: ProbeSpec? = nil, preStop: ProbeSpec.Action? = nil,
                identity: ProcessIdentity = ProcessIdentity()) {
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.env = env
        self.workingDir = workingDir
        self.volumeMounts = volumeMounts
        self.readinessProbe = readinessProbe
        self.livenessProbe = livenessProbe
        self.startupProbe = startupProbe
        self.preStop = preStop
        self.identity = identity
    }
}

/// A resolved environment variable.
public struct RuntimeEnvVar: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A readiness, liveness or startup probe (`spec.containers[].*Probe`).
public struct ProbeSpec: Sendable, Equatable {
    public var action: Action
    public var initialDelaySeconds: Double
    public var periodSeconds: Double
    public var timeoutSeconds: Double
    public var successThreshold: Int
    public var failureThreshold: Int

    public init(action: Action, initialDelaySeconds: Double = 0, periodSeconds: Double = 10, timeoutSeconds: Double = 1,
                successThreshold: Int = 1, failureThreshold: Int = 3) {
        self.action = action
        self.initialDelaySeconds = initialDelaySeconds
        self.periodSeconds = periodSeconds
        self.timeoutSeconds = timeoutSeconds
        self.successThreshold = max(1, successThreshold)
        self.failureThreshold = max(1, failureThreshold)
    }

    /// What a probe (or a preStop hook) does.
    public enum Action: Sendable, Equatable {
        /// Runs a command inside the container's view, as the container's user; exit 0 is success.
        case exec([String])
        /// Connects to the pod IP (or `host`) on a port.
        case tcpSocket(port: Int, host: String?)
        /// GETs `http://<pod IP or host>:<port><path>`; 200..<400 is success.
        case httpGet(path: String, port: Int, host: String?, scheme: String)
    }
}
