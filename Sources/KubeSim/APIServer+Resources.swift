import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    /// Routes a resource request to its verb.
    func handleResource(_ context: RequestContext) throws -> HTTPResponse {
        let request = context.info
        guard let info = registry.lookup(group: request.group, version: request.version, plural: request.resource) else {
            throw StatusErrors.pathNotFound()
        }
        if !info.type.namespaced && request.namespace != nil { throw StatusErrors.pathNotFound() }
        if info.type.namespaced && request.namespace == nil && request.name != nil { throw StatusErrors.pathNotFound() }
        if let subresource = request.subresource {
            return try handleSubresource(subresource, info: info, context: context)
        }
        // Verbs the resource does not serve (a review is only created) are 405, as there is no route.
        guard info.verbs.contains(request.verb) else { throw StatusErrors.methodNotAllowed() }
        switch (info.type, request.verb) {
        case (.selfSubjectAccessReviews, "create"): return try createSelfSubjectAccessReview(context)
        case (.selfSubjectReviews, "create"): return try createSelfSubjectReview(context)
        default: break
        }
        switch request.verb {
        case "get": return try get(info, context)
        case "list": return try list(info, context)
        case "watch": return try watch(info, context)
        case "create":
            if info.type.namespaced && request.namespace == nil { throw StatusErrors.pathNotFound() }
            return try create(info, context)
        case "update": return try update(info, context, subresource: nil)
        case "patch": return try patch(info, context, subresource: nil)
        case "delete": return try delete(info, context)
        case "deletecollection": return try deleteCollection(info, context)
        default: throw StatusErrors.methodNotAllowed()
        }
    }

    private func handleSubresource(_ subresource: String, info: ResourceInfo, context: RequestContext) throws -> HTTPResponse {
        switch (subresource, context.info.verb) {
        case ("status", "get") where info.statusSubresource: return try get(info, context)
        case ("status", "update") where info.statusSubresource: return try update(info, context, subresource: "status")
        case ("status", "patch") where info.statusSubresource: return try patch(info, context, subresource: "status")
        case ("scale", "get") where info.scale != nil: return try getScale(info, context)
        case ("scale", "update") where info.scale != nil: return try updateScale(info, context)
        case ("scale", "patch") where info.scale != nil: return try patchScale(info, context)
        case ("eviction", "create") where info.otherSubresources.contains("eviction"): return try evict(info, context)
        case ("token", "create") where info.otherSubresources.contains("token"): return try createToken(context)
        case ("binding", "create") where info.type == .pods: return try bind(info, context)
        case ("log", "get") where info.type == .pods: return try podLog(info, context)
        case ("status", _), ("scale", _), ("eviction", _), ("binding", _), ("log", _), ("token", _): throw StatusErrors.methodNotAllowed()
        default: throw StatusErrors.pathNotFound()
        }
    }

    /// The object as the requested version presents it (versions of a CRD share storage).
    func present(_ object: JSONValue, _ info: ResourceInfo) -> JSONValue {
        var object = object
        object["apiVersion"] = .string(info.type.apiVersion)
        object["kind"] = .string(info.type.kind)
        return object
    }

    func objectKey(_ info: ResourceInfo, namespace: String?, name: String) -> ObjectKey {
        ObjectKey(namespace: info.type.namespaced ? namespace : nil, name: name)
    }

    /// Reads the live object or throws the real NotFound.
    func live(_ info: ResourceInfo, namespace: String?, name: String) throws -> JSONValue {
        guard let object = store.get(info.storageKey, objectKey(info, namespace: namespace, name: name)) else {
            throw StatusErrors.notFound(info, name: name)
        }
        return object
    }

    func storeError(_ error: StoreError, _ info: ResourceInfo, name: String) -> Status {
        switch error {
        case .notFound: StatusErrors.notFound(info, name: name)
        case .alreadyExists: StatusErrors.alreadyExists(info, name: name)
        case .conflict: StatusErrors.conflict(info, name: name)
        case .tooOld(let oldest): StatusErrors.tooOldResourceVersion(requested: 0, oldest: oldest)
        }
    }
}
