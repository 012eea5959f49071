import KubeModel
import Synchronization

/// The resources the server serves, by group/version/plural: the built-ins plus every
/// established CRD's versions. Discovery and routing read it.
final class ResourceRegistry: Sendable {
    private struct State {
        var resources: [String: ResourceInfo] = [:]
        /// Group-versions in registration order, per group; the first is the preferred one.
        var groups: [(name: String, versions: [String])] = []
    }

    private let state = Mutex(State())

    init() {
        for info in ResourceInfo.builtIns { register(info) }
    }

    private static func key(_ group: String, _ version: String, _ plural: String) -> String { "\(group)/\(version)/\(plural)" }

    func register(_ info: ResourceInfo) {
        state.withLock { state in
            state.resources[Self.key(info.type.group, info.type.version, info.type.plural)] = info
            if let index = state.groups.firstIndex(where: { $0.name == info.type.group }) {
                if !state.groups[index].versions.contains(info.type.version) { state.groups[index].versions.append(info.type.version) }
            } else {
                state.groups.append((name: info.type.group, versions: [info.type.version]))
            }
        }
    }

    /// Removes every version of `group`'s `plural` (a CRD was deleted).
    func unregister(group: String, plural: String) {
        state.withLock { state in
            state.resources = state.resources.filter { !($0.value.type.group == group && $0.value.type.plural == plural) }
            let versionsLeft = Set(state.resources.values.filter { $0.type.group == group }.map(\.type.version))
            if let index = state.groups.firstIndex(where: { $0.name == group }) {
                state.groups[index].versions.removeAll { !versionsLeft.contains($0) }
                if state.groups[index].versions.isEmpty { state.groups.remove(at: index) }
            }
        }
    }

    func lookup(group: String, version: String, plural: String) -> ResourceInfo? {
        state.withLock { $0.resources[Self.key(group, version, plural)] }
    }

    /// The info for a resource type (any served version of its group/plural if that exact version is not served).
    func lookup(_ type: ResourceType) -> ResourceInfo? {
        state.withLock { state in
            state.resources[Self.key(type.group, type.version, type.plural)]
                ?? state.resources.values.first { $0.type.group == type.group && $0.type.plural == type.plural }
        }
    }

    /// The served resource of `group` with `kind` (owner references name kinds).
    func lookup(group: String, kind: String) -> ResourceInfo? {
        state.withLock { state in state.resources.values.first { $0.type.group == group && $0.type.kind == kind } }
    }

    func resources(group: String, version: String) -> [ResourceInfo] {
        state.withLock { state in
            state.resources.values.filter { $0.type.group == group && $0.type.version == version }.sorted { $0.type.plural < $1.type.plural }
        }
    }

    /// One resource info per storage key (the first-registered version), for controllers that scan everything.
    func allStorageResources() -> [ResourceInfo] {
        state.withLock { state in
            var seen: [String: ResourceInfo] = [:]
            for info in state.resources.values where seen[info.storageKey] == nil { seen[info.storageKey] = info }
            return seen.values.sorted { $0.storageKey < $1.storageKey }
        }
    }

    var groups: [(name: String, versions: [String])] { state.withLock { $0.groups } }
}
