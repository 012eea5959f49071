/// `core/v1 Container` (also used for init containers).
public struct Container: Codable, Hashable, Sendable {
    public var name: String?
    public var image: String?
    public var imagePullPolicy: String?
    public var command: [String]?
    public var args: [String]?
    public var workingDir: String?
    public var ports: [ContainerPort]?
    public var env: [EnvVar]?
    public var envFrom: [EnvFromSource]?
    public var resources: ResourceRequirements?
    public var volumeMounts: [VolumeMount]?
    public var livenessProbe: Probe?
    public var readinessProbe: Probe?
    public var startupProbe: Probe?
    public var lifecycle: Lifecycle?
    public var terminationMessagePath: String?
    public var terminationMessagePolicy: String?
    public var securityContext: SecurityContext?
    public var restartPolicy: String?
    public var stdin: Bool?
    public var tty: Bool?

    public init(name: String? = nil, image: String? = nil, imagePullPolicy: String? = nil, command: [String]? = nil, args: [String]? = nil, workingDir: String? = nil, ports: [ContainerPort]? = nil, env: [EnvVar]? = nil, envFrom: [EnvFromSource]? = nil, resources: ResourceRequirements? = nil, volumeMounts: [VolumeMount]? = nil, livenessProbe: Probe? = nil, readinessProbe: Probe? = nil, startupProbe: Probe? = nil, lifecycle: Lifecycle? = nil, terminationMessagePath: String? = nil, terminationMessagePolicy: String? = nil, securityContext: SecurityContext? = nil, restartPolicy: String? = nil, stdin: Bool? = nil, tty: Bool? = nil) {
        self.name = name
        self.image = image
        self.imagePullPolicy = imagePullPolicy
        self.command = command
        self.args = args
        self.workingDir = workingDir
        self.ports = ports
        self.env = env
        self.envFrom = envFrom
        self.resources = resources
        self.volumeMounts = volumeMounts
        self.livenessProbe = livenessProbe
        self.readinessProbe = readinessProbe
        self.startupProbe = startupProbe
        self.lifecycle = lifecycle
        self.terminationMessagePath = terminationMessagePath
        self.terminationMessagePolicy = terminationMessagePolicy
        self.securityContext = securityContext
        self.restartPolicy = restartPolicy
        self.stdin = stdin
        self.tty = tty
    }
}

/// `core/v1 ContainerPort`.
public struct ContainerPort: Codable, Hashable, Sendable {
    public var name: String?
    public var containerPort: Int?
    public var `protocol`: String?
    public var hostPort: Int?
    public var hostIP: String?

    public init(name: String? = nil, containerPort: Int? = nil, `protocol`: String? = nil, hostPort: Int? = nil, hostIP: String? = nil) {
        self.name = name
        self.containerPort = containerPort
        self.`protocol` = `protocol`
        self.hostPort = hostPort
        self.hostIP = hostIP
    }
}

/// `core/v1 ResourceRequirements`: quantities as the strings the API uses (`500m`, `1Gi`).
public struct ResourceRequirements: Codable, Hashable, Sendable {
    public var requests: [String:Quantity]?
    public var limits: [String:Quantity]?

    public init(requests: [String:Quantity]? = nil, limits: [String:Quantity]? = nil) {
        self.requests = requests
        self.limits = limits
    }
}

/// `core/v1 VolumeMount`.
public struct VolumeMount: Codable, Hashable, Sendable {
    public var name: String?
    public var mountPath: String?
    public var readOnly: Bool?
    public var subPath: String?
    public var subPathExpr: String?
    public var mountPropagation: String?

    public init(name: String? = nil, mountPath: String? = nil, readOnly: Bool? = nil, subPath: String? = nil, subPathExpr: String? = nil, mountPropagation: String? = nil) {
        self.name = name
        self.mountPath = mountPath
        self.readOnly = readOnly
        self.subPath = subPath
        self.subPathExpr = subPathExpr
        self.mountPropagation = mountPropagation
    }
}
