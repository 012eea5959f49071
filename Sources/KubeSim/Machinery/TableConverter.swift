import KubeModel

/// `meta.k8s.io/v1` Table responses, which `kubectl get` asks for: default columns for
/// built-in kinds (as `pkg/printers/internalversion` prints them, always "wide": the
/// server sends priority-1 columns too and kubectl hides them without `-o wide`),
/// `additionalPrinterColumns` (JSONPath) for custom resources, and the generic
/// `Name`/`Created At` table for everything else.
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

    /// `metav1.ObjectMeta`'s documentation of `name`, the Name column's description.
    public static let nameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    /// `metav1.ObjectMeta`'s documentation of `creationTimestamp`, the Age column's description.
    public static let creationTimestampDescription = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"

    /// The columns a CRD version serves: its `additionalPrinterColumns` (a JSON array of
    /// `{name, type, format, description, priority, jsonPath}`), or, when it declares none,
    /// the single `Age` column apiextensions-apiserver serves by default.
    public static func crdColumns(additionalPrinterColumns: JSONValue?) -> [Column] {
        let declared = (additionalPrinterColumns?.arrayValue ?? []).compactMap { column -> Column? in
            guard let name = column["name"]?.stringValue, let jsonPath = column["jsonPath"]?.stringValue else { return nil }
            return Column(name: name, type: column["type"]?.stringValue ?? "string", format: column["format"]?.stringValue ?? "",
                          description: column["description"]?.stringValue ?? "", priority: Int(column["priority"]?.intValue ?? 0),
                          jsonPath: jsonPath)
        }
        if !declared.isEmpty { return declared }
        return [Column(name: "Age", type: "date", description: creationTimestampDescription, jsonPath: ".metadata.creationTimestamp")]
    }

    /// The valid `includeObject` values; anything else is refused by the real server
    /// with 400 `unrecognized includeObject value: "x"`.
    public static func checkIncludeObject(_ value: String) throws {
        guard ["", "None", "Metadata", "Object"].contains(value) else {
            throw APIErrors.badRequest("unrecognized includeObject value: \(GoFormat.quote(value))")
        }
    }

    /// Builds the Table. `columns` nil means the built-in columns for `kind` (NAME, AGE,
    /// and what kubectl shows for pods, services, ...); non-nil means custom-resource
    /// columns (use `crdColumns`), to which the Name column is prepended. `includeObject`
    /// is the `includeObject` parameter: `None`, `Metadata` (default) or `Object`. `now`
    /// is the RFC 3339 time ages are computed against.
    public static func table(kind: String, objects: [JSONValue], columns: [Column]?, includeObject: String, listMeta: ListMeta, now: String) -> JSONValue {
        table(kind: kind, objects: objects, columns: columns, includeObject: includeObject, listMeta: listMeta, now: now, noHeaders: false)
    }

    /// The same, with `noHeaders`: watch events after the first carry rows only (the
    /// real server sets `TableOptions.NoHeaders` for them), so `columnDefinitions` is
    /// null.
    public static func table(kind: String, objects: [JSONValue], columns: [Column]?, includeObject: String, listMeta: ListMeta, now: String, noHeaders: Bool) -> JSONValue {
        let definitions: [JSONValue]
        var rows: [JSONValue] = []
        if let columns {
            definitions = [definition("Name", "string", format: "name", nameDescription)] + columns.map {
                definition($0.name, $0.type, format: $0.format, $0.description, priority: $0.priority)
            }
            let paths = columns.map { PrinterJSONPath($0.jsonPath) }
            for object in objects {
                var cells: [JSONValue] = [object[path: ["metadata", "name"]] ?? ""]
                for (column, path) in zip(columns, paths) {
                    cells.append(cell(for: column, values: path?.evaluate(object) ?? [], now: now))
                }
                rows.append(row(cells: cells, conditions: nil, object: object, includeObject: includeObject))
            }
        } else {
            let printer = BuiltInPrinters.printer(for: kind)
            definitions = printer.columns.map { definition($0.name, $0.type, format: $0.format, $0.description, priority: $0.priority) }
            for object in objects {
                let printed = printer.row(object, now)
                rows.append(row(cells: printed.cells, conditions: printed.conditions, object: object, includeObject: includeObject))
            }
        }
        var metadata: [String: JSONValue] = [:]
        if let resourceVersion = listMeta.resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        if let token = listMeta.continue, !token.isEmpty { metadata["continue"] = .string(token) }
        if let remaining = listMeta.remainingItemCount { metadata["remainingItemCount"] = .int(remaining) }
        var table: JSONValue = ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": .object(metadata),
                                 "columnDefinitions": .array(definitions), "rows": .array(rows)]
        // metav1.Table.ColumnDefinitions has no omitempty: Go sends a nil slice as null.
        if noHeaders { table["columnDefinitions"] = .null }
        return table
    }

    static func definition(_ name: String, _ type: String, format: String = "", _ description: String, priority: Int = 0) -> JSONValue {
        ["name": .string(name), "type": .string(type), "format": .string(format), "description": .string(description), "priority": .int(Int64(priority))]
    }

    private static func row(cells: [JSONValue], conditions: [JSONValue]?, object: JSONValue, includeObject: String) -> JSONValue {
        var row: [String: JSONValue] = ["cells": .array(cells)]
        if let conditions { row["conditions"] = .array(conditions) }
        switch includeObject {
        case "None":
            row["object"] = .null
        case "Object":
            row["object"] = object
        default:
            row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": object["metadata"] ?? [:]]
        }
        return .object(row)
    }

    /// `cellForJSONValue` of apiextensions-apiserver's table convertor: the first result,
    /// typed by the column type; `date` becomes an age; anything unconvertible is null.
    static func cell(for column: Column, values: [JSONValue], now: String) -> JSONValue {
        guard let value = values.first, value != .null else { return .null }
        switch column.type {
        case "integer":
            if case .int = value { return value }
            if case .double(let number) = value, let integer = Int64(exactly: number.rounded(.towardZero)) { return .int(integer) }
            return .null
        case "number":
            if let number = value.doubleValue { return .double(number) }
            return .null
        case "boolean":
            if case .bool = value { return value }
            return .null
        case "date":
            guard case .string(let text) = value else { return .null }
            guard HumanTime.parse(text) != nil else { return "<invalid>" }
            return .string(HumanTime.age(of: value, now: now))
        case "string":
            return .string(PrinterJSONPath.text(of: value))
        default:
            return .null
        }
    }
}
