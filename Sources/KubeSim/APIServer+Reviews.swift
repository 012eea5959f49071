import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    /// The identity kube-sim's own in-process requests act as (kube-apiserver's loopback user).
    static let loopbackUser = UserInfo(name: "system:apiserver", groups: [UserInfo.Group.masters, UserInfo.Group.authenticated])

    /// `POST .../serviceaccounts/NAME/token` (authentication.k8s.io/v1 TokenRequest), what
    /// `kubectl create token` calls: 201 with `status.token` and `status.expirationTimestamp`;
    /// 404 when the ServiceAccount does not exist (pkg/registry/core/serviceaccount/storage/token.go).
    func createToken(_ context: RequestContext) throws -> HTTPResponse {
        guard let name = context.info.name, let namespace = context.namespace else { throw StatusErrors.pathNotFound() }
        var request = try context.decodeBody()
        try Self.checkTypeMeta(request, apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest")
        let audiences = request[path: ["spec", "audiences"]]?.arrayValue?.compactMap(\.stringValue) ?? []
        let seconds = request[path: ["spec", "expirationSeconds"]]?.intValue ?? ServiceAccountTokenIssuer.defaultExpirationSeconds
        let issued = try serviceAccountTokens.issueToken(namespace: namespace, serviceAccount: name, audiences: audiences, expirationSeconds: seconds)
        request["apiVersion"] = "authentication.k8s.io/v1"
        request["kind"] = "TokenRequest"
        request["metadata"] = ["name": .string(name), "namespace": .string(namespace), "creationTimestamp": .null]
        request[path: ["spec", "audiences"]] = .array(issued.grant.audiences.map(JSONValue.string))
        request[path: ["spec", "expirationSeconds"]] = .int(seconds)
        if request[path: ["spec", "boundObjectRef"]] == nil { request[path: ["spec", "boundObjectRef"]] = .null }
        request["status"] = ["token": .string(issued.token), "expirationTimestamp": .string(Self.timestamp(issued.grant.expiresAt))]
        return Self.jsonResponse(201, request)
    }

    /// `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews` (`kubectl auth can-i`):
    /// the authorizer's answer for the caller, in `status.allowed` and `status.reason`
    /// (pkg/registry/authorization/selfsubjectaccessreview/rest.go).
    func createSelfSubjectAccessReview(_ context: RequestContext) throws -> HTTPResponse {
        var review = try context.decodeBody()
        try Self.checkTypeMeta(review, apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview")
        let attributes: AuthorizationAttributes
        switch (review[path: ["spec", "resourceAttributes"]], review[path: ["spec", "nonResourceAttributes"]]) {
        case (let resource?, nil) where resource != .null:
            func field(_ key: String) -> String { resource[key]?.stringValue ?? "" }
            attributes = AuthorizationAttributes(verb: field("verb"), namespace: field("namespace"), apiGroup: field("group"), apiVersion: field("version"),
                                                 resource: field("resource"), subresource: field("subresource"), name: field("name"))
        case (nil, let nonResource?) where nonResource != .null:
            attributes = AuthorizationAttributes(verb: nonResource["verb"]?.stringValue ?? "", path: nonResource["path"]?.stringValue ?? "")
        default:
            // pkg/apis/authorization/validation: ValidateSelfSubjectAccessReviewSpec.
            throw APIErrors.invalid(kind: "SelfSubjectAccessReview", group: "authorization.k8s.io", name: "", causes: [
                Status.Cause(reason: "FieldValueInvalid", message: "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified",
                             field: "spec.resourceAttributes"),
            ])
        }
        let decision = currentAuthorizer.authorize(context.user ?? Self.loopbackUser, attributes)
        review["apiVersion"] = "authorization.k8s.io/v1"
        review["kind"] = "SelfSubjectAccessReview"
        review["metadata"] = ["creationTimestamp": .null]
        var status: JSONValue = ["allowed": .bool(decision.isAllowed)]
        if !decision.reason.isEmpty { status["reason"] = .string(decision.reason) }
        review["status"] = status
        return Self.jsonResponse(201, review)
    }

    /// `POST /apis/authentication.k8s.io/v1/selfsubjectreviews` (`kubectl auth whoami`).
    func createSelfSubjectReview(_ context: RequestContext) throws -> HTTPResponse {
        let user = context.user ?? Self.loopbackUser
        var userInfo: JSONValue = ["username": .string(user.name), "groups": .array(user.groups.map(JSONValue.string))]
        if !user.uid.isEmpty { userInfo["uid"] = .string(user.uid) }
        return Self.jsonResponse(201, ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview",
                                       "metadata": ["creationTimestamp": .null], "status": ["userInfo": userInfo]])
    }

    private static func checkTypeMeta(_ object: JSONValue, apiVersion: String, kind: String) throws {
        guard case .object = object else { throw StatusErrors.badRequest("the body of the request is not a JSON object") }
        if let version = object["apiVersion"]?.stringValue, !version.isEmpty, version != apiVersion {
            throw StatusErrors.badRequest("the API version in the data (\(version)) does not match the expected API version (\(apiVersion))")
        }
        if let given = object["kind"]?.stringValue, !given.isEmpty, given != kind {
            throw StatusErrors.badRequest("the kind in the data (\(given)) does not match the expected kind (\(kind))")
        }
    }
}
