import Foundation
import KubeModel

extension APIErrors {
    /// The 401 for a bearer token nobody issued (`NewUnauthorized("Unauthorized")`,
    /// endpoints/filters/authentication.go).
    public static let unauthorized = Status(message: "Unauthorized", reason: "Unauthorized", code: 401)

    /// The 403 of a request the authorizer refused, worded as
    /// endpoints/handlers/responsewriters/errors.go `ForbiddenStatusError` words it:
    /// `services "zk-headless" is forbidden: User "system:serviceaccount:keeper-system:keeper"
    /// cannot create resource "services" in API group "" in the namespace "default"`, then
    /// `: <reason>` when the authorizer gave one. Since Kubernetes 1.32 an apply that would
    /// create is refused with this same message (handlers/update.go `withAuthorization`).
    public static func forbidden(user: UserInfo, attributes: AuthorizationAttributes, reason: String) -> Status {
        var message = forbiddenMessage(user: user, attributes: attributes)
        for (character, entity) in [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")] {
            message = message.replacingOccurrences(of: character, with: entity)
        }
        if !reason.isEmpty { message += ": " + reason }
        // apierrors.NewForbidden over schema.GroupResource{group, resource}.
        let qualified = attributes.apiGroup.isEmpty ? attributes.resource : "\(attributes.resource).\(attributes.apiGroup)"
        let text: String
        if qualified.isEmpty {
            text = "forbidden: \(message)"
        } else if attributes.name.isEmpty {
            text = "\(qualified) is forbidden: \(message)"
        } else {
            text = "\(qualified) \"\(attributes.name)\" is forbidden: \(message)"
        }
        return Status(message: text, reason: "Forbidden",
                      details: .init(name: attributes.name.isEmpty ? nil : attributes.name, group: attributes.apiGroup.isEmpty ? nil : attributes.apiGroup,
                                     kind: attributes.resource.isEmpty ? nil : attributes.resource),
                      code: 403)
    }

    /// `forbiddenMessage`.
    static func forbiddenMessage(user: UserInfo, attributes: AuthorizationAttributes) -> String {
        guard attributes.isResourceRequest else {
            return "User \"\(user.name)\" cannot \(attributes.verb) path \"\(attributes.path)\""
        }
        let resource = attributes.subresource.isEmpty ? attributes.resource : "\(attributes.resource)/\(attributes.subresource)"
        let scope = attributes.namespace.isEmpty ? "at the cluster scope" : "in the namespace \"\(attributes.namespace)\""
        return "User \"\(user.name)\" cannot \(attributes.verb) resource \"\(resource)\" in API group \"\(attributes.apiGroup)\" \(scope)"
    }
}
