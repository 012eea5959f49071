import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    static let rbacStorageKeys: Set<String> = Set([ResourceType.roles, .clusterRoles, .roleBindings, .clusterRoleBindings].map(\.groupResource))

    /// The request's user, or the 401 for a token nobody issued.
    func authenticate(_ request: HTTPRequest) -> Result<UserInfo, Status> {
        let authenticator = RequestAuthenticator(adminToken: adminToken, serviceAccountToken: { [serviceAccountTokens] in serviceAccountTokens.authenticate($0) })
        switch authenticator.authenticate(authorizationHeader: request.headers["Authorization"]) {
        case .user(let user): return .success(user)
        case .invalidToken: return .failure(APIErrors.unauthorized)
        }
    }

    /// Asks the authorizer chain and records its decision.
    func authorize(_ user: UserInfo, _ attributes: AuthorizationAttributes) -> AuthorizationDecision {
        let decision = currentAuthorizer.authorize(user, attributes)
        authorizationLog.record(.init(user: user, attributes: attributes, decision: decision))
        return decision
    }

    /// An apply that would create the object is also authorized as `create` (the real
    /// server's createValidation, handlers/patch.go + update.go `withAuthorization`), refused
    /// with the same wording as any 403.
    func authorizeCreateOnApply(_ context: RequestContext) throws {
        guard let user = context.user else { return }
        let attributes = AuthorizationAttributes(context.info).with(verb: "create")
        let decision = authorize(user, attributes)
        if !decision.isAllowed { throw APIErrors.forbidden(user: user, attributes: attributes, reason: decision.reason) }
    }

    /// The authorizer over the RBAC objects as they are now, built once per change of them.
    public var currentAuthorizer: APIAuthorizer {
        let (generation, cached) = authorizerCache.withLock { $0 }
        if let cached { return cached }
        func items(_ type: ResourceType) -> [JSONValue] { store.list(type.groupResource, namespace: nil).items.map(\.object) }
        let authorizer = APIAuthorizer(policy: RBACPolicy(roles: items(.roles), clusterRoles: items(.clusterRoles),
                                                          roleBindings: items(.roleBindings), clusterRoleBindings: items(.clusterRoleBindings)))
        // Kept only if no RBAC object changed while it was built.
        authorizerCache.withLock { if $0.generation == generation { $0.authorizer = authorizer } }
        return authorizer
    }
}
