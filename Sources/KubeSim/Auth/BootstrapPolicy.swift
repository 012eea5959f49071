import KubeModel

/// The default ClusterRoles and ClusterRoleBindings kube-apiserver creates at start
/// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), as far as kube-sim needs
/// them: `cluster-admin` for `system:masters`, discovery for every authenticated user, the
/// health and version endpoints for everyone, and self-review (`kubectl auth can-i`,
/// `kubectl auth whoami`) for every authenticated user.
enum BootstrapPolicy {
    static let clusterRoles: [(name: String, rules: [JSONValue])] = [
        ("cluster-admin", [
            ["apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]],
            ["nonResourceURLs": ["*"], "verbs": ["*"]],
        ]),
        ("system:discovery", [
            ["nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"],
             "verbs": ["get"]],
        ]),
        ("system:public-info-viewer", [
            ["nonResourceURLs": ["/healthz", "/livez", "/readyz", "/version", "/version/"], "verbs": ["get"]],
        ]),
        ("system:basic-user", [
            ["apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], "verbs": ["create"]],
            ["apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"], "verbs": ["create"]],
        ]),
    ]

    static let clusterRoleBindings: [(name: String, groups: [String])] = [
        ("cluster-admin", [UserInfo.Group.masters]),
        ("system:discovery", [UserInfo.Group.authenticated]),
        ("system:basic-user", [UserInfo.Group.authenticated]),
        ("system:public-info-viewer", [UserInfo.Group.authenticated, UserInfo.Group.unauthenticated]),
    ]

    static let metadataLabels: JSONValue = ["kubernetes.io/bootstrapping": "rbac-defaults"]
    static let metadataAnnotations: JSONValue = ["rbac.authorization.kubernetes.io/autoupdate": "true"]

    static var objects: [(ResourceType, JSONValue)] {
        clusterRoles.map { role in
            (.clusterRoles, ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                             "metadata": ["name": .string(role.name), "labels": metadataLabels, "annotations": metadataAnnotations],
                             "rules": .array(role.rules)])
        } + clusterRoleBindings.map { binding in
            (.clusterRoleBindings, ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                                    "metadata": ["name": .string(binding.name), "labels": metadataLabels, "annotations": metadataAnnotations],
                                    "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(binding.name)],
                                    "subjects": .array(binding.groups.map { ["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": .string($0)] })])
        }
    }
}
