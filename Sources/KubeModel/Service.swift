/// `core/v1 Service`.
public struct Service: KubeObject, Hashable {
    public static let resourceType = ResourceType.services

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: ServiceSpec?
    public var status: ServiceStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: ServiceSpec? = nil, status: ServiceStatus? = nil) {
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
        spec = try container.decodeIfPresent(ServiceSpec.self, forKey: .spec)
        status = try container.decodeIfPresent(ServiceStatus.self, forKey: .status)
    }
}

/// `core/v1 ServiceSpec`.
public struct ServiceSpec: Codable, Hashable, Sendable {
    public var type: String?
    public var selector: [String:String]?
    public var ports: [ServicePort]?
    public var clusterIP: String?
    public var clusterIPs: [String]?
    public var publishNotReadyAddresses: Bool?
    public var sessionAffinity: String?
    public var externalTrafficPolicy: String?
    public var internalTrafficPolicy: String?
    public var ipFamilies: [String]?
    public var ipFamilyPolicy: String?
    public var loadBalancerIP: String?
    public var loadBalancerSourceRanges: [String]?
    public var loadBalancerClass: String?
    public var externalName: String?
    public var externalIPs: [String]?
    public var allocateLoadBalancerNodePorts: Bool?
    public var healthCheckNodePort: Int?

    public init(type: String? = nil, selector: [String:String]? = nil, ports: [ServicePort]? = nil, clusterIP: String? = nil, clusterIPs: [String]? = nil, publishNotReadyAddresses: Bool? = nil, sessionAffinity: String? = nil, externalTrafficPolicy: String? = nil, internalTrafficPolicy: String? = nil, ipFamilies: [String]? = nil, ipFamilyPolicy: String? = nil, loadBalancerIP: String? = nil, loadBalancerSourceRanges: [String]? = nil, loadBalancerClass: String? = nil, externalName: String? = nil, externalIPs: [String]? = nil, allocateLoadBalancerNodePorts: Bool? = nil, healthCheckNodePort: Int? = nil) {
        self.type = type
        self.selector = selector
        self.ports = ports
        self.clusterIP = clusterIP
        self.clusterIPs = clusterIPs
        self.publishNotReadyAddresses = publishNotReadyAddresses
        self.sessionAffinity = sessionAffinity
        self.externalTrafficPolicy = externalTrafficPolicy
        self.internalTrafficPolicy = internalTrafficPolicy
        self.ipFamilies = ipFamilies
        self.ipFamilyPolicy = ipFamilyPolicy
        self.loadBalancerIP = loadBalancerIP
        self.loadBalancerSourceRanges = loadBalancerSourceRanges
        self.loadBalancerClass = loadBalancerClass
        self.externalName = externalName
        self.externalIPs = externalIPs
        self.allocateLoadBalancerNodePorts = allocateLoadBalancerNodePorts
        self.healthCheckNodePort = healthCheckNodePort
    }
}

/// `core/v1 ServicePort`.
public struct ServicePort: Codable, Hashable, Sendable {
    public var name: String?
    public var `protocol`: String?
    public var appProtocol: String?
    public var port: Int?
    public var targetPort: IntOrString?
    public var nodePort: Int?

    public init(name: String? = nil, `protocol`: String? = nil, appProtocol: String? = nil, port: Int? = nil, targetPort: IntOrString? = nil, nodePort: Int? = nil) {
        self.name = name
        self.`protocol` = `protocol`
        self.appProtocol = appProtocol
        self.port = port
        self.targetPort = targetPort
        self.nodePort = nodePort
    }
}

/// `core/v1 ServiceStatus`; the load balancer part is kept as raw JSON.
public struct ServiceStatus: Codable, Hashable, Sendable {
    public var loadBalancer: JSONValue?
    public var conditions: [Condition]?

    public init(loadBalancer: JSONValue? = nil, conditions: [Condition]? = nil) {
        self.loadBalancer = loadBalancer
        self.conditions = conditions
    }
}
