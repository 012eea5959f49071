import KubeModel

/// The `Status` failures kube-sim's API server returns that `APIErrors` (Machinery) does not
/// offer yet, worded as kube-apiserver words them (k8s.io/apimachinery/pkg/api/errors).
enum StatusErrors {
    static func notFound(_ info: ResourceInfo, name: String) -> Status {
        APIErrors.notFound(resource: info.type, name: name)
    }

    static func namespaceNotFound(_ name: String) -> Status {
        APIErrors.notFound(resource: .namespaces, name: name)
    }

    static func alreadyExists(_ info: ResourceInfo, name: String) -> Status {
        Status(message: "\(info.type.groupResource) \"\(name)\" already exists", reason: "AlreadyExists",
               details: .init(name: name, group: info.type.group, kind: info.type.plural), code: 409)
    }

    static func conflict(_ info: ResourceInfo, name: String) -> Status {
        Status(message: "Operation cannot be fulfilled on \(info.type.groupResource) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
               reason: "Conflict", details: .init(name: name, group: info.type.group, kind: info.type.plural), code: 409)
    }

    static func conflict(_ info: ResourceInfo, name: String, message: String) -> Status {
        Status(message: "Operation cannot be fulfilled on \(info.type.groupResource) \"\(name)\": \(message)",
               reason: "Conflict", details: .init(name: name, group: info.type.group, kind: info.type.plural), code: 409)
    }

    /// 422: `Kind.group "name" is invalid: field: message` (or `[a, b]` for several causes).
    static func invalid(_ info: ResourceInfo, name: String, causes: [Status.Cause]) -> Status {
        let qualifiedKind = info.type.group.isEmpty ? info.type.kind : "\(info.type.kind).\(info.type.group)"
        let parts = causes.map { cause in
            (cause.field.map { $0.isEmpty ? "" : "\($0): " } ?? "") + (cause.message ?? "")
        }
        let joined = parts.count == 1 ? parts[0] : "[" + parts.joined(separator: ", ") + "]"
        return Status(message: "\(qualifiedKind) \"\(name)\" is invalid: \(joined)", reason: "Invalid",
                      details: .init(name: name, group: info.type.group, kind: info.type.kind, causes: causes), code: 422)
    }

    static func badRequest(_ message: String) -> Status {
        Status(message: message, reason: "BadRequest", code: 400)
    }

    static func forbidden(_ info: ResourceInfo, name: String, message: String) -> Status {
        Status(message: "\(info.type.groupResource) \"\(name)\" is forbidden: \(message)", reason: "Forbidden",
               details: .init(name: name, group: info.type.group, kind: info.type.plural), code: 403)
    }

    static func methodNotAllowed() -> Status {
        Status(message: "the server does not allow this method on the requested resource", reason: "MethodNotAllowed", details: .init(), code: 405)
    }

    static func pathNotFound() -> Status {
        Status(message: "the server could not find the requested resource", reason: "NotFound", details: .init(), code: 404)
    }

    static func unsupportedPatchType(_ contentType: String, accepted: [String]) -> Status {
        Status(message: "the body of the request was in an unknown format - accepted media types include: " + accepted.joined(separator: ", "),
               reason: "UnsupportedMediaType", details: .init(), code: 415)
    }

    static func tooOldResourceVersion(requested: Int64, oldest: Int64) -> Status {
        Status(message: "too old resource version: \(requested) (\(oldest))", reason: "Expired", code: 410)
    }

    static func expiredContinue() -> Status {
        Status(message: "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
               reason: "Expired", code: 410)
    }

    static func internalError(_ message: String) -> Status {
        Status(message: "Internal error occurred: \(message)", reason: "InternalError",
               details: .init(causes: [.init(message: message)]), code: 500)
    }

    /// The reason kube-apiserver gives for a status code (`StatusReason`).
    static func reason(forCode code: Int) -> String {
        switch code {
        case 400: "BadRequest"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 405: "MethodNotAllowed"
        case 409: "Conflict"
        case 410: "Expired"
        case 422: "Invalid"
        case 429: "TooManyRequests"
        case 500: "InternalError"
        case 503: "ServiceUnavailable"
        case 504: "Timeout"
        default: "Unknown"
        }
    }
}
