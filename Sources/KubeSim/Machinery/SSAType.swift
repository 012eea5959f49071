import KubeModel

/// The structure server-side apply needs to know about an object: which maps are atomic,
/// which lists are associative (and their keys), sets, or atomic. Built from the built-in
/// kinds' list tags or a CRD's `openAPIV3Schema` (`x-kubernetes-list-type`,
/// `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`). Anything undescribed is
/// "deduced": maps are granular and lists atomic, as structured-merge-diff treats them.
public indirect enum SSAType: Sendable {
    /// A struct or map. `fields` are declared fields, `elements` the type of any other key.
    case map(fields: [String: SSAType], elements: SSAType?, atomic: Bool)
    /// An associative list (`listType: map`) with its keys and, per key, a default used
    /// when an element omits it (e.g. `protocol: TCP` for ports).
    case associativeList(keys: [String], defaults: [String: JSONValue], element: SSAType)
    /// `listType: set`: scalars owned one by one (`v:` paths).
    case setList
    /// A list or map owned as a whole.
    case atomic
    /// A leaf value.
    case scalar
    /// Nothing known: maps granular, lists atomic.
    case deduced

    static let deducedMap = SSAType.map(fields: [:], elements: .deduced, atomic: false)

    func field(_ name: String) -> SSAType {
        switch self {
        case .map(let fields, let elements, _): return fields[name] ?? elements ?? .deduced
        default: return .deduced
        }
    }

    /// The type for a built-in kind (from the strategic-merge-patch tags, which the
    /// list-type markers mirror), or a deduced type for unknown kinds.
    public static func builtIn(kind: String) -> SSAType {
        guard let schema = PatchSchema.kinds[kind] else { return deducedMap }
        return convert(schema, path: [], kind: kind)
    }

    private static func convert(_ schema: PatchSchema, path: [String], kind: String) -> SSAType {
        switch schema {
        case .replace:
            return .atomic
        case .mergeList(let key, let element):
            guard let key else { return .setList }
            let name = path.last ?? ""
            if name == "ports" && key == "containerPort" {
                return .associativeList(keys: ["containerPort", "protocol"], defaults: ["protocol": "TCP"], element: convert(element, path: path, kind: kind))
            }
            if name == "ports" && key == "port" {
                return .associativeList(keys: ["port", "protocol"], defaults: ["protocol": "TCP"], element: convert(element, path: path, kind: kind))
            }
            return .associativeList(keys: [key], defaults: [:], element: convert(element, path: path, kind: kind))
        case .object(let fields):
            var converted: [String: SSAType] = [:]
            for (name, field) in fields { converted[name] = convert(field, path: path + [name], kind: kind) }
            // Label selectors are atomic structs (`+structType=atomic`), as is a Service's selector map.
            if path.count == 1 && path[0] == "spec" && converted["selector"] == nil {
                converted["selector"] = .atomic
            }
            return .map(fields: converted, elements: .deduced, atomic: false)
        }
    }

    /// The type described by a CRD version's `openAPIV3Schema`.
    public static func fromSchema(_ schema: JSONValue) -> SSAType {
        if schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true && schema["properties"] == nil && schema["type"] == nil {
            return .deduced
        }
        switch schema["type"]?.stringValue {
        case "object":
            if schema["x-kubernetes-map-type"]?.stringValue == "atomic" { return .atomic }
            var fields: [String: SSAType] = [:]
            for (name, property) in schema["properties"]?.objectValue ?? [:] { fields[name] = fromSchema(property) }
            var elements: SSAType?
            if let additional = schema["additionalProperties"], additional.objectValue != nil { elements = fromSchema(additional) }
            if schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true, elements == nil { elements = .deduced }
            return .map(fields: fields, elements: elements, atomic: false)
        case "array":
            switch schema["x-kubernetes-list-type"]?.stringValue {
            case "map":
                let keys = (schema["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
                let item = schema["items"] ?? [:]
                var defaults: [String: JSONValue] = [:]
                for key in keys { if let value = item[path: ["properties", key, "default"]] { defaults[key] = value } }
                return .associativeList(keys: keys, defaults: defaults, element: fromSchema(item))
            case "set":
                return .setList
            default:
                return .atomic
            }
        case nil:
            return schema["x-kubernetes-int-or-string"]?.boolValue == true ? .scalar : .deduced
        default:
            return .scalar
        }
    }

    /// The key element of an associative-list item; nil when a key is missing.
    func keyElement(of item: JSONValue) -> PathElement? {
        guard case .associativeList(let keys, let defaults, _) = self else { return nil }
        var values: [String: JSONValue] = [:]
        for key in keys {
            guard let value = item[key] ?? defaults[key] else { return nil }
            values[key] = value
        }
        return .key(values)
    }
}
