/// `autoscaling/v1 Scale`, served by the `.../scale` subresource of a scalable object.
public struct Scale: KubeObject, Hashable {
    public static let resourceType = ResourceType.scale

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: ScaleSpec?
    public var status: ScaleStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: ScaleSpec? = nil, status: ScaleStatus? = nil) {
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
        spec = try container.decodeIfPresent(ScaleSpec.self, forKey: .spec)
        status = try container.decodeIfPresent(ScaleStatus.self, forKey: .status)
    }
}

/// `autoscaling/v1 ScaleSpec`.
public struct ScaleSpec: Codable, Hashable, Sendable {
    public var replicas: Int?

    public init(replicas: Int? = nil) {
        self.replicas = replicas
    }
}

/// `autoscaling/v1 ScaleStatus`: `selector` is a label selector string.
public struct ScaleStatus: Codable, Hashable, Sendable {
    public var replicas: Int?
    public var selector: String?

    public init(replicas: Int? = nil, selector: String? = nil) {
        self.replicas = replicas
        self.selector = selector
    }
}
