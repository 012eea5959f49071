/// `core/v1 PersistentVolume`.
public struct PersistentVolume: KubeObject, Hashable {
    public static let resourceType = ResourceType.persistentVolumes

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: PersistentVolumeSpec?
    public var status: PersistentVolumeStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: PersistentVolumeSpec? = nil, status: PersistentVolumeStatus? = nil) {
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
        spec = try container.decodeIfPresent(PersistentVolumeSpec.self, forKey: .spec)
        status = try container.decodeIfPresent(PersistentVolumeStatus.self, forKey: .status)
    }
}

/// `core/v1 PersistentVolumeSpec` with the sources kube-sim provides (`hostPath`, `local`).
public struct PersistentVolumeSpec: Codable, Hashable, Sendable {
    public var capacity: [String:Quantity]?
    public var accessModes: [String]?
    public var persistentVolumeReclaimPolicy: String?
    public var storageClassName: String?
    public var volumeMode: String?
    public var mountOptions: [String]?
    public var hostPath: HostPathVolumeSource?
    public var local: LocalVolumeSource?
    public var claimRef: ObjectReference?
    public var nodeAffinity: VolumeNodeAffinity?

    public init(capacity: [String:Quantity]? = nil, accessModes: [String]? = nil, persistentVolumeReclaimPolicy: String? = nil, storageClassName: String? = nil, volumeMode: String? = nil, mountOptions: [String]? = nil, hostPath: HostPathVolumeSource? = nil, local: LocalVolumeSource? = nil, claimRef: ObjectReference? = nil, nodeAffinity: VolumeNodeAffinity? = nil) {
        self.capacity = capacity
        self.accessModes = accessModes
        self.persistentVolumeReclaimPolicy = persistentVolumeReclaimPolicy
        self.storageClassName = storageClassName
        self.volumeMode = volumeMode
        self.mountOptions = mountOptions
        self.hostPath = hostPath
        self.local = local
        self.claimRef = claimRef
        self.nodeAffinity = nodeAffinity
    }
}

/// `core/v1 LocalVolumeSource`.
public struct LocalVolumeSource: Codable, Hashable, Sendable {
    public var path: String?
    public var fsType: String?

    public init(path: String? = nil, fsType: String? = nil) {
        self.path = path
        self.fsType = fsType
    }
}

/// `core/v1 VolumeNodeAffinity`: the nodes that can reach the volume.
public struct VolumeNodeAffinity: Codable, Hashable, Sendable {
    public var required: NodeSelector?

    public init(required: NodeSelector? = nil) {
        self.required = required
    }
}

/// `core/v1 PersistentVolumeStatus`: `phase` is `Pending`, `Available`, `Bound`, `Released` or `Failed`.
public struct PersistentVolumeStatus: Codable, Hashable, Sendable {
    public var phase: String?
    public var message: String?
    public var reason: String?
    public var lastPhaseTransitionTime: Time?

    public init(phase: String? = nil, message: String? = nil, reason: String? = nil, lastPhaseTransitionTime: Time? = nil) {
        self.phase = phase
        self.message = message
        self.reason = reason
        self.lastPhaseTransitionTime = lastPhaseTransitionTime
    }
}
