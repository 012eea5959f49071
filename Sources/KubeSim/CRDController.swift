import Foundation
import KubeModel
import Synchronization

/// Serves custom resources from their CustomResourceDefinitions, as kube-apiserver's
/// apiextensions controllers do: registers every served version (discovery, routing,
/// schema, subresources, printer columns), reports `NamesAccepted` and `Established`,
/// and on deletion removes every instance before letting the CRD go.
final class CRDController: SimController {
    static let cleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"
    private let served = Mutex<[String: (group: String, plural: String)]>([:])

    func isInterested(in change: WatchRecord) -> Bool {
        change.storageKey == ResourceType.customResourceDefinitions.groupResource
            || (change.type == "DELETED" && change.storageKey.contains("."))
    }

    func sync(_ server: APIServer) {
        let crdInfo = ResourceInfo.builtIns.first { $0.type == .customResourceDefinitions }
        guard let crdInfo else { return }
        var present: Set<String> = []
        for item in server.store.list(crdInfo.storageKey, namespace: nil).items {
            let crd = item.object
            let name = item.key.name
            present.insert(name)
            guard let group = crd[path: ["spec", "group"]]?.stringValue,
                  let plural = crd[path: ["spec", "names", "plural"]]?.stringValue else { continue }
            if crd[path: ["metadata", "deletionTimestamp"]] != nil {
                finishDeletion(server, crd, crdInfo: crdInfo, group: group, plural: plural)
                continue
            }
            let infos = Self.resourceInfos(crd)
            for info in infos { server.registry.register(info) }
            served.withLock { $0[name] = (group, plural) }
            updateStatus(server, crd, crdInfo: crdInfo)
        }
        let gone = served.withLock { served in
            let gone = served.filter { !present.contains($0.key) }
            for key in gone.keys { served[key] = nil }
            return Array(gone.values)
        }
        for entry in gone { server.registry.unregister(group: entry.group, plural: entry.plural) }
    }

    /// The resource infos of a CRD's served versions.
    static func resourceInfos(_ crd: JSONValue) -> [ResourceInfo] {
        let group = crd[path: ["spec", "group"]]?.stringValue ?? ""
        let names = crd[path: ["spec", "names"]] ?? [:]
        let plural = names["plural"]?.stringValue ?? ""
        let kind = names["kind"]?.stringValue ?? ""
        let namespaced = crd[path: ["spec", "scope"]]?.stringValue != "Cluster"
        return (crd[path: ["spec", "versions"]]?.arrayValue ?? []).compactMap { version -> ResourceInfo? in
            guard version["served"]?.boolValue ?? true, let versionName = version["name"]?.stringValue else { return nil }
            var info = ResourceInfo(type: ResourceType(group: group, version: versionName, kind: kind, plural: plural, namespaced: namespaced),
                                    singular: names["singular"]?.stringValue ?? kind.lowercased())
            info.shortNames = (names["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue)
            info.categories = (names["categories"]?.arrayValue ?? []).compactMap(\.stringValue)
            info.isBuiltIn = false
            info.tracksGeneration = true
            info.statusSubresource = version[path: ["subresources", "status"]] != nil
            if let scale = version[path: ["subresources", "scale"]] {
                func path(_ key: String) -> [String]? {
                    scale[key]?.stringValue.map { $0.split(separator: ".").map(String.init) }
                }
                info.scale = .init(specReplicasPath: path("specReplicasPath") ?? ["spec", "replicas"],
                                   statusReplicasPath: path("statusReplicasPath") ?? ["status", "replicas"],
                                   labelSelectorPath: path("labelSelectorPath"))
            }
            if let schema = version[path: ["schema", "openAPIV3Schema"]] {
                info.schema = StructuralSchema(openAPIV3Schema: schema)
            }
            if let columns = version["additionalPrinterColumns"]?.arrayValue, !columns.isEmpty {
                info.printerColumns = columns.map { column in
                    TableConverter.Column(name: column["name"]?.stringValue ?? "", type: column["type"]?.stringValue ?? "string",
                                          format: column["format"]?.stringValue ?? "", description: column["description"]?.stringValue ?? "",
                                          priority: Int(column["priority"]?.intValue ?? 0), jsonPath: column["jsonPath"]?.stringValue ?? "")
                }
            }
            return info
        }
    }

    private func updateStatus(_ server: APIServer, _ crd: JSONValue, crdInfo: ResourceInfo) {
        var status = crd["status"] ?? [:]
        var names = crd[path: ["spec", "names"]] ?? [:]
        if names["singular"] == nil, let kind = names["kind"]?.stringValue { names["singular"] = .string(kind.lowercased()) }
        if names["listKind"] == nil, let kind = names["kind"]?.stringValue { names["listKind"] = .string(kind + "List") }
        status["acceptedNames"] = names
        let storageVersions = (crd[path: ["spec", "versions"]]?.arrayValue ?? []).filter { $0["storage"]?.boolValue == true }.compactMap { $0["name"] }
        var stored = status["storedVersions"]?.arrayValue ?? []
        for version in storageVersions where !stored.contains(version) { stored.append(version) }
        status["storedVersions"] = .array(stored)
        let existing = status["conditions"]?.arrayValue ?? []
        let now = APIServer.timestamp()
        func condition(_ type: String, _ reason: String, _ message: String) -> JSONValue {
            if let old = existing.first(where: { $0["type"]?.stringValue == type }), old["status"] == "True" { return old }
            return ["type": .string(type), "status": "True", "lastTransitionTime": .string(now), "reason": .string(reason), "message": .string(message)]
        }
        status["conditions"] = [
            condition("NamesAccepted", "NoConflicts", "no conflicts found"),
            condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
        ]
        var updated = crd
        updated["status"] = status
        var finalizers = GarbageCollector.finalizers(crd)
        if !finalizers.contains(Self.cleanupFinalizer) {
            finalizers.append(Self.cleanupFinalizer)
            updated[path: ["metadata", "finalizers"]] = .array(finalizers.map(JSONValue.string))
        }
        guard updated != crd else { return }
        let key = ObjectKey(namespace: nil, name: crd[path: ["metadata", "name"]]?.stringValue ?? "")
        _ = try? server.store.update(crdInfo.storageKey, key, updated, expectedRevision: crd[path: ["metadata", "resourceVersion"]]?.stringValue)
    }

    private func finishDeletion(_ server: APIServer, _ crd: JSONValue, crdInfo: ResourceInfo, group: String, plural: String) {
        guard let info = Self.resourceInfos(crd).first ?? server.registry.lookup(ResourceType(group: group, version: "", kind: "", plural: plural, namespaced: true)) else { return }
        let items = server.store.list(info.storageKey, namespace: nil).items
        for item in items where item.object[path: ["metadata", "deletionTimestamp"]] == nil {
            _ = try? server.deleteObject(info, namespace: item.key.namespace, name: item.key.name, request: APIServer.DeleteRequest())
        }
        guard server.store.list(info.storageKey, namespace: nil).items.isEmpty else { return }
        var updated = crd
        let remaining = GarbageCollector.finalizers(crd).filter { $0 != Self.cleanupFinalizer }
        updated[path: ["metadata", "finalizers"]] = remaining.isEmpty ? nil : .array(remaining.map(JSONValue.string))
        let key = ObjectKey(namespace: nil, name: crd[path: ["metadata", "name"]]?.stringValue ?? "")
        server.registry.unregister(group: group, plural: plural)
        if remaining.isEmpty {
            _ = try? server.store.delete(crdInfo.storageKey, key, expectedRevision: crd[path: ["metadata", "resourceVersion"]]?.stringValue)
        } else if updated != crd {
            _ = try? server.store.update(crdInfo.storageKey, key, updated, expectedRevision: crd[path: ["metadata", "resourceVersion"]]?.stringValue)
        }
    }
}
