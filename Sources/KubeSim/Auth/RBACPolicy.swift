import KubeModel

/// Every Role, ClusterRole and binding at one moment, with the bindings indexed by the user
/// and group names their subjects match, so authorizing a request looks only at the
/// bindings that can apply to its user instead of scanning them all.
public struct RBACPolicy: Sendable {
    public private(set) var clusterRoles: [String: [PolicyRule]] = [:]
    /// Roles by `namespace/name`.
    public private(set) var roles: [String: [PolicyRule]] = [:]
    public private(set) var clusterRoleBindings: [RBACBinding] = []
    /// RoleBindings per namespace.
    public private(set) var roleBindings: [String: [RBACBinding]] = [:]
    /// `u:<user name>` / `g:<group>` to the positions of the bindings with such a subject.
    private var clusterIndex: [String: [Int]] = [:]
    private var namespaceIndex: [String: [String: [Int]]] = [:]

    public init() {}

    /// Builds the policy from stored objects (JSON as the API serves them).
    public init(roles: [JSONValue], clusterRoles: [JSONValue], roleBindings: [JSONValue], clusterRoleBindings: [JSONValue]) {
        for role in clusterRoles {
            guard let name = role[path: ["metadata", "name"]]?.stringValue else { continue }
            self.clusterRoles[name] = Self.rules(role)
        }
        for role in roles {
            guard let name = role[path: ["metadata", "name"]]?.stringValue, let namespace = role[path: ["metadata", "namespace"]]?.stringValue else { continue }
            self.roles["\(namespace)/\(name)"] = Self.rules(role)
        }
        for binding in clusterRoleBindings.compactMap(RBACBinding.init(json:)) { add(binding) }
        for binding in roleBindings.compactMap(RBACBinding.init(json:)) where binding.namespace != nil { add(binding) }
    }

    private static func rules(_ role: JSONValue) -> [PolicyRule] {
        (role["rules"]?.arrayValue ?? []).map(PolicyRule.init(json:))
    }

    public mutating func setClusterRole(_ name: String, rules: [PolicyRule]) { clusterRoles[name] = rules }

    public mutating func setRole(namespace: String, name: String, rules: [PolicyRule]) { roles["\(namespace)/\(name)"] = rules }

    /// Adds a RoleBinding (namespace set) or a ClusterRoleBinding.
    public mutating func add(_ binding: RBACBinding) {
        let keys = Set(binding.subjects.compactMap { subject -> String? in
            switch subject.kind {
            case .user: "u:" + subject.name
            case .group: "g:" + subject.name
            case .serviceAccount: binding.serviceAccountUsername(subject).map { "u:" + $0 }
            }
        })
        if let namespace = binding.namespace {
            roleBindings[namespace, default: []].append(binding)
            let position = roleBindings[namespace, default: []].count - 1
            for key in keys { namespaceIndex[namespace, default: [:]][key, default: []].append(position) }
        } else {
            clusterRoleBindings.append(binding)
            for key in keys { clusterIndex[key, default: []].append(clusterRoleBindings.count - 1) }
        }
    }

    /// The bindings that may apply to `user`, in the order they were added.
    func candidateClusterBindings(for user: UserInfo) -> [RBACBinding] {
        Self.positions(for: user, in: clusterIndex).map { clusterRoleBindings[$0] }
    }

    func candidateRoleBindings(for user: UserInfo, namespace: String) -> [RBACBinding] {
        guard let index = namespaceIndex[namespace], let bindings = roleBindings[namespace] else { return [] }
        return Self.positions(for: user, in: index).map { bindings[$0] }
    }

    private static func positions(for user: UserInfo, in index: [String: [Int]]) -> [Int] {
        var positions = index["u:" + user.name] ?? []
        for group in user.groups { positions += index["g:" + group] ?? [] }
        return positions.count > 1 ? Array(Set(positions)).sorted() : positions
    }

    /// The rules a binding's roleRef grants, or the error the real resolver reports
    /// (validation/rule.go `GetRoleReferenceRules`; listers say the singular resource).
    func rules(of binding: RBACBinding) -> Result<[PolicyRule], RBACResolutionError> {
        switch binding.roleKind {
        case .clusterRole:
            if let rules = clusterRoles[binding.roleName] { return .success(rules) }
            return .failure(RBACResolutionError(message: "clusterrole.rbac.authorization.k8s.io \"\(binding.roleName)\" not found"))
        case .role:
            if let namespace = binding.namespace, let rules = roles["\(namespace)/\(binding.roleName)"] { return .success(rules) }
            return .failure(RBACResolutionError(message: "role.rbac.authorization.k8s.io \"\(binding.roleName)\" not found"))
        }
    }
}

/// A binding whose role cannot be found.
struct RBACResolutionError: Error, Hashable {
    var message: String
}
