import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    static let patchTypes = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"]

    func patch(_ info: ResourceInfo, _ context: RequestContext, subresource: String?) throws -> HTTPResponse {
        guard let name = context.info.name else { throw StatusErrors.methodNotAllowed() }
        let contentType = Self.mediaType(context.http.headers["Content-Type"])
        let patch = try context.decodeBody()
        let options = WriteOptions(context)
        var warnings: [String] = []
        if contentType == "application/apply-patch+yaml" && context.query("fieldManager") == nil {
            throw Status(message: "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                         reason: "Invalid", details: .init(group: "meta.k8s.io", kind: "PatchOptions",
                                                           causes: [.init(reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager")]), code: 422)
        }
        let force = Self.isTrue(context.query("force"))
        let explicitPrecondition = patch[path: ["metadata", "resourceVersion"]]?.stringValue
        // Like GuaranteedUpdate: re-read and retry when another writer got in between.
        for attempt in 0..<8 {
            let existing = store.get(info.storageKey, objectKey(info, namespace: context.namespace, name: name))
            guard let old = existing else {
                guard contentType == "application/apply-patch+yaml", subresource == nil else { throw StatusErrors.notFound(info, name: name) }
                try authorizeCreateOnApply(context)
                try checkTypeMeta(patch, info)
                var applied = try ServerSideApply.apply(patch, to: nil, manager: options.manager, force: force, now: Self.timestamp())
                applied[path: ["metadata", "name"]] = .string(name)
                var createOptions = options
                createOptions.managedFieldsComputed = true
                do {
                    let created = try createObject(info, applied, namespace: context.namespace, options: createOptions, warnings: &warnings)
                    return Self.jsonResponse(201, present(created, info), warnings: warnings)
                } catch let status as Status where status.reason == "AlreadyExists" && attempt < 7 {
                    continue
                }
            }
            var patchOptions = options
            let patched = try applyPatch(patch, contentType: contentType, to: present(old, info), info: info, force: force, options: &patchOptions)
            do {
                let updated = try updateObject(info, old: old, new: patched, subresource: subresource,
                                               precondition: explicitPrecondition ?? old[path: ["metadata", "resourceVersion"]]?.stringValue,
                                               options: patchOptions, warnings: &warnings)
                return Self.jsonResponse(200, present(updated, info), warnings: warnings)
            } catch let status as Status where status.reason == "Conflict" && explicitPrecondition == nil && status.details?.causes == nil && attempt < 7 {
                continue
            }
        }
        throw StatusErrors.conflict(info, name: name)
    }

    /// Applies one patch document of `contentType` to `object`.
    func applyPatch(_ patch: JSONValue, contentType: String, to object: JSONValue, info: ResourceInfo, force: Bool, options: inout WriteOptions) throws -> JSONValue {
        switch contentType {
        case "application/merge-patch+json":
            return MergePatch.apply(patch, to: object)
        case "application/strategic-merge-patch+json":
            guard info.isBuiltIn else {
                throw StatusErrors.unsupportedPatchType(contentType, accepted: ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"])
            }
            return try StrategicMergePatch.apply(patch, to: object, kind: info.type.kind)
        case "application/json-patch+json":
            return try JSONPatch.apply(patch, to: object)
        case "application/apply-patch+yaml":
            try checkTypeMeta(patch, info)
            options.managedFieldsComputed = true
            return try ServerSideApply.apply(patch, to: object, manager: options.manager, force: force, now: Self.timestamp())
        default:
            throw StatusErrors.unsupportedPatchType(contentType, accepted: info.isBuiltIn ? Self.patchTypes : Self.patchTypes.filter { !$0.contains("strategic") })
        }
    }

    static func mediaType(_ header: String?) -> String {
        (header ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }
}
