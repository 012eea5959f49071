/// `core/v1 ServiceAccount`.
public struct ServiceAccount: KubeObject, Hashable {
    public static let resourceType = ResourceType.serviceAccounts

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var secrets: [ObjectReference]?
    public var imagePullSecrets: [LocalObjectReference]?
    public var automountServiceAccountToken: Bool?

    public init(metadata: ObjectMeta = ObjectMeta(), secrets: [ObjectReference]? = nil, imagePullSecrets: [LocalObjectReference]? = nil, automountServiceAccountToken: Bool? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.secrets = secrets
        self.imagePullSecrets = imagePullSecrets
        self.automountServiceAccountToken = automountServiceAccountToken
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, secrets, imagePullSecrets, automountServiceAccountToken }

    /// Decodes leniently: list items carry no `apiVersion`/`kind`, and every field may be absent.
    public init(from decoder: any Decoder) throws {
        (apiVersion, kind, metadata) = try decoder.objectHeader(for: Self.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        secrets = try container.decodeIfPresent([ObjectReference].self, forKey: .secrets)
        imagePullSecrets = try container.decodeIfPresent([LocalObjectReference].self, forKey: .imagePullSecrets)
        automountServiceAccountToken = try container.decodeIfPresent(Bool.self, forKey: .automountServiceAccountToken)
    }
}
