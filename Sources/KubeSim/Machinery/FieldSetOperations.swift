import KubeModel

/// The structured-merge-diff operations server-side apply is made of: the field set of
/// an applied configuration, the comparison of two objects, the merge of a configuration
/// into a live object, and the removal of fields.
enum FieldSetOperations {
    /// `ToFieldSet` of an applied configuration: scalars, atomic values, list elements
    /// and set values are members; maps only when empty or null (structs are not owned
    /// as such by an applier).
    static func applySet(_ value: JSONValue, type: SSAType, prefix: [PathElement] = [], into set: inout Set<[PathElement]>) {
        switch (value, type) {
        case (.object, .atomic), (.array, .atomic), (.array, .deduced), (.array, .map), (.array, .scalar):
            set.insert(prefix)
        case (.object(let members), _):
            if case .map(_, _, true) = type { set.insert(prefix); return }
            for (key, child) in members {
                let path = prefix + [.field(key)]
                if child == .null || child == [:] { set.insert(path) }
                applySet(child, type: type.field(key), prefix: path, into: &set)
            }
        case (.array(let items), .associativeList(_, _, let element)):
            for item in items {
                guard let key = type.keyElement(of: item) else { continue }
                let path = prefix + [key]
                set.insert(path)
                applySet(item, type: element, prefix: path, into: &set)
            }
        case (.array(let items), .setList):
            for item in items { set.insert(prefix + [.value(item)]) }
        case (.null, _):
            if !prefix.isEmpty { set.insert(prefix) }
        default:
            if !prefix.isEmpty { set.insert(prefix) }
        }
    }

    /// Every node of a subtree, maps included (what an update that adds it owns), except
    /// the paths in `structural` (non-pointer Go structs of built-in kinds, which exist,
    /// empty, even in a new object).
    static func allNodes(_ value: JSONValue, type: SSAType, prefix: [PathElement], structural: Set<[PathElement]>, into set: inout Set<[PathElement]>) {
        if !prefix.isEmpty && !structural.contains(prefix) { set.insert(prefix) }
        switch (value, type) {
        case (_, .atomic), (.array, .deduced), (.array, .map), (.array, .scalar):
            return
        case (.object(let members), .map(_, _, false)), (.object(let members), .deduced):
            for (key, child) in members {
                allNodes(child, type: type.field(key), prefix: prefix + [.field(key)], structural: structural, into: &set)
            }
        case (.array(let items), .associativeList(_, _, let element)):
            for item in items {
                guard let key = type.keyElement(of: item) else { continue }
                allNodes(item, type: element, prefix: prefix + [key], structural: structural, into: &set)
            }
        case (.array(let items), .setList):
            for item in items { set.insert(prefix + [.value(item)]) }
        default:
            return
        }
    }

    /// What changed from `old` to `new`: paths added or modified (with every node of an
    /// added subtree), and paths removed.
    static func compare(_ old: JSONValue?, _ new: JSONValue?, type: SSAType, prefix: [PathElement], structural: Set<[PathElement]>,
                        changed: inout Set<[PathElement]>, removed: inout Set<[PathElement]>) {
        switch (old, new) {
        case (nil, nil):
            return
        case (nil, let new?):
            allNodes(new, type: type, prefix: prefix, structural: structural, into: &changed)
        case (let old?, nil):
            var nodes = Set<[PathElement]>()
            allNodes(old, type: type, prefix: prefix, structural: [], into: &nodes)
            removed.formUnion(nodes)
            if !prefix.isEmpty { removed.insert(prefix) }
        case (let old?, let new?):
            if old == new { return }
            switch (old, new, type) {
            case (.object(let a), .object(let b), .map(_, _, false)), (.object(let a), .object(let b), .deduced):
                for key in Set(a.keys).union(b.keys) {
                    compare(a[key], b[key], type: type.field(key), prefix: prefix + [.field(key)], structural: structural, changed: &changed, removed: &removed)
                }
            case (.array(let a), .array(let b), .associativeList(_, _, let element)):
                let oldItems = keyed(a, type: type)
                let newItems = keyed(b, type: type)
                for key in Set(oldItems.keys).union(newItems.keys) {
                    compare(oldItems[key], newItems[key], type: element, prefix: prefix + [key], structural: structural, changed: &changed, removed: &removed)
                }
            case (.array(let a), .array(let b), .setList):
                for item in b where !a.contains(item) { changed.insert(prefix + [.value(item)]) }
                for item in a where !b.contains(item) { removed.insert(prefix + [.value(item)]) }
            default:
                if !prefix.isEmpty { changed.insert(prefix) }
            }
        }
    }

    static func keyed(_ items: [JSONValue], type: SSAType) -> [PathElement: JSONValue] {
        var result: [PathElement: JSONValue] = [:]
        for item in items { if let key = type.keyElement(of: item) { result[key] = item } }
        return result
    }

    /// Merges an applied configuration into the live object: maps merge, associative
    /// lists merge by key (live order, new elements appended), sets union, anything else
    /// is replaced by the configuration.
    static func merge(_ live: JSONValue?, _ config: JSONValue, type: SSAType) -> JSONValue {
        guard let live else { return config }
        switch (live, config, type) {
        case (.object(var result), .object(let patch), .map(_, _, false)), (.object(var result), .object(let patch), .deduced):
            for (key, value) in patch { result[key] = merge(result[key], value, type: type.field(key)) }
            return .object(result)
        case (.array(var result), .array(let patch), .associativeList(_, _, let element)):
            for item in patch {
                guard let key = type.keyElement(of: item) else { result.append(item); continue }
                if let index = result.firstIndex(where: { type.keyElement(of: $0) == key }) {
                    result[index] = merge(result[index], item, type: element)
                } else {
                    result.append(item)
                }
            }
            return .array(result)
        case (.array(var result), .array(let patch), .setList):
            for item in patch where !result.contains(item) { result.append(item) }
            return .array(result)
        default:
            return config
        }
    }

    /// Removes the value at `path` (and everything below it) from `object`.
    static func remove(_ path: [PathElement], from object: inout JSONValue, type: SSAType) {
        guard let first = path.first else { return }
        let rest = Array(path.dropFirst())
        switch (first, object) {
        case (.field(let name), .object(var members)):
            guard var child = members[name] else { return }
            if rest.isEmpty { members[name] = nil } else {
                remove(rest, from: &child, type: type.field(name))
                members[name] = child
            }
            object = .object(members)
        case (.key, .array(var items)):
            guard case .associativeList(_, _, let element) = type,
                  let index = items.firstIndex(where: { type.keyElement(of: $0) == first }) else { return }
            if rest.isEmpty { items.remove(at: index) } else { remove(rest, from: &items[index], type: element) }
            object = .array(items)
        case (.value(let value), .array(var items)):
            items.removeAll { $0 == value }
            object = .array(items)
        case (.index(let index), .array(var items)):
            guard items.indices.contains(index) else { return }
            if rest.isEmpty { items.remove(at: index) } else { remove(rest, from: &items[index], type: .deduced) }
            object = .array(items)
        default:
            return
        }
    }
}
