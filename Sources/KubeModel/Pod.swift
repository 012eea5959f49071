/// `core/v1 Pod`.
public struct Pod: KubeObject, Hashable {
    public static let resourceType = ResourceType.pods

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: PodSpec?
    public var status: PodStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: PodSpec? = nil, status: PodStatus? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec, status }

    /// Decodes leniently: list items carry no `apiVersion`/`kind`, and every field may be absent.
    public init(from decoder: any Decoder) throws {
        (apiVersion, kind, metadata) = try decoder.objectHeader(for: Self.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        spec = try container.decodeIfPresent(PodSpec.self, forKey: .spec)
        status = try container.decodeIfPresent(PodStatus.self, forKey: .status)
    }
}

/// `core/v1 PodStatus`.
public struct PodStatus: Codable, Hashable, Sendable {
    public var phase: String?
    public var conditions: [PodCondition]?
    public var message: String?
    public var reason: String?
    public var nominatedNodeName: String?
    public var hostIP: String?
    public var hostIPs: [HostIP]?
    public var podIP: String?
    public var podIPs: [PodIP]?
    public var startTime: Time?
    public var initContainerStatuses: [ContainerStatus]?
    public var containerStatuses: [ContainerStatus]?
    public var qosClass: String?

    public init(phase: String? = nil, conditions: [PodCondition]? = nil, message: String? = nil, reason: String? = nil, nominatedNodeName: String? = nil, hostIP: String? = nil, hostIPs: [HostIP]? = nil, podIP: String? = nil, podIPs: [PodIP]? = nil, startTime: Time? = nil, initContainerStatuses: [ContainerStatus]? = nil, containerStatuses: [ContainerStatus]? = nil, qosClass: String? = nil) {
        self.phase = phase
        self.conditions = conditions
        self.message = message
        self.reason = reason
        self.nominatedNodeName = nominatedNodeName
        self.hostIP = hostIP
        self.hostIPs = hostIPs
        self.podIP = podIP
        self.podIPs = podIPs
        self.startTime = startTime
        self.initContainerStatuses = initContainerStatuses
        self.containerStatuses = containerStatuses
        self.qosClass = qosClass
    }
}

/// `core/v1 PodCondition`: `type` is e.g. `PodScheduled`, `Initialized`, `ContainersReady`, `Ready`.
public struct PodCondition: Codable, Hashable, Sendable {
    public var type: String?
    public var status: String?
    public var lastProbeTime: Time?
    public var lastTransitionTime: Time?
    public var reason: String?
    public var message: String?

    public init(type: String? = nil, status: String? = nil, lastProbeTime: Time? = nil, lastTransitionTime: Time? = nil, reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.lastProbeTime = lastProbeTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

/// `core/v1 PodIP`.
public struct PodIP: Codable, Hashable, Sendable {
    public var ip: String?

    public init(ip: String? = nil) {
        self.ip = ip
    }
}

/// `core/v1 HostIP`.
public struct HostIP: Codable, Hashable, Sendable {
    public var ip: String?

    public init(ip: String? = nil) {
        self.ip = ip
    }
}
