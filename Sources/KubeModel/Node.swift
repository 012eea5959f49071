/// `core/v1 Node`.
public struct Node: KubeObject, Hashable {
    public static let resourceType = ResourceType.nodes

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: NodeSpec?
    public var status: NodeStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: NodeSpec? = nil, status: NodeStatus? = nil) {
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
        spec = try container.decodeIfPresent(NodeSpec.self, forKey: .spec)
        status = try container.decodeIfPresent(NodeStatus.self, forKey: .status)
    }
}

/// `core/v1 NodeSpec`.
public struct NodeSpec: Codable, Hashable, Sendable {
    public var podCIDR: String?
    public var podCIDRs: [String]?
    public var providerID: String?
    public var unschedulable: Bool?
    public var taints: [Taint]?

    public init(podCIDR: String? = nil, podCIDRs: [String]? = nil, providerID: String? = nil, unschedulable: Bool? = nil, taints: [Taint]? = nil) {
        self.podCIDR = podCIDR
        self.podCIDRs = podCIDRs
        self.providerID = providerID
        self.unschedulable = unschedulable
        self.taints = taints
    }
}

/// `core/v1 Taint`.
public struct Taint: Codable, Hashable, Sendable {
    public var key: String?
    public var value: String?
    public var effect: String?
    public var timeAdded: Time?

    public init(key: String? = nil, value: String? = nil, effect: String? = nil, timeAdded: Time? = nil) {
        self.key = key
        self.value = value
        self.effect = effect
        self.timeAdded = timeAdded
    }
}

/// `core/v1 NodeStatus`.
public struct NodeStatus: Codable, Hashable, Sendable {
    public var capacity: [String:Quantity]?
    public var allocatable: [String:Quantity]?
    public var phase: String?
    public var conditions: [NodeCondition]?
    public var addresses: [NodeAddress]?
    public var daemonEndpoints: JSONValue?
    public var nodeInfo: NodeSystemInfo?

    public init(capacity: [String:Quantity]? = nil, allocatable: [String:Quantity]? = nil, phase: String? = nil, conditions: [NodeCondition]? = nil, addresses: [NodeAddress]? = nil, daemonEndpoints: JSONValue? = nil, nodeInfo: NodeSystemInfo? = nil) {
        self.capacity = capacity
        self.allocatable = allocatable
        self.phase = phase
        self.conditions = conditions
        self.addresses = addresses
        self.daemonEndpoints = daemonEndpoints
        self.nodeInfo = nodeInfo
    }
}

/// `core/v1 NodeCondition`.
public struct NodeCondition: Codable, Hashable, Sendable {
    public var type: String?
    public var status: String?
    public var lastHeartbeatTime: Time?
    public var lastTransitionTime: Time?
    public var reason: String?
    public var message: String?

    public init(type: String? = nil, status: String? = nil, lastHeartbeatTime: Time? = nil, lastTransitionTime: Time? = nil, reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.lastHeartbeatTime = lastHeartbeatTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

/// `core/v1 NodeAddress`: `type` is `Hostname`, `InternalIP`, ...
public struct NodeAddress: Codable, Hashable, Sendable {
    public var type: String?
    public var address: String?

    public init(type: String? = nil, address: String? = nil) {
        self.type = type
        self.address = address
    }
}

/// `core/v1 NodeSystemInfo`.
public struct NodeSystemInfo: Codable, Hashable, Sendable {
    public var machineID: String?
    public var systemUUID: String?
    public var bootID: String?
    public var kernelVersion: String?
    public var osImage: String?
    public var containerRuntimeVersion: String?
    public var kubeletVersion: String?
    public var kubeProxyVersion: String?
    public var operatingSystem: String?
    public var architecture: String?

    public init(machineID: String? = nil, systemUUID: String? = nil, bootID: String? = nil, kernelVersion: String? = nil, osImage: String? = nil, containerRuntimeVersion: String? = nil, kubeletVersion: String? = nil, kubeProxyVersion: String? = nil, operatingSystem: String? = nil, architecture: String? = nil) {
        self.machineID = machineID
        self.systemUUID = systemUUID
        self.bootID = bootID
        self.kernelVersion = kernelVersion
        self.osImage = osImage
        self.containerRuntimeVersion = containerRuntimeVersion
        self.kubeletVersion = kubeletVersion
        self.kubeProxyVersion = kubeProxyVersion
        self.operatingSystem = operatingSystem
        self.architecture = architecture
    }
}
