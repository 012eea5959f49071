import Controller
import KubeModel

/// The informer caches a reconcile reads: the clusters, and the objects Keeper owns.
public struct ClusterCaches: Sendable {
    public var clusters: Store<ZookeeperCluster>
    public var services: Store<Service>
    public var configMaps: Store<ConfigMap>
    public var statefulSets: Store<StatefulSet>
    public var podDisruptionBudgets: Store<PodDisruptionBudget>
    public var pods: Store<Pod>

    public init(clusters: Store<ZookeeperCluster>, services: Store<Service>, configMaps: Store<ConfigMap>, statefulSets: Store<StatefulSet>,
                podDisruptionBudgets: Store<PodDisruptionBudget>, pods: Store<Pod>) {
        self.clusters = clusters
        self.services = services
        self.configMaps = configMaps
        self.statefulSets = statefulSets
        self.podDisruptionBudgets = podDisruptionBudgets
        self.pods = pods
    }

    /// Empty stores, for tests that fill them by hand.
    public init() {
        self.init(clusters: Store(), services: Store(), configMaps: Store(), statefulSets: Store(), podDisruptionBudgets: Store(), pods: Store())
    }
}
