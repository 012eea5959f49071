/// `core/v1 PersistentVolumeClaim` (also a StatefulSet's volume claim template).
public struct PersistentVolumeClaim: KubeObject, Hashable {
    public static let resourceType = ResourceType.persistentVolumeClaims

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: PersistentVolumeClaimSpec?
    public var status: PersistentVolumeClaimStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: PersistentVolumeClaimSpec? = nil, status: PersistentVolumeClaimStatus? = nil) {
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
        spec = try container.decodeIfPresent(PersistentVolumeClaimSpec.self, forKey: .spec)
        status = try container.decodeIfPresent(PersistentVolumeClaimStatus.self, forKey: .status)
    }
}

/// `core/v1 PersistentVolumeClaimSpec`.
public struct PersistentVolumeClaimSpec: Codable, Hashable, Sendable {
    public var accessModes: [String]?
    public var selector: LabelSelector?
    public var resources: VolumeResourceRequirements?
    public var volumeName: String?
    public var storageClassName: String?
    public var volumeMode: String?

    public init(accessModes: [String]? = nil, selector: LabelSelector? = nil, resources: VolumeResourceRequirements? = nil, volumeName: String? = nil, storageClassName: String? = nil, volumeMode: String? = nil) {
        self.accessModes = accessModes
        self.selector = selector
        self.resources = resources
        self.volumeName = volumeName
        self.storageClassName = storageClassName
        self.volumeMode = volumeMode
    }
}

/// `core/v1 VolumeResourceRequirements`.
public struct VolumeResourceRequirements: Codable, Hashable, Sendable {
    public var requests: [String:Quantity]?
    public var limits: [String:Quantity]?

    public init(requests: [String:Quantity]? = nil, limits: [String:Quantity]? = nil) {
        self.requests = requests
        self.limits = limits
    }
}

/// `core/v1 PersistentVolumeClaimStatus`: `phase` is `Pending`, `Bound` or `Lost`.
public struct PersistentVolumeClaimStatus: Codable, Hashable, Sendable {
    public var phase: String?
    public var accessModes: [String]?
    public var capacity: [String:Quantity]?
    public var conditions: [PersistentVolumeClaimCondition]?

    public init(phase: String? = nil, accessModes: [String]? = nil, capacity: [String:Quantity]? = nil, conditions: [PersistentVolumeClaimCondition]? = nil) {
        self.phase = phase
        self.accessModes = accessModes
        self.capacity = capacity
        self.conditions = conditions
    }
}

/// `core/v1 PersistentVolumeClaimCondition`: the same fields as a pod's conditions.
public typealias PersistentVolumeClaimCondition = PodCondition
