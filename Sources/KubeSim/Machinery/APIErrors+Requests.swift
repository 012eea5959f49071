import KubeModel

extension APIErrors {
    /// Conflict for a delete/update whose `preconditions.uid` does not match.
    public static func uidPreconditionFailed(resource: ResourceType, name: String, precondition: String, actual: String) -> Status {
        conflict(resource: resource, name: name, reason: "Precondition failed: UID in precondition: \(precondition), UID in object meta: \(actual)")
    }

    /// Conflict for a delete whose `preconditions.resourceVersion` does not match.
    public static func resourceVersionPreconditionFailed(resource: ResourceType, name: String, precondition: String, actual: String) -> Status {
        conflict(resource: resource, name: name, reason: "Precondition failed: ResourceVersion in precondition: \(precondition), ResourceVersion in object meta: \(actual)")
    }

    /// 400 when the body's name differs from the URL's (`checkName`).
    public static func nameMismatch(bodyName: String, urlName: String) -> Status {
        badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(urlName))")
    }

    /// 400 when the body's namespace differs from the URL's.
    public static let namespaceMismatch = badRequest("the namespace of the provided object does not match the namespace sent on the request")

    /// 403 for a create in a namespace being deleted (NamespaceLifecycle admission).
    public static func namespaceTerminating(resource: ResourceType, name: String, namespace: String) -> Status {
        var status = forbidden(resource: resource, name: name, reason: "unable to create new content in namespace \(namespace) because it is being terminated")
        status.details?.causes = [Status.Cause(reason: "NamespaceTerminating", message: "namespace \(namespace) is being terminated", field: "metadata.namespace")]
        return status
    }

    /// 404 for a path no resource serves: the body of the apiserver's not-found handler.
    public static let pathNotFound = Status(message: "the server could not find the requested resource", reason: "NotFound", details: .init(), code: 404)

    /// 406 for an `Accept` the server cannot produce.
    public static func notAcceptable(accepted: [String] = ["application/json", "application/yaml"]) -> Status {
        Status(message: "only the following media types are accepted: \(accepted.joined(separator: ", "))", reason: "NotAcceptable", code: 406)
    }

    /// 504 for a list or watch at a resourceVersion the server has not reached yet.
    public static func resourceVersionTooLarge(requested: Int64, current: Int64) -> Status {
        Status(message: "Too large resource version: \(requested), current: \(current)", reason: "Timeout",
               details: .init(causes: [Status.Cause(reason: "ResourceVersionTooLarge", message: "Too large resource version")], retryAfterSeconds: 1),
               code: 504)
    }
}
