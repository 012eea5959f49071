import KubeModel

/// Strategic merge patch (`application/strategic-merge-patch+json`) for built-in kinds:
/// lists with merge keys (containers, ports, env, volumes, volumeMounts, conditions,
/// ownerReferences, ...) merge by key, primitive merge lists (finalizers) merge as sets,
/// and the directives `$patch: replace|merge|delete`, `$retainKeys`,
/// `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>` are honoured, as in
/// apimachinery's `strategicpatch.StrategicMergePatch`.
public enum StrategicMergePatch {
    /// The kinds this server can strategic-merge-patch.
    public static var supportedKinds: Set<String> { Set(PatchSchema.kinds.keys) }

    /// Applies `patch` to `target`. `kind` is e.g. "StatefulSet"; unknown kinds (custom
    /// resources) are refused with 415 as the real server does, listing the patch types
    /// it accepts for them.
    public static func apply(_ patch: JSONValue, to target: JSONValue, kind: String) throws -> JSONValue {
        guard let schema = PatchSchema.kinds[kind] else {
            throw APIErrors.unsupportedMediaType(accepted: APIErrors.customResourcePatchTypes)
        }
        guard case .object(let patchMembers) = patch else {
            throw APIErrors.badRequest("json: cannot unmarshal \(SchemaValidator.typeName(of: patch)) into Go value of type map[string]interface {}")
        }
        let original = target.objectValue ?? [:]
        return .object(try mergeMap(original, patchMembers, schema: schema) ?? [:])
    }

    /// Merges a patch map into an original map; nil means `$patch: delete`.
    static func mergeMap(_ original: [String: JSONValue], _ patch: [String: JSONValue], schema: PatchSchema) throws -> [String: JSONValue]? {
        var patch = patch
        var result = original
        if let directive = patch.removeValue(forKey: "$patch") {
            switch directive.stringValue {
            case "delete": return nil
            case "replace": return try stripDirectives(patch)
            case "merge": break
            default: throw APIErrors.badRequest("Unknown patch type: \(directive.stringValue ?? "")")
            }
        }
        if let retain = patch.removeValue(forKey: "$retainKeys") {
            let keep = Set((retain.arrayValue ?? []).compactMap(\.stringValue))
            result = result.filter { keep.contains($0.key) }
        }
        var orders: [String: [JSONValue]] = [:]
        for key in patch.keys {
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let remove = patch[key]?.arrayValue ?? []
                if let list = result[field]?.arrayValue {
                    result[field] = .array(list.filter { !remove.contains($0) })
                }
                patch[key] = nil
            } else if key.hasPrefix("$setElementOrder/") {
                orders[String(key.dropFirst("$setElementOrder/".count))] = patch[key]?.arrayValue ?? []
                patch[key] = nil
            }
        }
        for key in patch.keys.sorted() {
            guard let patchValue = patch[key] else { continue }
            let fieldSchema = schema.field(key)
            if patchValue == .null {
                result[key] = nil
                continue
            }
            if case .replace = fieldSchema {
                result[key] = .object(try stripDirectives(patchValue.objectValue ?? [:]))
                continue
            }
            switch (result[key], patchValue) {
            case (.object(let originalChild)?, .object(let patchChild)):
                result[key] = try mergeMap(originalChild, patchChild, schema: fieldSchema).map(JSONValue.object)
            case (nil, .object(let patchChild)):
                result[key] = try mergeMap([:], patchChild, schema: fieldSchema).map(JSONValue.object)
            case (let originalChild, .array(let patchItems)):
                if case .mergeList(let mergeKey, let element) = fieldSchema {
                    result[key] = .array(try mergeList(originalChild?.arrayValue ?? [], patchItems, mergeKey: mergeKey, element: element))
                } else {
                    result[key] = .array(try patchItems.map(stripDirectives))
                }
            default:
                result[key] = patchValue
            }
        }
        for (field, order) in orders {
            guard case .mergeList(let mergeKey, _) = schema.field(field), let list = result[field]?.arrayValue else { continue }
            result[field] = .array(reorder(list, by: order, mergeKey: mergeKey))
        }
        return result
    }

    static func mergeList(_ original: [JSONValue], _ patch: [JSONValue], mergeKey: String?, element: PatchSchema) throws -> [JSONValue] {
        // `{"$patch": "replace"}` as an element replaces the whole list with the others.
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return try patch.filter { $0["$patch"]?.stringValue != "replace" }.map(stripDirectives)
        }
        guard let mergeKey else {
            var result = original
            for item in patch where !result.contains(item) { result.append(item) }
            return result
        }
        var result = original
        for item in patch {
            guard case .object(var members) = item else { continue }
            guard let keyValue = members[mergeKey] else {
                throw APIErrors.badRequest("map: \(PrinterJSONPath.text(of: item)) does not contain declared merge key: \(mergeKey)")
            }
            let index = result.firstIndex { $0[mergeKey] == keyValue }
            if members["$patch"]?.stringValue == "delete" {
                result.removeAll { $0[mergeKey] == keyValue }
                continue
            }
            if let index {
                let merged = try mergeMap(result[index].objectValue ?? [:], members, schema: element)
                if let merged { result[index] = .object(merged) } else { result.remove(at: index) }
            } else {
                members = try mergeMap([:], members, schema: element) ?? [:]
                result.append(.object(members))
            }
        }
        return result
    }

    /// `$setElementOrder`: the listed elements in the listed order, then the others in
    /// their current order.
    static func reorder(_ list: [JSONValue], by order: [JSONValue], mergeKey: String?) -> [JSONValue] {
        func identity(_ item: JSONValue) -> JSONValue { mergeKey.flatMap { item[$0] } ?? item }
        let wanted = order.map { entry in mergeKey.flatMap { key in entry[key] } ?? entry }
        var ordered: [JSONValue] = []
        for want in wanted {
            if let item = list.first(where: { identity($0) == want }) { ordered.append(item) }
        }
        ordered += list.filter { !wanted.contains(identity($0)) }
        return ordered
    }

    /// A value inserted where there was nothing: directives removed, nested deletions dropped.
    static func stripDirectives(_ value: JSONValue) throws -> JSONValue {
        switch value {
        case .object(let members): return .object(try stripDirectives(members))
        case .array(let items): return .array(try items.filter { $0["$patch"] == nil }.map(stripDirectives))
        default: return value
        }
    }

    static func stripDirectives(_ members: [String: JSONValue]) throws -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in members where !key.hasPrefix("$") && value != .null {
            result[key] = try stripDirectives(value)
        }
        return result
    }
}
