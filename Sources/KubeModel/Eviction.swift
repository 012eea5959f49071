/// `policy/v1 Eviction`, POSTed to a pod's `eviction` subresource; refused with 429 when a PodDisruptionBudget forbids it.
public struct Eviction: KubeObject, Hashable {
    public static let resourceType = ResourceType.eviction

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var deleteOptions: EvictionDeleteOptions?

    public init(metadata: ObjectMeta = ObjectMeta(), deleteOptions: EvictionDeleteOptions? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.deleteOptions = deleteOptions
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, deleteOptions }

    /// Decodes leniently: list items carry no `apiVersion`/`kind`, and every field may be absent.
    public init(from decoder: any Decoder) throws {
        (apiVersion, kind, metadata) = try decoder.objectHeader(for: Self.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        deleteOptions = try container.decodeIfPresent(EvictionDeleteOptions.self, forKey: .deleteOptions)
    }
}

/// `metav1.DeleteOptions` as carried by an Eviction.
public struct EvictionDeleteOptions: Codable, Hashable, Sendable {
    public var gracePeriodSeconds: Int64?
    public var preconditions: Preconditions?
    public var propagationPolicy: String?
    public var dryRun: [String]?

    public init(gracePeriodSeconds: Int64? = nil, preconditions: Preconditions? = nil, propagationPolicy: String? = nil, dryRun: [String]? = nil) {
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditions = preconditions
        self.propagationPolicy = propagationPolicy
        self.dryRun = dryRun
    }
}

/// `metav1.Preconditions`: the delete fails unless these still match.
public struct Preconditions: Codable, Hashable, Sendable {
    public var uid: String?
    public var resourceVersion: String?

    public init(uid: String? = nil, resourceVersion: String? = nil) {
        self.uid = uid
        self.resourceVersion = resourceVersion
    }
}
