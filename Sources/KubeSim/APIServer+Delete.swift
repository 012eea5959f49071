import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    /// `DeleteOptions` from the body and the query, as the real server merges them.
    struct DeleteRequest {
        var propagationPolicy: String?
        var gracePeriodSeconds: Int64?
        var preconditionUID: String?
        var preconditionResourceVersion: String?
        var dryRun = false

        init() {}

        init(_ context: RequestContext) throws {
            var body: JSONValue = [:]
            if !context.http.body.isEmpty { body = try context.decodeBody() }
            propagationPolicy = body["propagationPolicy"]?.stringValue ?? context.query("propagationPolicy")
            if propagationPolicy == nil, let orphan = body["orphanDependents"]?.boolValue ?? context.query("orphanDependents").map({ $0 == "true" }) {
                propagationPolicy = orphan ? "Orphan" : "Background"
            }
            gracePeriodSeconds = body["gracePeriodSeconds"]?.intValue ?? context.query("gracePeriodSeconds").flatMap { Int64($0) }
            preconditionUID = body[path: ["preconditions", "uid"]]?.stringValue
            preconditionResourceVersion = body[path: ["preconditions", "resourceVersion"]]?.stringValue
            dryRun = context.isDryRun || (body["dryRun"]?.arrayValue ?? []).contains("All")
            if let policy = propagationPolicy, !["Orphan", "Background", "Foreground"].contains(policy) {
                throw StatusErrors.badRequest("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")
            }
        }
    }

    func delete(_ info: ResourceInfo, _ context: RequestContext) throws -> HTTPResponse {
        guard let name = context.info.name else { throw StatusErrors.methodNotAllowed() }
        let result = try deleteObject(info, namespace: context.namespace, name: name, request: try DeleteRequest(context))
        return Self.jsonResponse(200, present(result, info))
    }

    func deleteCollection(_ info: ResourceInfo, _ context: RequestContext) throws -> HTTPResponse {
        let labelSelector = try context.query("labelSelector").map { try LabelSelector(parsing: $0) }
        let fieldSelector = try context.query("fieldSelector").map { try FieldSelector(parsing: $0) }
        let request = try DeleteRequest(context)
        let (items, revision) = store.list(info.storageKey, namespace: context.namespace)
        var deleted: [JSONValue] = []
        for item in items where Self.matches(item.object, labelSelector, fieldSelector) {
            let name = item.object[path: ["metadata", "name"]]?.stringValue ?? ""
            if let result = try? deleteObject(info, namespace: item.key.namespace, name: name, request: request) {
                deleted.append(present(result, info))
            }
        }
        return Self.jsonResponse(200, ["kind": .string(info.listKind), "apiVersion": .string(info.type.apiVersion),
                                       "metadata": ["resourceVersion": .string(String(revision))], "items": .array(deleted)])
    }

    /// Deletes an object: at once when nothing holds it, else marks it with a
    /// deletionTimestamp and lets finalizers (GC, namespace controller, kubelet) finish.
    @discardableResult
    func deleteObject(_ info: ResourceInfo, namespace: String?, name: String, request: DeleteRequest) throws -> JSONValue {
        let key = objectKey(info, namespace: namespace, name: name)
        for _ in 0..<8 {
            let old = try live(info, namespace: namespace, name: name)
            let uid = old[path: ["metadata", "uid"]]?.stringValue ?? ""
            let revision = old[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            if let expected = request.preconditionUID, expected != uid {
                throw StatusErrors.conflict(info, name: name, message: "Precondition failed: UID in precondition: \(expected), UID in object meta: \(uid)")
            }
            if let expected = request.preconditionResourceVersion, expected != revision {
                throw StatusErrors.conflict(info, name: name, message: "Precondition failed: ResourceVersion in precondition: \(expected), ResourceVersion in object meta: \(revision)")
            }
            var object = old
            var finalizers = (old[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
            switch request.propagationPolicy {
            case "Foreground": if !finalizers.contains("foregroundDeletion") { finalizers.append("foregroundDeletion") }
            case "Orphan": if !finalizers.contains("orphan") { finalizers.append("orphan") }
            default: break
            }
            let now = Date()
            var graceful = false
            if info.type == .pods, !(old[path: ["spec", "nodeName"]]?.stringValue ?? "").isEmpty,
               !["Succeeded", "Failed"].contains(old[path: ["status", "phase"]]?.stringValue ?? "") {
                // A pod on a node ends gracefully: its kubelet stops it, then deletes it with grace 0.
                let grace = request.gracePeriodSeconds ?? old[path: ["metadata", "deletionGracePeriodSeconds"]]?.intValue
                    ?? old[path: ["spec", "terminationGracePeriodSeconds"]]?.intValue ?? 30
                if grace > 0 {
                    graceful = true
                    if old[path: ["metadata", "deletionTimestamp"]] == nil || grace < (old[path: ["metadata", "deletionGracePeriodSeconds"]]?.intValue ?? .max) {
                        object[path: ["metadata", "deletionTimestamp"]] = .string(Self.timestamp(now.addingTimeInterval(TimeInterval(grace))))
                        object[path: ["metadata", "deletionGracePeriodSeconds"]] = .int(grace)
                    }
                }
            }
            if info.type == .namespaces {
                if old[path: ["metadata", "deletionTimestamp"]] == nil {
                    object[path: ["metadata", "deletionTimestamp"]] = .string(Self.timestamp(now))
                    object[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
                    object[path: ["status", "phase"]] = "Terminating"
                }
                graceful = !(object[path: ["spec", "finalizers"]]?.arrayValue ?? []).isEmpty
            }
            if request.dryRun { return object }
            if finalizers.isEmpty && !graceful {
                do {
                    return try store.delete(info.storageKey, key, expectedRevision: revision)
                } catch StoreError.conflict {
                    continue
                } catch {
                    throw storeError(error, info, name: name)
                }
            }
            if object[path: ["metadata", "deletionTimestamp"]] == nil {
                object[path: ["metadata", "deletionTimestamp"]] = .string(Self.timestamp(now))
                object[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
            }
            object[path: ["metadata", "finalizers"]] = finalizers.isEmpty ? nil : .array(finalizers.map(JSONValue.string))
            if object == old { return old }
            do {
                return try store.update(info.storageKey, key, object, expectedRevision: revision)
            } catch StoreError.conflict {
                continue
            } catch {
                throw storeError(error, info, name: name)
            }
        }
        throw StatusErrors.conflict(info, name: name)
    }
}
