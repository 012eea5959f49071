import KubeModel

/// One `metadata.managedFields` entry.
public struct ManagedFieldsEntry: Hashable, Sendable {
    public var manager: String
    public var operation: String
    public var apiVersion: String
    public var time: String?
    public var subresource: String
    public var fields: FieldSet

    public init(manager: String, operation: String, apiVersion: String, time: String?, subresource: String = "", fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.subresource = subresource
        self.fields = fields
    }

    /// Identity of an entry, as the apiserver's manager identifier: Apply entries are
    /// one per manager (and subresource), Update entries one per manager, API version and
    /// subresource.
    var identity: String {
        operation == "Apply" ? "\(manager)\u{0}Apply\u{0}\(subresource)" : "\(manager)\u{0}Update\u{0}\(apiVersion)\u{0}\(subresource)"
    }

    /// How the apply conflict message names the manager (`printManager`):
    /// `"kubectl"`, `"kubectl-edit" using apps/v1`, `... with subresource "status"`.
    var conflictName: String {
        var text = GoFormat.quote(manager)
        if !subresource.isEmpty { text += " with subresource \(GoFormat.quote(subresource))" }
        if operation == "Update" { text += " using \(apiVersion)" }
        return text
    }

    init?(json: JSONValue) {
        guard let manager = json["manager"]?.stringValue ?? Optional(""), let operation = json["operation"]?.stringValue else { return nil }
        self.manager = manager
        self.operation = operation
        self.apiVersion = json["apiVersion"]?.stringValue ?? ""
        self.time = json["time"]?.stringValue
        self.subresource = json["subresource"]?.stringValue ?? ""
        self.fields = FieldSet(fieldsV1: json["fieldsV1"] ?? [:])
    }

    var json: JSONValue {
        var members: [String: JSONValue] = [
            "manager": .string(manager), "operation": .string(operation), "apiVersion": .string(apiVersion),
            "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
        ]
        if let time { members["time"] = .string(time) }
        if !subresource.isEmpty { members["subresource"] = .string(subresource) }
        return .object(members)
    }

    /// Decodes `metadata.managedFields` of an object.
    static func entries(of object: JSONValue?) -> [ManagedFieldsEntry] {
        (object?[path: ["metadata", "managedFields"]]?.arrayValue ?? []).compactMap(ManagedFieldsEntry.init(json:))
    }

    /// Encodes entries in the apiserver's order (operation, then time, manager, API
    /// version, subresource), dropping empty ones; nil when none is left.
    static func encode(_ entries: [ManagedFieldsEntry]) -> JSONValue? {
        let sorted = entries.filter { !$0.fields.isEmpty }.sorted { p, q in
            if p.operation != q.operation { return p.operation < q.operation }
            let pt = p.time.flatMap(HumanTime.parse) ?? 0, qt = q.time.flatMap(HumanTime.parse) ?? 0
            if pt != qt { return pt < qt }
            if p.manager != q.manager { return p.manager < q.manager }
            if p.apiVersion != q.apiVersion { return p.apiVersion < q.apiVersion }
            return p.subresource < q.subresource
        }
        return sorted.isEmpty ? nil : .array(sorted.map(\.json))
    }
}
