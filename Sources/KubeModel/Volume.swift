/// `core/v1 Volume`: a name and exactly one source.
public struct Volume: Codable, Hashable, Sendable {
    public var name: String?
    public var configMap: ConfigMapVolumeSource?
    public var secret: SecretVolumeSource?
    public var emptyDir: EmptyDirVolumeSource?
    public var persistentVolumeClaim: PersistentVolumeClaimVolumeSource?
    public var downwardAPI: DownwardAPIVolumeSource?
    public var projected: ProjectedVolumeSource?
    public var hostPath: HostPathVolumeSource?

    public init(name: String? = nil, configMap: ConfigMapVolumeSource? = nil, secret: SecretVolumeSource? = nil, emptyDir: EmptyDirVolumeSource? = nil, persistentVolumeClaim: PersistentVolumeClaimVolumeSource? = nil, downwardAPI: DownwardAPIVolumeSource? = nil, projected: ProjectedVolumeSource? = nil, hostPath: HostPathVolumeSource? = nil) {
        self.name = name
        self.configMap = configMap
        self.secret = secret
        self.emptyDir = emptyDir
        self.persistentVolumeClaim = persistentVolumeClaim
        self.downwardAPI = downwardAPI
        self.projected = projected
        self.hostPath = hostPath
    }
}

/// `core/v1 ConfigMapVolumeSource`.
public struct ConfigMapVolumeSource: Codable, Hashable, Sendable {
    public var name: String?
    public var items: [KeyToPath]?
    public var defaultMode: Int?
    public var optional: Bool?

    public init(name: String? = nil, items: [KeyToPath]? = nil, defaultMode: Int? = nil, optional: Bool? = nil) {
        self.name = name
        self.items = items
        self.defaultMode = defaultMode
        self.optional = optional
    }
}

/// `core/v1 SecretVolumeSource`.
public struct SecretVolumeSource: Codable, Hashable, Sendable {
    public var secretName: String?
    public var items: [KeyToPath]?
    public var defaultMode: Int?
    public var optional: Bool?

    public init(secretName: String? = nil, items: [KeyToPath]? = nil, defaultMode: Int? = nil, optional: Bool? = nil) {
        self.secretName = secretName
        self.items = items
        self.defaultMode = defaultMode
        self.optional = optional
    }
}

/// `core/v1 KeyToPath`: one key of a ConfigMap or Secret as a file.
public struct KeyToPath: Codable, Hashable, Sendable {
    public var key: String?
    public var path: String?
    public var mode: Int?

    public init(key: String? = nil, path: String? = nil, mode: Int? = nil) {
        self.key = key
        self.path = path
        self.mode = mode
    }
}

/// `core/v1 EmptyDirVolumeSource`.
public struct EmptyDirVolumeSource: Codable, Hashable, Sendable {
    public var medium: String?
    public var sizeLimit: Quantity?

    public init(medium: String? = nil, sizeLimit: Quantity? = nil) {
        self.medium = medium
        self.sizeLimit = sizeLimit
    }
}

/// `core/v1 PersistentVolumeClaimVolumeSource`.
public struct PersistentVolumeClaimVolumeSource: Codable, Hashable, Sendable {
    public var claimName: String?
    public var readOnly: Bool?

    public init(claimName: String? = nil, readOnly: Bool? = nil) {
        self.claimName = claimName
        self.readOnly = readOnly
    }
}

/// `core/v1 HostPathVolumeSource`.
public struct HostPathVolumeSource: Codable, Hashable, Sendable {
    public var path: String?
    public var type: String?

    public init(path: String? = nil, type: String? = nil) {
        self.path = path
        self.type = type
    }
}

/// `core/v1 DownwardAPIVolumeSource`.
public struct DownwardAPIVolumeSource: Codable, Hashable, Sendable {
    public var items: [DownwardAPIVolumeFile]?
    public var defaultMode: Int?

    public init(items: [DownwardAPIVolumeFile]? = nil, defaultMode: Int? = nil) {
        self.items = items
        self.defaultMode = defaultMode
    }
}

/// `core/v1 DownwardAPIVolumeFile`.
public struct DownwardAPIVolumeFile: Codable, Hashable, Sendable {
    public var path: String?
    public var fieldRef: ObjectFieldSelector?
    public var resourceFieldRef: ResourceFieldSelector?
    public var mode: Int?

    public init(path: String? = nil, fieldRef: ObjectFieldSelector? = nil, resourceFieldRef: ResourceFieldSelector? = nil, mode: Int? = nil) {
        self.path = path
        self.fieldRef = fieldRef
        self.resourceFieldRef = resourceFieldRef
        self.mode = mode
    }
}

/// `core/v1 ProjectedVolumeSource`.
public struct ProjectedVolumeSource: Codable, Hashable, Sendable {
    public var sources: [VolumeProjection]?
    public var defaultMode: Int?

    public init(sources: [VolumeProjection]? = nil, defaultMode: Int? = nil) {
        self.sources = sources
        self.defaultMode = defaultMode
    }
}

/// `core/v1 VolumeProjection`: exactly one source.
public struct VolumeProjection: Codable, Hashable, Sendable {
    public var serviceAccountToken: ServiceAccountTokenProjection?
    public var configMap: ConfigMapProjection?
    public var secret: SecretProjection?
    public var downwardAPI: DownwardAPIProjection?

    public init(serviceAccountToken: ServiceAccountTokenProjection? = nil, configMap: ConfigMapProjection? = nil, secret: SecretProjection? = nil, downwardAPI: DownwardAPIProjection? = nil) {
        self.serviceAccountToken = serviceAccountToken
        self.configMap = configMap
        self.secret = secret
        self.downwardAPI = downwardAPI
    }
}

/// `core/v1 ServiceAccountTokenProjection`.
public struct ServiceAccountTokenProjection: Codable, Hashable, Sendable {
    public var audience: String?
    public var expirationSeconds: Int64?
    public var path: String?

    public init(audience: String? = nil, expirationSeconds: Int64? = nil, path: String? = nil) {
        self.audience = audience
        self.expirationSeconds = expirationSeconds
        self.path = path
    }
}

/// `core/v1 ConfigMapProjection`.
public struct ConfigMapProjection: Codable, Hashable, Sendable {
    public var name: String?
    public var items: [KeyToPath]?
    public var optional: Bool?

    public init(name: String? = nil, items: [KeyToPath]? = nil, optional: Bool? = nil) {
        self.name = name
        self.items = items
        self.optional = optional
    }
}

/// `core/v1 SecretProjection`.
public struct SecretProjection: Codable, Hashable, Sendable {
    public var name: String?
    public var items: [KeyToPath]?
    public var optional: Bool?

    public init(name: String? = nil, items: [KeyToPath]? = nil, optional: Bool? = nil) {
        self.name = name
        self.items = items
        self.optional = optional
    }
}

/// `core/v1 DownwardAPIProjection`.
public struct DownwardAPIProjection: Codable, Hashable, Sendable {
    public var items: [DownwardAPIVolumeFile]?

    public init(items: [DownwardAPIVolumeFile]? = nil) {
        self.items = items
    }
}
