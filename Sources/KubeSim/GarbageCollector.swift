import Foundation
import KubeModel

/// Owner-reference garbage collection, as kube-controller-manager's garbage collector:
/// dependents whose owners are all gone are deleted (background), owners being deleted
/// in the foreground wait for their blocking dependents, orphaning owners release theirs.
struct GarbageCollector: SimController {
    private static let manager = "generic-garbage-collector"

    /// Deletions, and objects with owners or being deleted, are what the collector acts on.
    func isInterested(in change: WatchRecord) -> Bool {
        if change.type == "DELETED" { return true }
        return [change.object, change.previous].contains { object in
            guard let metadata = object?["metadata"] else { return false }
            return metadata["ownerReferences"] != nil || metadata["deletionTimestamp"] != nil
        }
    }

    func sync(_ server: APIServer) {
        var objects: [(info: ResourceInfo, object: JSONValue)] = []
        for info in server.registry.allStorageResources() {
            for item in server.store.list(info.storageKey, namespace: nil).items { objects.append((info, item.object)) }
        }
        var byUID: [String: (info: ResourceInfo, object: JSONValue)] = [:]
        var dependents: [String: [(info: ResourceInfo, object: JSONValue, blocking: Bool)]] = [:]
        for entry in objects {
            if let uid = entry.object[path: ["metadata", "uid"]]?.stringValue { byUID[uid] = entry }
            for reference in entry.object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? [] {
                guard let uid = reference["uid"]?.stringValue else { continue }
                dependents[uid, default: []].append((entry.info, entry.object, reference["blockOwnerDeletion"]?.boolValue ?? false))
            }
        }

        for entry in objects {
            let references = entry.object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
            guard !references.isEmpty else { continue }
            let beingDeleted = entry.object[path: ["metadata", "deletionTimestamp"]] != nil
            var kept: [JSONValue] = []
            var foregroundOwner = false
            var liveOwner = false
            for reference in references {
                guard let uid = reference["uid"]?.stringValue, let owner = byUID[uid] else { continue }
                let finalizers = Self.finalizers(owner.object)
                let ownerDeleting = owner.object[path: ["metadata", "deletionTimestamp"]] != nil
                if ownerDeleting && finalizers.contains("orphan") { continue }
                kept.append(reference)
                if ownerDeleting && finalizers.contains("foregroundDeletion") { foregroundOwner = true } else { liveOwner = true }
            }
            let name = entry.object[path: ["metadata", "name"]]?.stringValue ?? ""
            let namespace = entry.object[path: ["metadata", "namespace"]]?.stringValue
            if liveOwner {
                if kept.count != references.count { release(server, entry.info, entry.object, keeping: kept) }
            } else if foregroundOwner {
                if !beingDeleted {
                    var request = APIServer.DeleteRequest()
                    request.propagationPolicy = "Foreground"
                    _ = try? server.deleteObject(entry.info, namespace: namespace, name: name, request: request)
                }
            } else if kept.isEmpty && references.allSatisfy({ byUID[$0["uid"]?.stringValue ?? ""] == nil }) {
                if !beingDeleted { _ = try? server.deleteObject(entry.info, namespace: namespace, name: name, request: APIServer.DeleteRequest()) }
            } else if kept.count != references.count {
                // Only orphaning owners referenced it: drop those references, keep the object.
                release(server, entry.info, entry.object, keeping: kept)
            }
        }

        // Owners being deleted: remove their GC finalizers once nothing holds them.
        for entry in objects where entry.object[path: ["metadata", "deletionTimestamp"]] != nil {
            let finalizers = Self.finalizers(entry.object)
            guard let uid = entry.object[path: ["metadata", "uid"]]?.stringValue else { continue }
            var remaining = finalizers
            if finalizers.contains("orphan") && (dependents[uid] ?? []).isEmpty { remaining.removeAll { $0 == "orphan" } }
            if finalizers.contains("foregroundDeletion") {
                let blocking = (dependents[uid] ?? []).filter { dependent in
                    dependent.blocking && server.store.get(dependent.info.storageKey, ObjectKey(
                        namespace: dependent.object[path: ["metadata", "namespace"]]?.stringValue,
                        name: dependent.object[path: ["metadata", "name"]]?.stringValue ?? "")) != nil
                }
                if blocking.isEmpty { remaining.removeAll { $0 == "foregroundDeletion" } }
            }
            if remaining != finalizers {
                var updated = entry.object
                updated[path: ["metadata", "finalizers"]] = remaining.isEmpty ? nil : .array(remaining.map(JSONValue.string))
                var warnings: [String] = []
                _ = try? server.updateObject(entry.info, old: entry.object, new: updated, subresource: nil,
                                             precondition: entry.object[path: ["metadata", "resourceVersion"]]?.stringValue,
                                             options: .init(manager: Self.manager), warnings: &warnings)
            }
        }
    }

    private func release(_ server: APIServer, _ info: ResourceInfo, _ object: JSONValue, keeping: [JSONValue]) {
        var updated = object
        updated[path: ["metadata", "ownerReferences"]] = keeping.isEmpty ? nil : .array(keeping)
        var warnings: [String] = []
        _ = try? server.updateObject(info, old: object, new: updated, subresource: nil,
                                     precondition: object[path: ["metadata", "resourceVersion"]]?.stringValue,
                                     options: .init(manager: Self.manager), warnings: &warnings)
    }

    static func finalizers(_ object: JSONValue) -> [String] {
        (object[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
    }
}

/// Namespace deletion: deletes everything in a terminating namespace, then the namespace.
struct NamespaceController: SimController {
    func isInterested(in change: WatchRecord) -> Bool {
        change.storageKey == ResourceType.namespaces.groupResource || change.type == "DELETED"
            || change.object[path: ["metadata", "deletionTimestamp"]] != nil
    }

    func sync(_ server: APIServer) {
        for item in server.store.list(ResourceType.namespaces.groupResource, namespace: nil).items {
            let namespace = item.object
            guard namespace[path: ["metadata", "deletionTimestamp"]] != nil, let name = namespace[path: ["metadata", "name"]]?.stringValue else { continue }
            var remaining = 0
            for info in server.registry.allStorageResources() where info.type.namespaced {
                for object in server.store.list(info.storageKey, namespace: name).items {
                    remaining += 1
                    if object.object[path: ["metadata", "deletionTimestamp"]] == nil {
                        _ = try? server.deleteObject(info, namespace: name, name: object.key.name, request: APIServer.DeleteRequest())
                    }
                }
            }
            guard remaining == 0 else { continue }
            var finalized = namespace
            finalized[path: ["spec", "finalizers"]] = nil
            let key = ObjectKey(namespace: nil, name: name)
            let revision = namespace[path: ["metadata", "resourceVersion"]]?.stringValue
            if GarbageCollector.finalizers(namespace).isEmpty {
                _ = try? server.store.update(ResourceType.namespaces.groupResource, key, finalized, expectedRevision: revision)
                _ = try? server.store.delete(ResourceType.namespaces.groupResource, key, expectedRevision: nil)
            } else if namespace[path: ["spec", "finalizers"]] != nil {
                _ = try? server.store.update(ResourceType.namespaces.groupResource, key, finalized, expectedRevision: revision)
            }
        }
    }
}
