import KubeSim

extension KeeperRBAC {
    /// One request of each kind Keeper made, as `KeeperPermissionsEndToEndTests` recorded
    /// them from kube-sim's decision log (Keeper as its ServiceAccount, leader election on,
    /// a 3-member ensemble created, children restored, a rolling restart). That test fails
    /// until this list holds exactly the kinds it recorded, and prints the new literal, so the
    /// replay of `KeeperRBACReplayTests` never runs on requests Keeper no longer makes.
    public static let recordedRequests: [AuthorizationAttributes] = [
        .init(verb: "create", namespace: "default", resource: "configmaps", name: "zp-config"),
        .init(verb: "list", resource: "configmaps"),
        .init(verb: "patch", namespace: "default", resource: "configmaps", name: "zp-config"),
        .init(verb: "watch", resource: "configmaps"),
        .init(verb: "create", namespace: "default", resource: "events"),
        .init(verb: "list", namespace: "default", resource: "events"),
        .init(verb: "patch", namespace: "default", resource: "events", name: "zp.18ed779ad7679b00"),
        .init(verb: "list", resource: "pods"),
        .init(verb: "watch", resource: "pods"),
        .init(verb: "create", namespace: "default", resource: "pods", subresource: "eviction", name: "zp-1"),
        .init(verb: "create", namespace: "default", resource: "secrets"),
        .init(verb: "get", namespace: "default", resource: "secrets", name: "zp-superuser"),
        .init(verb: "create", namespace: "default", resource: "services", name: "zp-headless"),
        .init(verb: "list", resource: "services"),
        .init(verb: "patch", namespace: "default", resource: "services", name: "zp-headless"),
        .init(verb: "watch", resource: "services"),
        .init(verb: "create", namespace: "default", apiGroup: "apps", resource: "statefulsets", name: "zp"),
        .init(verb: "list", apiGroup: "apps", resource: "statefulsets"),
        .init(verb: "patch", namespace: "default", apiGroup: "apps", resource: "statefulsets", name: "zp"),
        .init(verb: "watch", apiGroup: "apps", resource: "statefulsets"),
        .init(verb: "create", namespace: "keeper-system", apiGroup: "coordination.k8s.io", resource: "leases"),
        .init(verb: "get", namespace: "keeper-system", apiGroup: "coordination.k8s.io", resource: "leases", name: "keeper"),
        .init(verb: "update", namespace: "keeper-system", apiGroup: "coordination.k8s.io", resource: "leases", name: "keeper"),
        .init(verb: "list", apiGroup: "keeper.dev", resource: "zookeeperclusters"),
        .init(verb: "watch", apiGroup: "keeper.dev", resource: "zookeeperclusters"),
        .init(verb: "update", namespace: "default", apiGroup: "keeper.dev", resource: "zookeeperclusters", subresource: "status", name: "zp"),
        .init(verb: "create", namespace: "default", apiGroup: "policy", resource: "poddisruptionbudgets", name: "zp"),
        .init(verb: "list", apiGroup: "policy", resource: "poddisruptionbudgets"),
        .init(verb: "patch", namespace: "default", apiGroup: "policy", resource: "poddisruptionbudgets", name: "zp"),
        .init(verb: "watch", apiGroup: "policy", resource: "poddisruptionbudgets"),
    ]
}
