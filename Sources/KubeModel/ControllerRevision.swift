/// `apps/v1 ControllerRevision`: an immutable snapshot of a workload's template (`data`), numbered by `revision`.
public struct ControllerRevision: KubeObject, Hashable {
    public static let resourceType = ResourceType.controllerRevisions

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var data: JSONValue?
    public var revision: Int64?

    public init(metadata: ObjectMeta = ObjectMeta(), data: JSONValue? = nil, revision: Int64? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.data = data
        self.revision = revision
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, data, revision }

    /// Decodes leniently: list items carry no `apiVersion`/`kind`, and every field may be absent.
    public init(from decoder: any Decoder) throws {
        (apiVersion, kind, metadata) = try decoder.objectHeader(for: Self.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        data = try container.decodeIfPresent(JSONValue.self, forKey: .data)
        revision = try container.decodeIfPresent(Int64.self, forKey: .revision)
    }
}
