/// `core/v1 Endpoints`.
public struct Endpoints: KubeObject, Hashable {
    public static let resourceType = ResourceType.endpoints

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var subsets: [EndpointSubset]?

    public init(metadata: ObjectMeta = ObjectMeta(), subsets: [EndpointSubset]? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.subsets = subsets
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, subsets }

    /// Decodes leniently: list items carry no `apiVersion`/`kind`, and every field may be absent.
    public init(from decoder: any Decoder) throws {
        (apiVersion, kind, metadata) = try decoder.objectHeader(for: Self.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        subsets = try container.decodeIfPresent([EndpointSubset].self, forKey: .subsets)
    }
}

/// `core/v1 EndpointSubset`.
public struct EndpointSubset: Codable, Hashable, Sendable {
    public var addresses: [EndpointAddress]?
    public var notReadyAddresses: [EndpointAddress]?
    public var ports: [EndpointPort]?

    public init(addresses: [EndpointAddress]? = nil, notReadyAddresses: [EndpointAddress]? = nil, ports: [EndpointPort]? = nil) {
        self.addresses = addresses
        self.notReadyAddresses = notReadyAddresses
        self.ports = ports
    }
}

/// `core/v1 EndpointAddress`.
public struct EndpointAddress: Codable, Hashable, Sendable {
    public var ip: String?
    public var hostname: String?
    public var nodeName: String?
    public var targetRef: ObjectReference?

    public init(ip: String? = nil, hostname: String? = nil, nodeName: String? = nil, targetRef: ObjectReference? = nil) {
        self.ip = ip
        self.hostname = hostname
        self.nodeName = nodeName
        self.targetRef = targetRef
    }
}

/// `core/v1 EndpointPort`.
public struct EndpointPort: Codable, Hashable, Sendable {
    public var name: String?
    public var port: Int?
    public var `protocol`: String?
    public var appProtocol: String?

    public init(name: String? = nil, port: Int? = nil, `protocol`: String? = nil, appProtocol: String? = nil) {
        self.name = name
        self.port = port
        self.`protocol` = `protocol`
        self.appProtocol = appProtocol
    }
}
