import Testing
@testable import KubeSim

/// The RBAC decision without I/O, case by case against rbac.go / evaluation_helpers.go.
@Suite struct RBACAuthorizerTests {
    static let keeper = UserInfo.serviceAccount(namespace: "keeper-system", name: "keeper")
    static let other = UserInfo.serviceAccount(namespace: "tenant", name: "default")

    static var policy: RBACPolicy {
        var policy = RBACPolicy()
        policy.setClusterRole("keeper", rules: [
            PolicyRule(verbs: ["create", "list", "patch", "watch"], apiGroups: [""], resources: ["services"]),
            PolicyRule(verbs: ["create"], apiGroups: [""], resources: ["pods/eviction"]),
            PolicyRule(verbs: ["update"], apiGroups: ["keeper.dev"], resources: ["zookeeperclusters/status"]),
            PolicyRule(verbs: ["get", "update"], apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: ["keeper-leader"]),
        ])
        policy.setClusterRole("everything", rules: [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"])])
        policy.setClusterRole("scalers", rules: [PolicyRule(verbs: ["patch"], apiGroups: ["apps"], resources: ["*/scale"])])
        policy.setClusterRole("health", rules: [PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz", "/apis/*"])])
        policy.setRole(namespace: "tenant", name: "reader", rules: [PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["pods", "pods/log"])])
        policy.add(RBACBinding(name: "keeper", roleKind: .clusterRole, roleName: "keeper",
                               subjects: [RBACSubject(kind: .serviceAccount, name: "keeper", namespace: "keeper-system")]))
        policy.add(RBACBinding(name: "admins", roleKind: .clusterRole, roleName: "everything", subjects: [RBACSubject(kind: .group, name: "admins")]))
        policy.add(RBACBinding(name: "scalers", roleKind: .clusterRole, roleName: "scalers", subjects: [RBACSubject(kind: .user, name: "alice")]))
        policy.add(RBACBinding(name: "health", roleKind: .clusterRole, roleName: "health", subjects: [RBACSubject(kind: .group, name: UserInfo.Group.unauthenticated)]))
        // A ServiceAccount subject without a namespace means the RoleBinding's namespace.
        policy.add(RBACBinding(name: "read", namespace: "tenant", roleKind: .role, roleName: "reader",
                               subjects: [RBACSubject(kind: .serviceAccount, name: "default")]))
        policy.add(RBACBinding(name: "broken", namespace: "tenant", roleKind: .role, roleName: "missing", subjects: [RBACSubject(kind: .user, name: "bob")]))
        // In a ClusterRoleBinding such a subject matches nobody.
        policy.add(RBACBinding(name: "nobody", roleKind: .clusterRole, roleName: "everything", subjects: [RBACSubject(kind: .serviceAccount, name: "default")]))
        return policy
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var user: UserInfo
        var attributes: AuthorizationAttributes
        var allowed: Bool
        var testDescription: String { "\(user.name) \(attributes.verb) \(attributes.resource)/\(attributes.subresource) \(attributes.name)\(attributes.path)" }
    }

    static let cases: [Case] = [
        Case(user: keeper, attributes: .init(verb: "create", namespace: "default", resource: "services", name: "zk-headless"), allowed: true),
        Case(user: keeper, attributes: .init(verb: "watch", resource: "services"), allowed: true),
        Case(user: keeper, attributes: .init(verb: "get", namespace: "default", resource: "services", name: "zk"), allowed: false),
        Case(user: keeper, attributes: .init(verb: "delete", namespace: "default", resource: "services", name: "zk"), allowed: false),
        Case(user: keeper, attributes: .init(verb: "deletecollection", namespace: "default", resource: "services"), allowed: false),
        // A subresource rule covers only the subresource, and the other way round.
        Case(user: keeper, attributes: .init(verb: "create", namespace: "default", resource: "pods", subresource: "eviction", name: "zk-0"), allowed: true),
        Case(user: keeper, attributes: .init(verb: "create", namespace: "default", resource: "pods", name: "zk-0"), allowed: false),
        Case(user: keeper, attributes: .init(verb: "create", namespace: "default", resource: "services", subresource: "status", name: "zk"), allowed: false),
        Case(user: keeper, attributes: .init(verb: "update", namespace: "default", apiGroup: "keeper.dev", resource: "zookeeperclusters", subresource: "status", name: "zk"), allowed: true),
        Case(user: keeper, attributes: .init(verb: "update", namespace: "default", apiGroup: "keeper.dev", resource: "zookeeperclusters", name: "zk"), allowed: false),
        // The API group must match.
        Case(user: keeper, attributes: .init(verb: "update", namespace: "default", apiGroup: "other.dev", resource: "zookeeperclusters", subresource: "status", name: "zk"), allowed: false),
        // resourceNames: only that name, never a create or list (no name).
        Case(user: keeper, attributes: .init(verb: "get", namespace: "keeper-system", apiGroup: "coordination.k8s.io", resource: "leases", name: "keeper-leader"), allowed: true),
        Case(user: keeper, attributes: .init(verb: "get", namespace: "keeper-system", apiGroup: "coordination.k8s.io", resource: "leases", name: "other"), allowed: false),
        Case(user: keeper, attributes: .init(verb: "list", namespace: "keeper-system", apiGroup: "coordination.k8s.io", resource: "leases"), allowed: false),
        // `*` everything; `*/scale` any scale subresource of the group.
        Case(user: UserInfo(name: "carol", groups: ["admins"]), attributes: .init(verb: "deletecollection", apiGroup: "x.io", resource: "anything"), allowed: true),
        Case(user: UserInfo(name: "alice", groups: []), attributes: .init(verb: "patch", namespace: "a", apiGroup: "apps", resource: "statefulsets", subresource: "scale", name: "zk"), allowed: true),
        Case(user: UserInfo(name: "alice", groups: []), attributes: .init(verb: "patch", namespace: "a", apiGroup: "apps", resource: "statefulsets", name: "zk"), allowed: false),
        // RoleBindings apply in their namespace only.
        Case(user: other, attributes: .init(verb: "get", namespace: "tenant", resource: "pods", subresource: "log", name: "p"), allowed: true),
        Case(user: other, attributes: .init(verb: "list", namespace: "default", resource: "pods"), allowed: false),
        Case(user: other, attributes: .init(verb: "list", namespace: "tenant", apiGroup: "keeper.dev", resource: "zookeeperclusters"), allowed: false),
        Case(user: UserInfo.serviceAccount(namespace: "elsewhere", name: "default"), attributes: .init(verb: "list", namespace: "tenant", resource: "pods"), allowed: false),
        // Non-resource URLs: exact or a `*` prefix.
        Case(user: .anonymous, attributes: .init(verb: "get", path: "/healthz"), allowed: true),
        Case(user: .anonymous, attributes: .init(verb: "get", path: "/apis/keeper.dev/v1alpha1"), allowed: true),
        Case(user: .anonymous, attributes: .init(verb: "get", path: "/api"), allowed: false),
        Case(user: .anonymous, attributes: .init(verb: "post", path: "/healthz"), allowed: false),
    ]

    @Test(arguments: cases) func decides(_ test: Case) {
        #expect(RBACAuthorizer(policy: Self.policy).authorize(test.user, test.attributes).isAllowed == test.allowed)
    }

    @Test func reasonsNameTheBindingOrTheMissingRole() {
        let authorizer = RBACAuthorizer(policy: Self.policy)
        let allowed = authorizer.authorize(Self.keeper, .init(verb: "create", namespace: "default", resource: "services", name: "x"))
        #expect(allowed == .allow(reason: "RBAC: allowed by ClusterRoleBinding \"keeper\" of ClusterRole \"keeper\" to ServiceAccount \"keeper/keeper-system\""))
        let viaRoleBinding = authorizer.authorize(Self.other, .init(verb: "get", namespace: "tenant", resource: "pods", name: "p"))
        #expect(viaRoleBinding.reason == "RBAC: allowed by RoleBinding \"read/tenant\" of Role \"reader\" to ServiceAccount \"default/tenant\"")
        let broken = authorizer.authorize(UserInfo(name: "bob", groups: []), .init(verb: "get", namespace: "tenant", resource: "pods", name: "p"))
        #expect(broken == .noOpinion(reason: "RBAC: role.rbac.authorization.k8s.io \"missing\" not found"))
        #expect(authorizer.authorize(Self.keeper, .init(verb: "get", namespace: "default", resource: "pods", name: "p")) == .noOpinion(reason: ""))
    }

    @Test func systemMastersIsAllowedBeforeRBAC() {
        let authorizer = APIAuthorizer(policy: RBACPolicy())
        #expect(authorizer.authorize(.admin, .init(verb: "delete", resource: "nodes", name: "n")).isAllowed)
        #expect(!authorizer.authorize(Self.keeper, .init(verb: "get", resource: "nodes", name: "n")).isAllowed)
    }

    @Test func forbiddenMessagesAreTheRealServers() {
        let namespaced = APIErrors.forbidden(user: Self.keeper, attributes: .init(verb: "create", namespace: "default", resource: "services", name: "zk-headless"), reason: "")
        #expect(namespaced.message == "services \"zk-headless\" is forbidden: User \"system:serviceaccount:keeper-system:keeper\" cannot create resource \"services\" in API group \"\" in the namespace \"default\"")
        #expect(namespaced.code == 403 && namespaced.reason == "Forbidden" && namespaced.details?.kind == "services" && namespaced.details?.name == "zk-headless")
        let list = APIErrors.forbidden(user: Self.other, attributes: .init(verb: "list", namespace: "tenant", apiGroup: "keeper.dev", resource: "zookeeperclusters"), reason: "")
        #expect(list.message == "zookeeperclusters.keeper.dev is forbidden: User \"system:serviceaccount:tenant:default\" cannot list resource \"zookeeperclusters\" in API group \"keeper.dev\" in the namespace \"tenant\"")
        let cluster = APIErrors.forbidden(user: Self.keeper, attributes: .init(verb: "update", apiGroup: "keeper.dev", resource: "zookeeperclusters", subresource: "status", name: "zk"), reason: "RBAC: x")
        #expect(cluster.message == "zookeeperclusters.keeper.dev \"zk\" is forbidden: User \"system:serviceaccount:keeper-system:keeper\" cannot update resource \"zookeeperclusters/status\" in API group \"keeper.dev\" at the cluster scope: RBAC: x")
        let path = APIErrors.forbidden(user: .anonymous, attributes: .init(verb: "get", path: "/api"), reason: "")
        #expect(path.message == "forbidden: User \"system:anonymous\" cannot get path \"/api\"")
    }

    @Test func requestInfoDerivesTheVerbAsRequestinfoGo() {
        func verb(_ method: String, _ path: String, watch: Bool = false) -> String {
            RequestInfo.parse(method: method, path: path, watchParameter: watch).verb
        }
        #expect(verb("GET", "/api/v1/namespaces/a/pods") == "list")
        #expect(verb("GET", "/api/v1/namespaces/a/pods", watch: true) == "watch")
        #expect(verb("GET", "/api/v1/watch/namespaces/a/pods/p") == "watch")
        #expect(verb("GET", "/api/v1/namespaces/a/pods/p", watch: true) == "get")
        #expect(verb("DELETE", "/api/v1/namespaces/a/pods") == "deletecollection")
        #expect(verb("DELETE", "/api/v1/namespaces/a/pods/p") == "delete")
        #expect(verb("PATCH", "/apis/apps/v1/namespaces/a/statefulsets/s/scale") == "patch")
        #expect(verb("POST", "/api/v1/namespaces/a/pods/p/eviction") == "create")
        #expect(verb("GET", "/apis/keeper.dev/v1alpha1") == "get")
        #expect(verb("POST", "/healthz") == "post")
        let selected = RequestInfo.parse(method: "GET", path: "/apis/coordination.k8s.io/v1/namespaces/a/leases", watchParameter: true,
                                         fieldSelector: "metadata.name=keeper-leader")
        #expect(AuthorizationAttributes(selected).name == "keeper-leader")
    }
}
