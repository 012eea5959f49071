import KubeModel

/// Every API permission Keeper needs, in one place: the operator's informers and writes are
/// built from the same resource types, `deploy/01-rbac.yaml`'s ClusterRole lists exactly
/// these rules, and a test keeps the two equal.
public enum KeeperPermissions {
    /// One RBAC rule: `verbs` on `resource` (optionally a subresource) of `group`.
    public struct Rule: Hashable, Sendable, Comparable {
        public var group: String
        public var resource: String
        public var verbs: [String]

        public init(_ type: ResourceType, subresource: String? = nil, verbs: [String]) {
            group = type.group
            resource = subresource.map { "\(type.plural)/\($0)" } ?? type.plural
            self.verbs = verbs.sorted()
        }

        public static func < (lhs: Rule, rhs: Rule) -> Bool { (lhs.group, lhs.resource) < (rhs.group, rhs.resource) }
    }

    /// What the informers read.
    static let watch = ["list", "watch"]
    /// Server-side apply is a PATCH, but one that creates the object also needs `create`
    /// (the real apiserver authorizes the create of an apply-create: handlers/patch.go).
    static let apply = ["create", "list", "patch", "watch"]

    public static let rules: [Rule] = [
        Rule(.zookeeperClusters, verbs: watch),
        Rule(.zookeeperClusters, subresource: "status", verbs: ["update"]),
        Rule(.services, verbs: apply),
        Rule(.configMaps, verbs: apply),
        Rule(.statefulSets, verbs: apply),
        Rule(.podDisruptionBudgets, verbs: apply),
        Rule(.pods, verbs: watch),
        // Rolling restarts evict one member at a time (the Eviction API honours the budget).
        Rule(.pods, subresource: "eviction", verbs: ["create"]),
        // The per-cluster superuser Secret: read once per cluster, created when missing.
        Rule(.secrets, verbs: ["create", "get"]),
        // The EventRecorder creates Events and patches their counts; while member pods are
        // missing, Keeper lists the StatefulSet's FailedCreate Events (`PodCreationFailure`).
        Rule(.events, verbs: ["create", "list", "patch"]),
        // Leader election between Keeper replicas.
        Rule(.leases, verbs: ["create", "get", "update"]),
    ].sorted()

    /// The ClusterRole as a JSON value (what `deploy/01-rbac.yaml` holds).
    public static func clusterRole(name: String = "keeper") -> JSONValue {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": ["name": .string(name), "labels": ["app.kubernetes.io/name": "keeper"]],
            "rules": .array(rules.map { rule in
                [
                    "apiGroups": [.string(rule.group)],
                    "resources": [.string(rule.resource)],
                    "verbs": .array(rule.verbs.map { .string($0) }),
                ]
            }),
        ]
    }
}
