import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    /// Options shared by every write path.
    struct WriteOptions {
        var manager: String
        var dryRun: Bool
        var fieldValidation: String
        /// managedFields already computed by server-side apply.
        var managedFieldsComputed = false

        init(_ context: RequestContext) {
            manager = context.fieldManager
            dryRun = context.isDryRun
            fieldValidation = context.fieldValidation
        }

        init(manager: String) {
            self.manager = manager
            dryRun = false
            fieldValidation = "Ignore"
        }
    }

    func create(_ info: ResourceInfo, _ context: RequestContext) throws -> HTTPResponse {
        let object = try context.decodeBody()
        try checkTypeMeta(object, info)
        var warnings: [String] = []
        let created = try createObject(info, object, namespace: context.namespace, options: WriteOptions(context), warnings: &warnings)
        return Self.jsonResponse(201, present(created, info), warnings: warnings)
    }

    func update(_ info: ResourceInfo, _ context: RequestContext, subresource: String?) throws -> HTTPResponse {
        guard let name = context.info.name else { throw StatusErrors.methodNotAllowed() }
        let object = try context.decodeBody()
        try checkTypeMeta(object, info)
        if let bodyName = object[path: ["metadata", "name"]]?.stringValue, bodyName != name {
            throw StatusErrors.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let old = try live(info, namespace: context.namespace, name: name)
        var warnings: [String] = []
        let updated = try updateObject(info, old: old, new: object, subresource: subresource,
                                       precondition: object[path: ["metadata", "resourceVersion"]]?.stringValue,
                                       options: WriteOptions(context), warnings: &warnings)
        return Self.jsonResponse(200, present(updated, info), warnings: warnings)
    }

    /// Checks `apiVersion`/`kind` in a body against the URL, as the real decoder does.
    func checkTypeMeta(_ object: JSONValue, _ info: ResourceInfo) throws {
        guard case .object = object else { throw StatusErrors.badRequest("the body of the request is not a JSON object") }
        if let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty, apiVersion != info.type.apiVersion {
            throw StatusErrors.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(info.type.apiVersion))")
        }
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != info.type.kind {
            throw StatusErrors.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(info.type.kind))")
        }
    }

    /// The create path: names, metadata the server owns, defaults, validation, managedFields.
    func createObject(_ info: ResourceInfo, _ object: JSONValue, namespace: String?, options: WriteOptions, warnings: inout [String]) throws -> JSONValue {
        var object = object
        object["apiVersion"] = .string(info.type.apiVersion)
        object["kind"] = .string(info.type.kind)
        if object["metadata"] == nil || object["metadata"] == .null { object["metadata"] = [:] }
        if info.type.namespaced {
            if let bodyNamespace = object[path: ["metadata", "namespace"]]?.stringValue, !bodyNamespace.isEmpty, bodyNamespace != namespace {
                throw StatusErrors.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            object[path: ["metadata", "namespace"]] = namespace.map(JSONValue.string)
        } else {
            object[path: ["metadata", "namespace"]] = nil
        }
        var name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        // Admission sees the object before its name is generated: its refusals name the prefix
        // (`pods "web-5d59d67564-" is forbidden`, `extractResourceName` in apiserver's admission errors).
        let admissionName = name.isEmpty ? object[path: ["metadata", "generateName"]]?.stringValue ?? "" : name
        if name.isEmpty, let prefix = object[path: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty {
            let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
            name = prefix + String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
            object[path: ["metadata", "name"]] = .string(name)
        }
        if name.isEmpty {
            throw StatusErrors.invalid(info, name: "", causes: [.init(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name")])
        }
        if info.type.namespaced, let namespace {
            guard let namespaceObject = store.get(ResourceType.namespaces.groupResource, ObjectKey(namespace: nil, name: namespace)) else {
                throw StatusErrors.namespaceNotFound(namespace)
            }
            if namespaceObject[path: ["metadata", "deletionTimestamp"]] != nil {
                throw StatusErrors.forbidden(info, name: name, message: "unable to create new content in namespace \(namespace) because it is being terminated")
            }
        }
        let now = Self.timestamp()
        object[path: ["metadata", "uid"]] = .string(newUID())
        object[path: ["metadata", "creationTimestamp"]] = .string(now)
        for field in ["resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"] {
            object[path: ["metadata", field]] = nil
        }
        object[path: ["metadata", "generation"]] = info.tracksGeneration ? 1 : nil
        if info.statusSubresource { object["status"] = nil }
        BuiltinDefaults.apply(to: &object, kind: info.isBuiltIn ? info.type.kind : "", isCreate: true)
        try mutatingAdmission(info, &object, name: admissionName)
        try validateCustomResource(info, &object, name: name, options: options, warnings: &warnings)
        try validateBuiltIn(info, object, old: nil, name: name)
        try admit(info, object, old: nil, name: admissionName, warnings: &warnings)
        if !options.managedFieldsComputed {
            object = ServerSideApply.recordUpdate(old: nil, new: object, manager: options.manager, now: now)
        }
        if options.dryRun { return object }
        do {
            return try store.create(info.storageKey, objectKey(info, namespace: namespace, name: name), object)
        } catch {
            throw storeError(error, info, name: name)
        }
    }

    /// The update path shared by PUT, PATCH and the status/scale subresources.
    /// - Parameter precondition: the resourceVersion the client based its change on, if any.
    func updateObject(_ info: ResourceInfo, old: JSONValue, new: JSONValue, subresource: String?, precondition: String?,
                      options: WriteOptions, warnings: inout [String]) throws -> JSONValue {
        let name = old[path: ["metadata", "name"]]?.stringValue ?? ""
        let oldRevision = old[path: ["metadata", "resourceVersion"]]?.stringValue
        if let precondition, !precondition.isEmpty, precondition != oldRevision {
            throw StatusErrors.conflict(info, name: name)
        }
        var object: JSONValue
        if subresource == "status" {
            // A status write changes nothing but status (and managedFields).
            object = old
            object["status"] = new["status"]
            object[path: ["metadata", "managedFields"]] = new[path: ["metadata", "managedFields"]] ?? old[path: ["metadata", "managedFields"]]
        } else {
            object = new
            if object["metadata"] == nil || object["metadata"] == .null { object["metadata"] = [:] }
            if info.statusSubresource { object["status"] = old["status"] }
        }
        object["apiVersion"] = .string(info.type.apiVersion)
        object["kind"] = .string(info.type.kind)
        for field in ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
            object[path: ["metadata", field]] = old[path: ["metadata", field]]
        }
        object[path: ["metadata", "resourceVersion"]] = old[path: ["metadata", "resourceVersion"]]
        if info.isBuiltIn { BuiltinDefaults.keepAllocated(&object, old: old, kind: info.type.kind) }
        BuiltinDefaults.apply(to: &object, kind: info.isBuiltIn ? info.type.kind : "", isCreate: false)
        try validateCustomResource(info, &object, name: name, options: options, warnings: &warnings)
        if subresource == nil { try validateBuiltIn(info, object, old: old, name: name) }
        try admit(info, object, old: old, name: name, warnings: &warnings)
        if info.tracksGeneration && Self.specPart(object) != Self.specPart(old) {
            object[path: ["metadata", "generation"]] = .int((old[path: ["metadata", "generation"]]?.intValue ?? 0) + 1)
        }
        let now = Self.timestamp()
        if !options.managedFieldsComputed {
            object = ServerSideApply.recordUpdate(old: old, new: object, manager: options.manager, now: now)
        }
        // A write that changes nothing is not a write: same object, same resourceVersion.
        if Self.withoutManagedFields(object) == Self.withoutManagedFields(old) { return old }
        if options.dryRun { return object }
        let key = objectKey(info, namespace: old[path: ["metadata", "namespace"]]?.stringValue, name: name)
        // The last finalizer removed from an object being deleted: the update deletes it. (Only
        // then: a pod in graceful deletion has no finalizers and still takes status updates.)
        if object[path: ["metadata", "deletionTimestamp"]] != nil && (object[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty
            && !(old[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty {
            do {
                _ = try store.update(info.storageKey, key, object, expectedRevision: oldRevision)
                return try store.delete(info.storageKey, key, expectedRevision: nil)
            } catch {
                throw storeError(error, info, name: name)
            }
        }
        do {
            return try store.update(info.storageKey, key, object, expectedRevision: oldRevision)
        } catch {
            throw storeError(error, info, name: name)
        }
    }

    /// Everything but metadata and status: what `metadata.generation` tracks.
    static func specPart(_ object: JSONValue) -> JSONValue {
        var object = object
        for field in ["metadata", "status", "apiVersion", "kind"] { object[field] = nil }
        return object
    }

    /// The object with managedFields timestamps blanked: a write whose only change is a
    /// refreshed timestamp is a no-op, while a change of managers or owned fields is a write.
    static func withoutManagedFields(_ object: JSONValue) -> JSONValue {
        var object = object
        if let entries = object[path: ["metadata", "managedFields"]]?.arrayValue {
            object[path: ["metadata", "managedFields"]] = .array(entries.map { entry in
                var entry = entry
                entry["time"] = nil
                return entry
            })
        }
        return object
    }

    /// Schema pruning, defaulting and validation of a custom resource, with `fieldValidation`.
    func validateCustomResource(_ info: ResourceInfo, _ object: inout JSONValue, name: String, options: WriteOptions, warnings: inout [String]) throws {
        guard let schema = info.schema else { return }
        let unknown = schema.prune(&object)
        if !unknown.isEmpty {
            switch options.fieldValidation {
            case "Strict":
                let list = unknown.map { "unknown field \"\($0)\"" }
                throw StatusErrors.badRequest("strict decoding error: " + list.joined(separator: ", "))
            case "Ignore":
                break
            default:
                warnings += unknown.map { "unknown field \"\($0)\"" }
            }
        }
        schema.applyDefaults(to: &object)
        let causes = schema.validate(object)
        if !causes.isEmpty { throw StatusErrors.invalid(info, name: name, causes: causes) }
    }

    /// kube-apiserver's validation of a built-in kind (see `BuiltInValidation`): 422 with
    /// the field errors as causes.
    func validateBuiltIn(_ info: ResourceInfo, _ object: JSONValue, old: JSONValue?, name: String) throws {
        guard info.isBuiltIn else { return }
        let errors = BuiltInValidation.validate(object, old: old, kind: info.type.kind, namespaced: info.type.namespaced)
        if !errors.isEmpty { throw StatusErrors.invalid(info, name: name, causes: errors.map(\.cause)) }
    }
}
