/// The RBAC authorizer, decision for decision as plugin/pkg/auth/authorizer/rbac/rbac.go
/// (`Authorize`, `RuleAllows`) with the rule resolution of pkg/registry/rbac/validation/rule.go
/// (`VisitRulesFor`, `appliesToUser`) and the matchers of pkg/apis/rbac/v1/evaluation_helpers.go.
/// Pure: it reads only the policy it is given.
public struct RBACAuthorizer: Sendable {
    public let policy: RBACPolicy

    public init(policy: RBACPolicy) {
        self.policy = policy
    }

    /// ClusterRoleBindings first, then the RoleBindings of the request's namespace; the first
    /// rule that allows wins. A denial carries a reason only when a binding's role is missing.
    public func authorize(_ user: UserInfo, _ attributes: AuthorizationAttributes) -> AuthorizationDecision {
        var errors: [String] = []
        func visit(_ bindings: [RBACBinding]) -> AuthorizationDecision? {
            for binding in bindings {
                guard let subject = binding.subjects.first(where: { Self.applies($0, to: user, binding: binding) }) else { continue }
                switch policy.rules(of: binding) {
                case .success(let rules):
                    if rules.contains(where: { Self.ruleAllows($0, attributes) }) {
                        return .allow(reason: "RBAC: allowed by \(binding.describe(subject))")
                    }
                case .failure(let error):
                    errors.append(error.message)
                }
            }
            return nil
        }
        if let allowed = visit(policy.candidateClusterBindings(for: user)) { return allowed }
        if !attributes.namespace.isEmpty,
           let allowed = visit(policy.candidateRoleBindings(for: user, namespace: attributes.namespace)) {
            return allowed
        }
        // utilerrors.NewAggregate: one error as is, several as `[a, b]`.
        let reason = errors.isEmpty ? "" : "RBAC: " + (errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]")
        return .noOpinion(reason: reason)
    }

    /// validation/rule.go `appliesToUser`.
    static func applies(_ subject: RBACSubject, to user: UserInfo, binding: RBACBinding) -> Bool {
        switch subject.kind {
        case .user: user.name == subject.name
        case .group: user.groups.contains(subject.name)
        case .serviceAccount: binding.serviceAccountUsername(subject) == user.name
        }
    }

    /// rbac.go `RuleAllows`.
    public static func ruleAllows(_ rule: PolicyRule, _ attributes: AuthorizationAttributes) -> Bool {
        guard verbMatches(rule, attributes.verb) else { return false }
        if attributes.isResourceRequest {
            let combined = attributes.subresource.isEmpty ? attributes.resource : "\(attributes.resource)/\(attributes.subresource)"
            return apiGroupMatches(rule, attributes.apiGroup)
                && resourceMatches(rule, combined: combined, subresource: attributes.subresource)
                && resourceNameMatches(rule, attributes.name)
        }
        return nonResourceURLMatches(rule, attributes.path)
    }

    // MARK: evaluation_helpers.go

    static func verbMatches(_ rule: PolicyRule, _ verb: String) -> Bool {
        rule.verbs.contains { $0 == "*" || $0 == verb }
    }

    static func apiGroupMatches(_ rule: PolicyRule, _ group: String) -> Bool {
        rule.apiGroups.contains { $0 == "*" || $0 == group }
    }

    /// `*`, the exact `resource` or `resource/subresource`, or `*/subresource`.
    static func resourceMatches(_ rule: PolicyRule, combined: String, subresource: String) -> Bool {
        rule.resources.contains { ruleResource in
            if ruleResource == "*" || ruleResource == combined { return true }
            guard !subresource.isEmpty else { return false }
            return ruleResource == "*/" + subresource
        }
    }

    /// An empty list allows every name; otherwise the name must be listed (so a rule with
    /// resourceNames never allows a list or a create, which have no name).
    static func resourceNameMatches(_ rule: PolicyRule, _ name: String) -> Bool {
        rule.resourceNames.isEmpty || rule.resourceNames.contains(name)
    }

    /// `*`, the exact path, or a prefix ending in `*`.
    static func nonResourceURLMatches(_ rule: PolicyRule, _ path: String) -> Bool {
        rule.nonResourceURLs.contains { url in
            if url == "*" || url == path { return true }
            return url.hasSuffix("*") && path.hasPrefix(String(url.dropLast()))
        }
    }
}

/// The authorizer chain kube-sim runs, as kube-apiserver's `--authorization-mode=RBAC` builds
/// it: members of `system:masters` are allowed everything before RBAC is asked
/// (authorizerfactory/builtin.go `privilegedGroupAuthorizer`), then RBAC decides.
public struct APIAuthorizer: Sendable {
    public let rbac: RBACAuthorizer

    public init(policy: RBACPolicy) {
        rbac = RBACAuthorizer(policy: policy)
    }

    public func authorize(_ user: UserInfo, _ attributes: AuthorizationAttributes) -> AuthorizationDecision {
        if user.groups.contains(UserInfo.Group.masters) { return .allow(reason: "") }
        return rbac.authorize(user, attributes)
    }
}
