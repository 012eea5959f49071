import KubeModel
import KubeSim

/// `deploy/01-rbac.yaml` as kube-sim's RBAC authorizer reads it, one verb at a time: which
/// verbs Keeper's recorded requests use, and which of them the ClusterRole without one verb
/// refuses, with the 403 each would get. Pure: no server, only `RBACAuthorizer` over the
/// manifest's ClusterRole and ClusterRoleBinding.
public enum KeeperRBAC {
    public static let manifest = "deploy/01-rbac.yaml"
    /// Keeper's user, as its ServiceAccount token authenticates it.
    public static let user = UserInfo.serviceAccount(namespace: KeeperInstallation.namespace, name: KeeperInstallation.serviceAccount)

    /// One verb of one rule of the ClusterRole (each rule names one API group and one resource).
    public struct GrantedVerb: Hashable, Sendable, CustomStringConvertible {
        public var apiGroup: String
        public var resource: String
        public var verb: String

        public init(apiGroup: String, resource: String, verb: String) {
            self.apiGroup = apiGroup
            self.resource = resource
            self.verb = verb
        }

        /// The verb as a rule of its own: the requests it allows are the ones that use it.
        var rule: PolicyRule { PolicyRule(verbs: [verb], apiGroups: [apiGroup], resources: [resource]) }

        public var description: String { "\(verb) \(apiGroup.isEmpty ? "" : apiGroup + "/")\(resource)" }
    }

    static func isKeeperClusterRole(_ document: JSONValue) -> Bool {
        document["kind"] == "ClusterRole" && document[path: ["metadata", "name"]] == "keeper"
    }

    /// Every verb the ClusterRole grants, in the manifest's order.
    public static func grantedVerbs() throws -> [GrantedVerb] {
        guard let role = try KeeperInstallation.documents(manifest).first(where: isKeeperClusterRole) else {
            throw InstallationError("\(manifest) holds no ClusterRole keeper")
        }
        return try (role["rules"]?.arrayValue ?? []).map(PolicyRule.init(json:)).flatMap { rule -> [GrantedVerb] in
            guard rule.apiGroups.count == 1, rule.resources.count == 1, rule.resourceNames.isEmpty else {
                throw InstallationError("a rule of \(manifest) names several groups or resources, so one verb cannot be removed alone: \(rule)")
            }
            return rule.verbs.map { GrantedVerb(apiGroup: rule.apiGroups[0], resource: rule.resources[0], verb: $0) }
        }
    }

    /// An `editRBAC` that removes `granted` from the ClusterRole (a rule left without verbs
    /// is removed, as a user deleting the verb would leave it).
    public static func removing(_ granted: GrantedVerb) -> @Sendable (inout JSONValue) -> Void {
        { document in
            guard isKeeperClusterRole(document), let rules = document["rules"]?.arrayValue else { return }
            document["rules"] = .array(rules.compactMap { rule in
                guard rule["apiGroups"] == [.string(granted.apiGroup)], rule["resources"] == [.string(granted.resource)] else { return rule }
                let verbs = (rule["verbs"]?.arrayValue ?? []).filter { $0 != .string(granted.verb) }
                if verbs.isEmpty { return nil }
                var kept = rule
                kept["verbs"] = .array(verbs)
                return kept
            })
        }
    }

    /// The authorizer the manifest makes (its ClusterRole through its ClusterRoleBinding),
    /// the ClusterRole edited by `edit` first. kube-sim's bootstrap roles grant Keeper's
    /// resources nothing, so they are left out.
    public static func authorizer(editing edit: (inout JSONValue) -> Void = { _ in }) throws -> RBACAuthorizer {
        var roles: [JSONValue] = []
        var bindings: [JSONValue] = []
        for var document in try KeeperInstallation.documents(manifest) {
            edit(&document)
            switch document["kind"]?.stringValue {
            case "ClusterRole": roles.append(document)
            case "ClusterRoleBinding": bindings.append(document)
            default: break
            }
        }
        return RBACAuthorizer(policy: RBACPolicy(roles: [], clusterRoles: roles, roleBindings: [], clusterRoleBindings: bindings))
    }

    /// Whether `request` uses `granted`: that verb of that rule alone allows it.
    public static func uses(_ request: AuthorizationAttributes, _ granted: GrantedVerb) -> Bool {
        RBACAuthorizer.ruleAllows(granted.rule, request)
    }

    /// The 403 messages `authorizer` gives the `requests` it refuses, as kube-sim (and
    /// kube-apiserver) words them.
    public static func refusals(of requests: [AuthorizationAttributes], by authorizer: RBACAuthorizer) -> [String] {
        requests.compactMap { request in
            let decision = authorizer.authorize(user, request)
            return decision.isAllowed ? nil : APIErrors.forbidden(user: user, attributes: request, reason: decision.reason).message
        }
    }

    // MARK: Keeper's recorded requests

    /// What tells two requests apart for RBAC but their object's name: verb, group,
    /// resource, subresource, namespace.
    public struct RequestKind: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var verb, apiGroup, resource, subresource, namespace: String

        public init(_ request: AuthorizationAttributes) {
            verb = request.verb
            apiGroup = request.apiGroup
            resource = request.resource
            subresource = request.subresource
            namespace = request.namespace
        }

        var sortKey: [String] { [apiGroup, resource, subresource, verb, namespace] }
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.sortKey.lexicographicallyPrecedes(rhs.sortKey) }

        public var description: String {
            "\(verb) \(subresource.isEmpty ? resource : resource + "/" + subresource) in API group \"\(apiGroup)\" \(namespace.isEmpty ? "at the cluster scope" : "in \(namespace)")"
        }
    }

    /// One resource request of each kind among `requests` (the first one seen, with its name),
    /// sorted. Non-resource requests (the client's `GET /version` as it connects) are left
    /// out: kube-sim's bootstrap `system:public-info-viewer` allows them, not the ClusterRole.
    public static func distinct(_ requests: [AuthorizationAttributes]) -> [AuthorizationAttributes] {
        var seen: [RequestKind: AuthorizationAttributes] = [:]
        for request in requests where request.isResourceRequest && seen[RequestKind(request)] == nil { seen[RequestKind(request)] = request }
        return seen.sorted { $0.key < $1.key }.map(\.value)
    }

    /// `requests` as the Swift literal of `recordedRequests`, to paste when Keeper's requests change.
    public static func swiftLiteral(_ requests: [AuthorizationAttributes]) -> String {
        requests.map { request in
            var arguments = ["verb: \"\(request.verb)\""]
            if !request.namespace.isEmpty { arguments.append("namespace: \"\(request.namespace)\"") }
            if !request.apiGroup.isEmpty { arguments.append("apiGroup: \"\(request.apiGroup)\"") }
            arguments.append("resource: \"\(request.resource)\"")
            if !request.subresource.isEmpty { arguments.append("subresource: \"\(request.subresource)\"") }
            if !request.name.isEmpty { arguments.append("name: \"\(request.name)\"") }
            return "        .init(\(arguments.joined(separator: ", "))),"
        }.joined(separator: "\n")
    }
}
