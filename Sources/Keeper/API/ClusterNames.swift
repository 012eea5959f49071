import KubeModel

/// The names and labels Keeper derives from a cluster: one place, so builders, the
/// reconciler, status and validation agree.
public struct ClusterNames: Hashable, Sendable {
    public var cluster: String
    public var namespace: String

    public init(cluster: String, namespace: String) {
        self.cluster = cluster
        self.namespace = namespace
    }

    public init(_ cluster: ZookeeperCluster) {
        self.init(cluster: cluster.name, namespace: cluster.namespace ?? "default")
    }

    public var headlessService: String { "\(cluster)-headless" }
    public var clientService: String { "\(cluster)-client" }
    public var podDisruptionBudget: String { cluster }
    public var configMap: String { "\(cluster)-config" }
    public var statefulSet: String { cluster }
    public func pod(ordinal: Int) -> String { "\(cluster)-\(ordinal)" }
    /// The Secret holding the ensemble's superuser password and digest (for `reconfig`).
    public var superuserSecret: String { "\(cluster)-superuser" }

    /// The DNS name of a member pod through the headless Service.
    public func memberHost(ordinal: Int, clusterDomain: String) -> String {
        "\(pod(ordinal: ordinal)).\(memberDomain(clusterDomain: clusterDomain))"
    }

    /// The domain under which every member pod has its DNS name.
    public func memberDomain(clusterDomain: String) -> String {
        "\(headlessService).\(namespace).svc.\(clusterDomain)"
    }

    public var clientEndpoint: String { "\(clientService).\(namespace).svc:\(Ports.client)" }

    /// The labels that select the member pods (StatefulSet selector, PDB, Services).
    /// Immutable once a StatefulSet exists, so they never include anything the user sets.
    public var selectorLabels: [String: String] {
        [
            Labels.name: "zookeeper",
            Labels.instance: cluster,
            Labels.component: "server",
        ]
    }

    /// Labels on every object Keeper creates.
    public var objectLabels: [String: String] {
        selectorLabels.merging([Labels.managedBy: Labels.keeper]) { current, _ in current }
    }

    /// The selector as a string, sorted, as the scale subresource reports it.
    public var selectorString: String {
        selectorLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// The ordinal of a member pod from its name (`zk-2` → 2), nil for any other pod.
    public func ordinal(ofPod podName: String) -> Int? {
        let prefix = cluster + "-"
        guard podName.hasPrefix(prefix) else { return nil }
        let rest = podName.dropFirst(prefix.count)
        guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }), rest.count < 10 else { return nil }
        return Int(rest)
    }
}

/// Label and annotation keys Keeper uses.
public enum Labels {
    public static let name = "app.kubernetes.io/name"
    public static let instance = "app.kubernetes.io/instance"
    public static let managedBy = "app.kubernetes.io/managed-by"
    public static let component = "app.kubernetes.io/component"
    public static let keeper = "keeper"
    /// The label Kubernetes' StatefulSet controller puts on pods: the revision they run.
    public static let controllerRevisionHash = "controller-revision-hash"
    /// In the pod template: a hash of the rendered configuration, so a config change is a new revision.
    public static let configHashAnnotation = "keeper.dev/config-hash"
    /// On every child: a hash of what Keeper last applied (see `ChildSync`).
    public static let desiredHashAnnotation = "keeper.dev/desired-hash"
}

/// ZooKeeper's ports.
public enum Ports {
    public static let client = 2181
    public static let quorum = 2888
    public static let election = 3888
}
