/// `core/v1 Secret`: `data` values are base64, `stringData` is write-only plain text.
public struct Secret: KubeObject, Hashable {
    public static let resourceType = ResourceType.secrets

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var type: String?
    public var data: [String:String]?
    public var stringData: [String:String]?
    public var immutable: Bool?

    public init(metadata: ObjectMeta = ObjectMeta(), type: String? = nil, data: [String:String]? = nil, stringData: [String:String]? = nil, immutable: Bool? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.type = type
        self.data = data
        self.stringData = stringData
        self.immutable = immutable
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, type, data, stringData, immutable }

    /// Decodes leniently: list items carry no `apiVersion`/`kind`, and every field may be absent.
    public init(from decoder: any Decoder) throws {
        (apiVersion, kind, metadata) = try decoder.objectHeader(for: Self.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        data = try container.decodeIfPresent([String:String].self, forKey: .data)
        stringData = try container.decodeIfPresent([String:String].self, forKey: .stringData)
        immutable = try container.decodeIfPresent(Bool.self, forKey: .immutable)
    }
}
