import KubeModel

/// `rbac.authorization.k8s.io/v1 PolicyRule`.
public struct PolicyRule: Sendable, Hashable, CustomStringConvertible {
    public var verbs: [String]
    public var apiGroups: [String]
    public var resources: [String]
    public var resourceNames: [String]
    public var nonResourceURLs: [String]

    public init(verbs: [String], apiGroups: [String] = [], resources: [String] = [], resourceNames: [String] = [], nonResourceURLs: [String] = []) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    /// A rule as a Role or ClusterRole holds it (missing lists are empty).
    public init(json: JSONValue) {
        func strings(_ key: String) -> [String] { json[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(verbs: strings("verbs"), apiGroups: strings("apiGroups"), resources: strings("resources"),
                  resourceNames: strings("resourceNames"), nonResourceURLs: strings("nonResourceURLs"))
    }

    /// As `kubectl describe clusterrole` would list it: `[verbs] apiGroups resources`.
    public var description: String {
        if !nonResourceURLs.isEmpty { return "\(verbs) \(nonResourceURLs)" }
        let names = resourceNames.isEmpty ? "" : " \(resourceNames)"
        return "\(verbs) \(apiGroups.map { $0.isEmpty ? "\"\"" : $0 }) \(resources)\(names)"
    }
}

/// A binding's subject: `User`, `Group` or `ServiceAccount`.
public struct RBACSubject: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case user = "User", group = "Group", serviceAccount = "ServiceAccount"
    }

    public var kind: Kind
    public var name: String
    /// ServiceAccount subjects only; empty means the binding's own namespace.
    public var namespace: String

    public init(kind: Kind, name: String, namespace: String = "") {
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }

    init?(json: JSONValue) {
        guard let kind = json["kind"]?.stringValue.flatMap(Kind.init(rawValue:)), let name = json["name"]?.stringValue else { return nil }
        self.init(kind: kind, name: name, namespace: json["namespace"]?.stringValue ?? "")
    }

    /// validation/rule.go `describeSubject`: `ServiceAccount "name/namespace"`, `Group "name"`.
    func describe(bindingNamespace: String) -> String {
        switch kind {
        case .serviceAccount: "\(kind.rawValue) \"\(name)/\(namespace.isEmpty ? bindingNamespace : namespace)\""
        case .user, .group: "\(kind.rawValue) \"\(name)\""
        }
    }
}

/// A RoleBinding (namespace set) or ClusterRoleBinding (namespace nil).
public struct RBACBinding: Sendable, Hashable {
    public enum RoleKind: String, Sendable {
        case role = "Role", clusterRole = "ClusterRole"
    }

    public var name: String
    public var namespace: String?
    public var roleKind: RoleKind
    public var roleName: String
    public var subjects: [RBACSubject]

    public init(name: String, namespace: String? = nil, roleKind: RoleKind, roleName: String, subjects: [RBACSubject]) {
        self.name = name
        self.namespace = namespace
        self.roleKind = roleKind
        self.roleName = roleName
        self.subjects = subjects
    }

    init?(json: JSONValue) {
        guard let name = json[path: ["metadata", "name"]]?.stringValue,
              let roleKind = json[path: ["roleRef", "kind"]]?.stringValue.flatMap(RoleKind.init(rawValue:)),
              let roleName = json[path: ["roleRef", "name"]]?.stringValue else { return nil }
        self.init(name: name, namespace: json[path: ["metadata", "namespace"]]?.stringValue, roleKind: roleKind, roleName: roleName,
                  subjects: (json["subjects"]?.arrayValue ?? []).compactMap(RBACSubject.init(json:)))
    }

    /// The subject's user name when it is a ServiceAccount bound here: a subject without a
    /// namespace means the binding's namespace, and in a ClusterRoleBinding it means none
    /// (validation/rule.go `appliesToUser`).
    func serviceAccountUsername(_ subject: RBACSubject) -> String? {
        let namespace = subject.namespace.isEmpty ? (self.namespace ?? "") : subject.namespace
        return namespace.isEmpty ? nil : UserInfo.serviceAccountUsername(namespace: namespace, name: subject.name)
    }

    /// validation/rule.go's describers: `ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`,
    /// `RoleBinding "x/ns" of Role "y" to ServiceAccount "sa/ns"`.
    func describe(_ subject: RBACSubject) -> String {
        if let namespace {
            return "RoleBinding \"\(name)/\(namespace)\" of \(roleKind.rawValue) \"\(roleName)\" to \(subject.describe(bindingNamespace: namespace))"
        }
        return "ClusterRoleBinding \"\(name)\" of \(roleKind.rawValue) \"\(roleName)\" to \(subject.describe(bindingNamespace: ""))"
    }
}
