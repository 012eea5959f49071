import KubeModel

/// `meta.k8s.io/v1` Table responses, which `kubectl get` asks for: default columns for
/// built-in kinds, `additionalPrinterColumns` (JSONPath) for custom resources.
public enum TableConverter {
    /// One column: its header, type, format, priority and the JSONPath to read.
    public struct Column: Sendable, Hashable {
        public var name: String
        public var type: String
        public var format: String
        public var description: String
        public var priority: Int
        public var jsonPath: String

        public init(name: String, type: String, format: String = "", description: String = "", priority: Int = 0, jsonPath: String) {
            self.name = name
            self.type = type
            self.format = format
            self.description = description
            self.priority = priority
            self.jsonPath = jsonPath
        }
    }

    /// STUB: replaced by the apimachinery branch. `columns` nil means the built-in columns
    /// for `kind` (NAME, AGE, and what kubectl shows for pods, services, ...). `includeObject`
    /// is the `includeObject` parameter: `None`, `Metadata` (default) or `Object`.
    public static func table(kind: String, objects: [JSONValue], columns: [Column]?, includeObject: String, listMeta: ListMeta, now: String) -> JSONValue {
        ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "columnDefinitions": [], "rows": []]
    }
}
