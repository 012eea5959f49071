import KubeModel

/// The `Status` bodies kube-apiserver returns, word for word, so kubectl prints what it
/// prints against a real cluster. Messages follow apimachinery's `api/errors` constructors
/// (`NewNotFound`, `NewConflict`, `NewInvalid`, ...).
public enum APIErrors {
    /// The reason the optimistic-concurrency `Conflict` carries on an update with a stale
    /// resourceVersion (`registry.OptimisticLockErrorMsg`).
    public static let optimisticLockMessage = "the object has been modified; please apply your changes to the latest version and try again"

    /// `pods "zk-0" not found` (404, NotFound). `details.kind` is the resource (plural), as
    /// the real server puts it.
    public static func notFound(resource: ResourceType, name: String) -> Status {
        Status(message: "\(resource.groupResource) \"\(name)\" not found", reason: "NotFound",
               details: details(name: name, group: resource.group, kind: resource.plural), code: 404)
    }

    /// `configmaps "x" already exists` (409, AlreadyExists).
    public static func alreadyExists(resource: ResourceType, name: String) -> Status {
        Status(message: "\(resource.groupResource) \"\(name)\" already exists", reason: "AlreadyExists",
               details: details(name: name, group: resource.group, kind: resource.plural), code: 409)
    }

    /// `Operation cannot be fulfilled on configmaps "x": <reason>` (409, Conflict). The
    /// default reason is the stale-resourceVersion one; a precondition failure passes e.g.
    /// `Precondition failed: UID in precondition: 1, UID in object meta: 2`.
    public static func conflict(resource: ResourceType, name: String, reason: String = optimisticLockMessage) -> Status {
        Status(message: "Operation cannot be fulfilled on \(resource.groupResource) \"\(name)\": \(reason)", reason: "Conflict",
               details: details(name: name, group: resource.group, kind: resource.plural), code: 409)
    }

    /// 410 with reason `Expired`: a watch (or list) from a resourceVersion older than the
    /// server keeps, worded as the watch cache words it: `too old resource version: 5 (10)`
    /// (requested, then the oldest the server can serve).
    public static func expired(requested: Int64, oldest: Int64) -> Status {
        resourceExpired("too old resource version: \(requested) (\(oldest))")
    }

    /// 410 with reason `Expired` and any message (`NewResourceExpired`).
    public static func resourceExpired(_ message: String) -> Status {
        Status(message: message, reason: "Expired", code: 410)
    }

    /// The 410 for a `continue` token whose snapshot is gone.
    public static let continueExpired = resourceExpired(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")

    /// 410 with reason `Gone` (`NewGone`).
    public static func gone(_ message: String) -> Status {
        Status(message: message, reason: "Gone", code: 410)
    }

    /// 400 BadRequest with the message as given (`NewBadRequest`).
    public static func badRequest(_ message: String) -> Status {
        Status(message: message, reason: "BadRequest", code: 400)
    }

    /// `create is not supported on resources of kind "nodes"`-style 405
    /// (`NewMethodNotSupported`): `<verb> is not supported on resources of kind "<resource>"`.
    public static func methodNotAllowed(resource: ResourceType, verb: String) -> Status {
        Status(message: "\(verb) is not supported on resources of kind \"\(resource.groupResource)\"", reason: "MethodNotAllowed",
               details: details(group: resource.group, kind: resource.plural), code: 405)
    }

    /// The patch content types the real server lists for built-in resources, in its order.
    public static let builtInPatchTypes = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"]
    /// The patch content types for custom resources (no strategic merge patch).
    public static let customResourcePatchTypes = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]

    /// 415 UnsupportedMediaType as the handlers' content negotiation words it:
    /// `the body of the request was in an unknown format - accepted media types include: ...`.
    public static func unsupportedMediaType(accepted: [String]) -> Status {
        Status(message: "the body of the request was in an unknown format - accepted media types include: \(accepted.joined(separator: ", "))",
               reason: "UnsupportedMediaType", code: 415)
    }

    /// 429 TooManyRequests (`NewTooManyRequests`); `retryAfterSeconds` > 0 also sets
    /// `details.retryAfterSeconds`.
    public static func tooManyRequests(_ message: String, retryAfterSeconds: Int = 0, causes: [Status.Cause]? = nil) -> Status {
        let hasDetails = retryAfterSeconds > 0 || causes != nil
        return Status(message: message, reason: "TooManyRequests",
                      details: hasDetails ? .init(causes: causes, retryAfterSeconds: retryAfterSeconds > 0 ? retryAfterSeconds : nil) : nil,
                      code: 429)
    }

    /// The Eviction subresource's 429 when the PDB allows no disruption, with the
    /// `DisruptionBudget` cause (pkg/registry/core/pod/storage/eviction.go).
    public static func evictionBlocked(pdbName: String, desiredHealthy: Int, currentHealthy: Int) -> Status {
        tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", causes: [
            Status.Cause(reason: "DisruptionBudget",
                         message: "The disruption budget \(pdbName) needs \(desiredHealthy) healthy pods and has \(currentHealthy) currently"),
        ])
    }

    /// The Eviction 429 while the PDB's status lags its spec.
    public static func evictionPDBNotProcessed(pdbName: String) -> Status {
        tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", causes: [
            Status.Cause(reason: "DisruptionBudget", message: "The disruption budget \(pdbName) is still being processed by the server."),
        ])
    }

    /// 500 InternalError (`NewInternalError`): `Internal error occurred: <message>`.
    public static func internalError(_ message: String) -> Status {
        Status(message: "Internal error occurred: \(message)", reason: "InternalError",
               details: .init(causes: [Status.Cause(message: message)]), code: 500)
    }

    /// 403 Forbidden (`NewForbidden`): `pods "x" is forbidden: <reason>`.
    public static func forbidden(resource: ResourceType, name: String, reason: String) -> Status {
        let subject = name.isEmpty ? resource.groupResource : "\(resource.groupResource) \"\(name)\""
        return Status(message: "\(subject) is forbidden: \(reason)", reason: "Forbidden",
                      details: details(name: name.isEmpty ? nil : name, group: resource.group, kind: resource.plural), code: 403)
    }

    /// 422 Invalid (`NewInvalid`): `ZookeeperCluster.keeper.dev "bad" is invalid: <errors>`,
    /// where one error is `field: body` and several are `[a, b]` (duplicates dropped, as
    /// `utilerrors.NewAggregate` does). `details` carries kind, group, name and the causes.
    /// kubectl 1.32 prints it as `The ZookeeperCluster "bad" is invalid: <field>: <message>`
    /// (one cause) or `... is invalid: ` followed by one `* <field>: <message>` line per
    /// cause, rebuilding the text from the causes (checked against /usr/bin/kubectl).
    public static func invalid(kind: String, group: String, name: String, causes: [Status.Cause]) -> Status {
        let qualifiedKind = group.isEmpty ? kind : "\(kind).\(group)"
        var message = "\(qualifiedKind) \"\(name)\" is invalid"
        var seen = Set<String>()
        let texts = causes.map { cause in
            let field = cause.field ?? ""
            let body = cause.message ?? ""
            return field.isEmpty ? body : "\(field): \(body)"
        }.filter { seen.insert($0).inserted }
        if texts.count == 1 {
            message += ": \(texts[0])"
        } else if texts.count > 1 {
            message += ": [\(texts.joined(separator: ", "))]"
        }
        return Status(message: message, reason: "Invalid",
                      details: .init(name: name, group: group.isEmpty ? nil : group, kind: kind, causes: causes), code: 422)
    }

    /// kubectl's rendering of an error Status (`cmdutil.StandardErrorMessage`), for tests
    /// and logs: `The <Kind> "<name>" is invalid: ...` for 422, `Error from server
    /// (<Reason>): <message>` otherwise.
    public static func kubectlMessage(_ status: Status) -> String {
        if status.reason == "Invalid", let details = status.details {
            var text = "The request is invalid"
            if !(details.kind ?? "").isEmpty || !(details.name ?? "").isEmpty {
                text = "The \(details.kind ?? "") \"\(details.name ?? "")\" is invalid"
            }
            let causes = (details.causes ?? []).map { "\($0.field ?? ""): \($0.message ?? "")" }
            if causes.count == 1 { return "\(text): \(causes[0])" }
            if causes.count > 1 { return "\(text): \n* " + causes.joined(separator: "\n* ") }
            return text
        }
        return "Error from server (\(status.reason ?? "Unknown")): \(status.message ?? "")"
    }

    private static func details(name: String? = nil, group: String, kind: String) -> Status.Details {
        Status.Details(name: name, group: group.isEmpty ? nil : group, kind: kind)
    }
}
