/// `core/v1 Namespace`.
public struct Namespace: KubeObject, Hashable {
    public static let resourceType = ResourceType.namespaces

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: NamespaceSpec?
    public var status: NamespaceStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: NamespaceSpec? = nil, status: NamespaceStatus? = nil) {
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
        spec = try container.decodeIfPresent(NamespaceSpec.self, forKey: .spec)
        status = try container.decodeIfPresent(NamespaceStatus.self, forKey: .status)
    }
}

/// `core/v1 NamespaceSpec`.
public struct NamespaceSpec: Codable, Hashable, Sendable {
    public var finalizers: [String]?

    public init(finalizers: [String]? = nil) {
        self.finalizers = finalizers
    }
}

/// `core/v1 NamespaceStatus`: `phase` is `Active` or `Terminating`.
public struct NamespaceStatus: Codable, Hashable, Sendable {
    public var phase: String?
    public var conditions: [NamespaceCondition]?

    public init(phase: String? = nil, conditions: [NamespaceCondition]? = nil) {
        self.phase = phase
        self.conditions = conditions
    }
}

/// `core/v1 NamespaceCondition`.
public struct NamespaceCondition: Codable, Hashable, Sendable {
    public var type: String?
    public var status: String?
    public var reason: String?
    public var message: String?
    public var lastTransitionTime: Time?

    public init(type: String? = nil, status: String? = nil, reason: String? = nil, message: String? = nil, lastTransitionTime: Time? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}
