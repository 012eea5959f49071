import KubeModel

/// Server-side apply (`application/apply-patch+yaml`) with field managers recorded in
/// `metadata.managedFields` (fieldsV1), following structured-merge-diff and the
/// apiserver's field manager: a field its manager stops applying is removed unless
/// another manager owns it, other managers' fields survive, associative lists merge by
/// key, atomic values are replaced, and a conflicting apply without force fails with the
/// real 409 (`Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas`).
///
/// The caller handles what the REST layer does around it: status is not applied through
/// the main resource (strip it from the config first), defaulting and validation run on
/// the result, and a result equal to the live object is a no-op (no new resourceVersion).
public enum ServerSideApply {
    /// Fields nobody owns (`stripMetaManager`).
    static let strippedPaths: Set<[PathElement]> = [
        [.field("apiVersion")], [.field("kind")], [.field("metadata")],
        [.field("metadata"), .field("name")], [.field("metadata"), .field("namespace")],
        [.field("metadata"), .field("creationTimestamp")], [.field("metadata"), .field("selfLink")],
        [.field("metadata"), .field("uid")], [.field("metadata"), .field("clusterName")],
        [.field("metadata"), .field("generation")], [.field("metadata"), .field("managedFields")],
        [.field("metadata"), .field("resourceVersion")],
    ]

    /// Non-pointer structs of built-in kinds: present (empty) in any new Go object, so an
    /// update never "adds" them and never owns them as such.
    static let structuralPaths: Set<[PathElement]> = [
        [.field("spec")], [.field("status")], [.field("spec"), .field("template")],
        [.field("spec"), .field("template"), .field("metadata")], [.field("spec"), .field("template"), .field("spec")],
        [.field("spec"), .field("strategy")], [.field("spec"), .field("updateStrategy")],
    ]

    /// Applies with the type of a built-in kind (read from the config's `kind`), or the
    /// deduced type (maps granular, lists atomic) for anything else.
    /// - Parameters:
    ///   - config: the applied configuration as sent by the client.
    ///   - live: the current object, or nil when the apply creates it.
    ///   - manager: the `fieldManager` query parameter.
    ///   - force: the `force` query parameter.
    ///   - now: the RFC 3339 time recorded in managedFields.
    /// - Returns: the new object, with `metadata.managedFields` updated.
    /// - Throws: `Status` 409 (reason Conflict) when another manager owns a field with a different value and `force` is false;
    ///   400 when the configuration's apiVersion, kind or name do not match the live object.
    public static func apply(_ config: JSONValue, to live: JSONValue?, manager: String, force: Bool, now: String) throws -> JSONValue {
        try apply(config, to: live, manager: manager, force: force, now: now, type: SSAType.builtIn(kind: config["kind"]?.stringValue ?? ""))
    }

    /// Applies with an explicit type, e.g. `SSAType.fromSchema(openAPIV3Schema)` for a
    /// custom resource.
    public static func apply(_ config: JSONValue, to live: JSONValue?, manager: String, force: Bool, now: String,
                             type: SSAType, subresource: String = "") throws -> JSONValue {
        guard case .object = config else { throw APIErrors.badRequest("error decoding YAML: object expected") }
        if config[path: ["metadata", "managedFields"]] != nil {
            throw APIErrors.badRequest("metadata.managedFields must be nil")
        }
        let apiVersion = config["apiVersion"]?.stringValue ?? ""
        if let live {
            let liveVersion = live["apiVersion"]?.stringValue ?? ""
            if !liveVersion.isEmpty && apiVersion != liveVersion {
                throw APIErrors.badRequest("Incorrect version specified in apply patch. Specified patch version: \(apiVersion), expected: \(liveVersion)")
            }
            let liveKind = live["kind"]?.stringValue ?? ""
            if !liveKind.isEmpty, let kind = config["kind"]?.stringValue, kind != liveKind {
                throw APIErrors.badRequest("Incorrect kind specified in apply patch. Specified patch kind: \(kind), expected: \(liveKind)")
            }
            let liveName = live[path: ["metadata", "name"]]?.stringValue ?? ""
            if let name = config[path: ["metadata", "name"]]?.stringValue, name != liveName {
                throw APIErrors.badRequest("the name of the object (\(name)) does not match the name on the URL (\(liveName))")
            }
        }

        var entries = ManagedFieldsEntry.entries(of: live)
        if let live, entries.isEmpty {
            // Objects written before anyone recorded ownership: the apiserver hands every
            // field to "before-first-apply" so that a first apply still sees conflicts.
            var all = Set<[PathElement]>()
            FieldSetOperations.allNodes(strip(live), type: type, prefix: [], structural: structuralPaths, into: &all)
            entries.append(ManagedFieldsEntry(manager: "before-first-apply", operation: "Update", apiVersion: live["apiVersion"]?.stringValue ?? "",
                                              time: now, fields: FieldSet(all).subtracting(FieldSet(strippedPaths))))
        }

        var configPaths = Set<[PathElement]>()
        FieldSetOperations.applySet(strip(config), type: type, into: &configPaths)
        let configSet = FieldSet(configPaths).subtracting(FieldSet(strippedPaths))

        let liveObject = live ?? [:]
        var merged = FieldSetOperations.merge(liveObject, config, type: type)
        var changed = Set<[PathElement]>(), removed = Set<[PathElement]>()
        FieldSetOperations.compare(strip(liveObject), strip(merged), type: type, prefix: [], structural: [], changed: &changed, removed: &removed)

        let selfEntry = ManagedFieldsEntry(manager: manager, operation: "Apply", apiVersion: apiVersion, time: now, subresource: subresource, fields: configSet)
        var conflicts: [(entry: ManagedFieldsEntry, path: [PathElement])] = []
        for entry in entries where entry.identity != selfEntry.identity {
            for path in entry.fields.paths where changed.contains(path) && configSet.contains(path) {
                conflicts.append((entry, path))
            }
        }
        if !conflicts.isEmpty {
            if !force { throw conflictError(conflicts) }
            let lost = FieldSet(Set(conflicts.map(\.path)))
            entries = entries.map { entry in
                var entry = entry
                if entry.identity != selfEntry.identity { entry.fields = entry.fields.subtracting(lost) }
                return entry
            }
        }

        // Fields this manager applied before and no longer applies go away, unless
        // someone else owns them (or something below them).
        let previous = entries.first { $0.identity == selfEntry.identity }?.fields ?? FieldSet()
        let others = entries.filter { $0.identity != selfEntry.identity }.reduce(FieldSet()) { $0.union($1.fields) }
        let dropped = previous.subtracting(configSet).paths.filter { path in
            !others.contains(path) && !others.hasDescendant(of: path) && !configSet.hasDescendant(of: path)
        }
        for path in dropped.sorted(by: { $0.count > $1.count }) {
            FieldSetOperations.remove(path, from: &merged, type: type)
        }

        entries.removeAll { $0.identity == selfEntry.identity }
        entries.append(selfEntry)
        if let live, strip(merged) == strip(live), Set(entries) == Set(noTimeChange(entries, previousOf: live, selfEntry: selfEntry)) {
            return live
        }
        merged[path: ["metadata", "managedFields"]] = ManagedFieldsEntry.encode(entries)
        return merged
    }

    /// Whether the only difference in `entries` from the live ones is the applier's time.
    private static func noTimeChange(_ entries: [ManagedFieldsEntry], previousOf live: JSONValue, selfEntry: ManagedFieldsEntry) -> [ManagedFieldsEntry] {
        ManagedFieldsEntry.entries(of: live).map { entry in
            var entry = entry
            if entry.identity == selfEntry.identity { entry.time = selfEntry.time }
            return entry
        }
    }

    /// The 409 with the real message and `FieldManagerConflict` causes.
    static func conflictError(_ conflicts: [(entry: ManagedFieldsEntry, path: [PathElement])]) -> Status {
        let sorted = conflicts.sorted {
            $0.entry.conflictName != $1.entry.conflictName ? $0.entry.conflictName < $1.entry.conflictName
                : FieldSet.string($0.path) < FieldSet.string($1.path)
        }
        let causes = sorted.map { Status.Cause(reason: "FieldManagerConflict", message: "conflict with \($0.entry.conflictName)", field: FieldSet.string($0.path)) }
        let message: String
        if sorted.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(sorted[0].entry.conflictName): \(FieldSet.string(sorted[0].path))"
        } else {
            var lines: [String] = []
            var seen: [String] = []
            for conflict in sorted where !seen.contains(conflict.entry.conflictName) { seen.append(conflict.entry.conflictName) }
            for name in seen {
                lines.append("conflicts with \(name):")
                for conflict in sorted where conflict.entry.conflictName == name { lines.append("- \(FieldSet.string(conflict.path))") }
            }
            message = "Apply failed with \(sorted.count) conflicts: " + lines.joined(separator: "\n")
        }
        return Status(message: message, reason: "Conflict", details: .init(causes: causes), code: 409)
    }

    /// The object without the fields nobody owns, for comparisons.
    static func strip(_ object: JSONValue) -> JSONValue {
        var copy = object
        copy["apiVersion"] = nil
        copy["kind"] = nil
        for field in ["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"] {
            copy[path: ["metadata", field]] = nil
        }
        if copy["metadata"] == [:] { copy["metadata"] = nil }
        return copy
    }

    /// Records a non-apply write (create, update, patch) by `manager` in managedFields with
    /// operation `Update`, taking ownership of the fields it changed (and taking them
    /// from other managers). A write that changes nothing keeps the old managedFields.
    public static func recordUpdate(old: JSONValue?, new: JSONValue, manager: String, now: String) -> JSONValue {
        recordUpdate(old: old, new: new, manager: manager, now: now, type: SSAType.builtIn(kind: new["kind"]?.stringValue ?? ""))
    }

    /// `recordUpdate` with an explicit type (custom resources) and subresource.
    public static func recordUpdate(old: JSONValue?, new: JSONValue, manager: String, now: String, type: SSAType, subresource: String = "") -> JSONValue {
        var result = new
        let oldEntries = ManagedFieldsEntry.entries(of: old)
        let sentEntries = ManagedFieldsEntry.entries(of: new)
        // A client that sends managedFields different from the stored ones sets them.
        var entries = (new[path: ["metadata", "managedFields"]] != nil && sentEntries != oldEntries) ? sentEntries : oldEntries
        let builtIn = PatchSchema.kinds[new["kind"]?.stringValue ?? ""] != nil
        var changed = Set<[PathElement]>(), removed = Set<[PathElement]>()
        FieldSetOperations.compare(old.map(strip), strip(new), type: type, prefix: [], structural: builtIn ? structuralPaths : [],
                                   changed: &changed, removed: &removed)
        let changedSet = FieldSet(changed).subtracting(FieldSet(strippedPaths))
        let removedSet = FieldSet(removed)
        if changedSet.isEmpty && removedSet.isEmpty {
            result[path: ["metadata", "managedFields"]] = ManagedFieldsEntry.encode(entries)
            return result
        }
        let apiVersion = new["apiVersion"]?.stringValue ?? ""
        var selfEntry = ManagedFieldsEntry(manager: manager, operation: "Update", apiVersion: apiVersion, time: now, subresource: subresource, fields: FieldSet())
        if let index = entries.firstIndex(where: { $0.identity == selfEntry.identity }) {
            selfEntry.fields = entries[index].fields
            entries.remove(at: index)
        }
        entries = entries.map { entry in
            var entry = entry
            entry.fields = entry.fields.subtracting(changedSet).subtracting(removedSet)
            return entry
        }
        selfEntry.fields = selfEntry.fields.union(changedSet).subtracting(removedSet)
        entries.append(selfEntry)
        result[path: ["metadata", "managedFields"]] = ManagedFieldsEntry.encode(entries)
        return result
    }
}

extension ServerSideApply {
    /// The fields a write through `subresource` may not set (the strategies'
    /// `GetResetFields`), removed from an applied configuration before `apply`: the main
    /// resource ignores `status` when the kind has a status subresource; the status
    /// subresource ignores everything but `status` (and the identifying metadata).
    public static func stripResetFields(_ config: JSONValue, subresource: String, hasStatusSubresource: Bool = true) -> JSONValue {
        var copy = config
        switch subresource {
        case "status":
            guard case .object(let members) = config else { return config }
            var kept: [String: JSONValue] = [:]
            for key in ["apiVersion", "kind", "status"] { kept[key] = members[key] }
            if let metadata = config["metadata"] {
                var identifying: [String: JSONValue] = [:]
                for key in ["name", "namespace", "uid", "resourceVersion"] { identifying[key] = metadata[key] }
                kept["metadata"] = .object(identifying)
            }
            copy = .object(kept)
        case "":
            if hasStatusSubresource { copy["status"] = nil }
        default:
            break
        }
        return copy
    }
}
