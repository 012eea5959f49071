/// A Kubernetes object with a Swift type: it knows where it lives in the API.
public protocol KubeObject: Codable, Sendable {
    static var resourceType: ResourceType { get }
    var metadata: ObjectMeta { get set }
}

extension KubeObject {
    public var name: String { metadata.name ?? "" }
    public var namespace: String? { metadata.namespace }
    /// `namespace/name`, or `name` for cluster-scoped objects: the key caches and queues use.
    public var key: String { ObjectKey(namespace: metadata.namespace, name: metadata.name ?? "").description }
}

/// The keys every object starts with; `objectHeader(for:)` reads them.
private enum ObjectHeaderKeys: String, CodingKey { case apiVersion, kind, metadata }

extension Decoder {
    /// Reads an object's `apiVersion`, `kind` and `metadata` leniently: list items carry no
    /// `apiVersion`/`kind`, so a missing one is `Object`'s own, and missing metadata is empty.
    /// The kinds' `init(from:)` start with this and decode their other fields themselves.
    func objectHeader<Object: KubeObject>(for _: Object.Type) throws -> (apiVersion: String, kind: String, metadata: ObjectMeta) {
        let container = try self.container(keyedBy: ObjectHeaderKeys.self)
        return (try container.decodeIfPresent(String.self, forKey: .apiVersion) ?? Object.resourceType.apiVersion,
                try container.decodeIfPresent(String.self, forKey: .kind) ?? Object.resourceType.kind,
                try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta())
    }
}

/// The identity of an object within one resource type.
public struct ObjectKey: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var namespace: String?
    public var name: String

    public init(namespace: String?, name: String) {
        self.namespace = (namespace?.isEmpty ?? true) ? nil : namespace
        self.name = name
    }

    /// Parses `namespace/name` or `name`.
    public init(_ string: String) {
        if let slash = string.firstIndex(of: "/") {
            self.init(namespace: String(string[..<slash]), name: String(string[string.index(after: slash)...]))
        } else {
            self.init(namespace: nil, name: string)
        }
    }

    public var description: String { namespace.map { "\($0)/\(name)" } ?? name }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace ?? "", lhs.name) < (rhs.namespace ?? "", rhs.name)
    }
}

/// A list response (`PodList`, `ConfigMapList`, ...).
public struct ObjectList<Item: Codable & Sendable>: Codable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ListMeta
    public var items: [Item]

    public init(apiVersion: String? = nil, kind: String? = nil, metadata: ListMeta = ListMeta(), items: [Item]) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, items }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        // The server writes `items: null` for an empty list.
        items = try container.decodeIfPresent([Item].self, forKey: .items) ?? []
    }
}

/// One event of a watch stream: `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR`.
public struct WatchEvent<Object: Codable & Sendable>: Codable, Sendable {
    public var type: String
    public var object: Object

    public init(type: String, object: Object) {
        self.type = type
        self.object = object
    }
}
