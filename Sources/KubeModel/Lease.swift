/// `coordination.k8s.io/v1 Lease`, used for leader election.
public struct Lease: KubeObject, Hashable {
    public static let resourceType = ResourceType.leases

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: LeaseSpec?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: LeaseSpec? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.spec = spec
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec }

    /// Decodes leniently: list items carry no `apiVersion`/`kind`, and every field may be absent.
    public init(from decoder: any Decoder) throws {
        (apiVersion, kind, metadata) = try decoder.objectHeader(for: Self.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        spec = try container.decodeIfPresent(LeaseSpec.self, forKey: .spec)
    }
}

/// `coordination.k8s.io/v1 LeaseSpec`. Times are MicroTime strings.
public struct LeaseSpec: Codable, Hashable, Sendable {
    public var holderIdentity: String?
    public var leaseDurationSeconds: Int?
    public var acquireTime: Time?
    public var renewTime: Time?
    public var leaseTransitions: Int?
    public var strategy: String?
    public var preferredHolder: String?

    public init(holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: Time? = nil, renewTime: Time? = nil, leaseTransitions: Int? = nil, strategy: String? = nil, preferredHolder: String? = nil) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
        self.strategy = strategy
        self.preferredHolder = preferredHolder
    }
}
