/// `core/v1 ConfigMap`.
public struct ConfigMap: KubeObject, Hashable {
    public static let resourceType = ResourceType.configMaps

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var data: [String:String]?
    public var binaryData: [String:String]?
    public var immutable: Bool?

    public init(metadata: ObjectMeta = ObjectMeta(), data: [String:String]? = nil, binaryData: [String:String]? = nil, immutable: Bool? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.data = data
        self.binaryData = binaryData
        self.immutable = immutable
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, data, binaryData, immutable }

    /// Decodes leniently: list items carry no `apiVersion`/`kind`, and every field may be absent.
    public init(from decoder: any Decoder) throws {
        (apiVersion, kind, metadata) = try decoder.objectHeader(for: Self.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        data = try container.decodeIfPresent([String:String].self, forKey: .data)
        binaryData = try container.decodeIfPresent([String:String].self, forKey: .binaryData)
        immutable = try container.decodeIfPresent(Bool.self, forKey: .immutable)
    }
}
