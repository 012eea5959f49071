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
        APIErrors.alreadyExists(resource: info.type, name: name)
    }

    static func conflict(_ info: ResourceInfo, name: String) -> Status {
        APIErrors.conflict(resource: info.type, name: name)
    }

    static func conflict(_ info: ResourceInfo, name: String, message: String) -> Status {
        APIErrors.conflict(resource: info.type, name: name, reason: message)
    }

    /// 422: `Kind.group "name" is invalid: field: message` (or `[a, b]` for several causes).
    static func invalid(_ info: ResourceInfo, name: String, causes: [Status.Cause]) -> Status {
        APIErrors.invalid(kind: info.type.kind, group: info.type.group, name: name, causes: causes)
    }

    static func badRequest(_ message: String) -> Status { APIErrors.badRequest(message) }

    static func forbidden(_ info: ResourceInfo, name: String, message: String) -> Status {
        APIErrors.forbidden(resource: info.type, name: name, reason: message)
    }

    static func methodNotAllowed() -> Status {
        Status(message: "the server does not allow this method on the requested resource", reason: "MethodNotAllowed", details: .init(), code: 405)
    }

    static func pathNotFound() -> Status {
        Status(message: "the server could not find the requested resource", reason: "NotFound", details: .init(), code: 404)
    }

    static func unsupportedPatchType(_ contentType: String, accepted: [String]) -> Status {
        APIErrors.unsupportedMediaType(accepted: accepted)
    }

    static func tooOldResourceVersion(requested: Int64, oldest: Int64) -> Status {
        APIErrors.expired(requested: requested, oldest: oldest)
    }

    static func expiredContinue() -> Status { APIErrors.continueExpired }

    static func internalError(_ message: String) -> Status { APIErrors.internalError(message) }

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
