import KubeModel

/// A CRD version's `openAPIV3Schema`: validation with the real server's messages,
/// defaulting, and pruning of unknown fields, following apiextensions-apiserver
/// (`validation.ValidateCustomResource` over kube-openapi, `structuraldefaulting`,
/// `structuralpruning`).
///
/// Supported keywords: `type` (with `nullable`, `x-kubernetes-int-or-string`),
/// `properties`, `additionalProperties`, `items`, `required`, `enum`, `pattern`,
/// `maxLength`/`minLength`, `maximum`/`minimum` (and their `exclusive*` flags),
/// `multipleOf`, `maxItems`/`minItems`, `uniqueItems`, `maxProperties`/`minProperties`,
/// `format` (date-time, date, uuid, ipv4, byte), `allOf`, `default`,
/// `x-kubernetes-preserve-unknown-fields`, `x-kubernetes-embedded-resource`.
/// Not supported: CEL `x-kubernetes-validations`, `anyOf`/`oneOf`/`not`.
public struct StructuralSchema: Sendable {
    public let schema: JSONValue

    public init(openAPIV3Schema: JSONValue) { self.schema = openAPIV3Schema }

    /// Returns the causes the real server would list (field `spec.replicas`, reason
    /// `FieldValueInvalid`, message `Invalid value: 0: spec.replicas in body should be
    /// greater than or equal to 1`); empty when valid. Pass them to
    /// `APIErrors.invalid(kind:group:name:causes:)` for the 422.
    public func validate(_ object: JSONValue) -> [Status.Cause] {
        fieldErrors(object).map(\.cause)
    }

    /// The same as `validate`, as field errors.
    public func fieldErrors(_ object: JSONValue) -> [FieldError] {
        var validator = SchemaValidator()
        validator.check(object, schema, path: "")
        return validator.errors
    }

    /// Applies `default:` values as the apiserver does: a property's default where the
    /// property is absent (or null while not nullable), also inside array items and
    /// `additionalProperties` values, and inside defaults themselves. Then drops nulls of
    /// non-nullable properties that have no default
    /// (`PruneNonNullableNullsWithoutDefaults`).
    public func applyDefaults(to object: inout JSONValue) {
        Self.applyDefaults(to: &object, schema: schema)
        Self.pruneNonNullableNulls(&object, schema: schema)
    }

    /// Removes fields the schema does not declare (unless
    /// `x-kubernetes-preserve-unknown-fields`); returns their paths (`spec.foo`,
    /// `spec.members[0].bar`) so that `fieldValidation=Strict` can refuse them
    /// (`unknown field "spec.foo"`) and `Warn` can warn. At the root, and in embedded
    /// resources, `apiVersion`, `kind` and `metadata` are always kept.
    public func prune(_ object: inout JSONValue) -> [String] {
        var pruned: [String] = []
        Self.prune(&object, schema: schema, path: "", isRoot: true, pruned: &pruned)
        return pruned
    }

    // MARK: - Defaulting

    private static func applyDefaults(to value: inout JSONValue, schema: JSONValue) {
        switch value {
        case .object(var members):
            if let properties = schema["properties"]?.objectValue {
                for (key, property) in properties {
                    guard let defaultValue = property["default"] else { continue }
                    let current = members[key]
                    if current == nil || (current == .null && property["nullable"]?.boolValue != true) {
                        members[key] = defaultValue
                    }
                }
            }
            for (key, var child) in members {
                guard let childSchema = childSchema(schema, key: key) else { continue }
                applyDefaults(to: &child, schema: childSchema)
                members[key] = child
            }
            value = .object(members)
        case .array(var items):
            guard let itemSchema = schema["items"], itemSchema.objectValue != nil else { return }
            for index in items.indices {
                if items[index] == .null, itemSchema["nullable"]?.boolValue != true, let defaultValue = itemSchema["default"] {
                    items[index] = defaultValue
                }
                applyDefaults(to: &items[index], schema: itemSchema)
            }
            value = .array(items)
        default:
            return
        }
    }

    private static func pruneNonNullableNulls(_ value: inout JSONValue, schema: JSONValue) {
        switch value {
        case .object(var members):
            for (key, var child) in members {
                guard let childSchema = childSchema(schema, key: key) else { continue }
                if child == .null {
                    if childSchema["default"] == nil && childSchema["nullable"]?.boolValue != true {
                        members[key] = nil
                    }
                    continue
                }
                pruneNonNullableNulls(&child, schema: childSchema)
                members[key] = child
            }
            value = .object(members)
        case .array(var items):
            guard let itemSchema = schema["items"], itemSchema.objectValue != nil else { return }
            for index in items.indices { pruneNonNullableNulls(&items[index], schema: itemSchema) }
            value = .array(items)
        default:
            return
        }
    }

    /// The schema of member `key` of an object: its property, or `additionalProperties`.
    static func childSchema(_ schema: JSONValue, key: String) -> JSONValue? {
        if let property = schema["properties"]?[key] { return property }
        if let additional = schema["additionalProperties"], additional.objectValue != nil { return additional }
        return nil
    }

    // MARK: - Pruning

    private static func prune(_ value: inout JSONValue, schema: JSONValue, path: String, isRoot: Bool, pruned: inout [String]) {
        switch value {
        case .object(var members):
            let preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
            let embedded = isRoot || schema["x-kubernetes-embedded-resource"]?.boolValue == true
            for key in members.keys.sorted() {
                guard var child = members[key] else { continue }
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                // ObjectMeta is pruned by its own rules, never by the schema, even where the
                // schema declares `metadata: {type: object}` (as controller-gen writes it).
                if embedded && (key == "apiVersion" || key == "kind" || key == "metadata") {
                    continue
                }
                guard let childSchema = childSchema(schema, key: key) else {
                    if !preserveUnknown && schema["additionalProperties"]?.boolValue != true {
                        members[key] = nil
                        pruned.append(childPath)
                    }
                    continue
                }
                prune(&child, schema: childSchema, path: childPath, isRoot: false, pruned: &pruned)
                members[key] = child
            }
            value = .object(members)
        case .array(var items):
            guard let itemSchema = schema["items"], itemSchema.objectValue != nil else { return }
            for index in items.indices {
                prune(&items[index], schema: itemSchema, path: "\(path)[\(index)]", isRoot: false, pruned: &pruned)
            }
            value = .array(items)
        default:
            return
        }
    }
}
