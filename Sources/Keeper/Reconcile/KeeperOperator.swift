import Controller
import Foundation
import KubeClient
import KubeModel
import Synchronization

/// The running operator: informers for ZookeeperClusters and the objects Keeper owns, a
/// controller loop reconciling each cluster, and (optionally) leader election.
public final class KeeperOperator: Sendable {
    public struct Options: Sendable {
        /// Namespaces to watch; empty means all.
        public var namespaces: [String]
        public var concurrency: Int
        public var resyncPeriod: Duration
        public var clusterDomain: String
        /// The Lease to hold while reconciling; nil runs without leader election.
        public var leaderElection: LeaderElector.Configuration?

        public init(namespaces: [String] = [], concurrency: Int = 4, resyncPeriod: Duration = .seconds(300), clusterDomain: String = "cluster.local",
                    leaderElection: LeaderElector.Configuration? = nil) {
            self.namespaces = namespaces
            self.concurrency = concurrency
            self.resyncPeriod = resyncPeriod
            self.clusterDomain = clusterDomain
            self.leaderElection = leaderElection
        }
    }

    /// The label every object Keeper creates carries: the owned-object informers watch only these.
    public static let ownedSelector = "\(Labels.managedBy)=\(Labels.keeper)"

    public let loop: ControllerLoop<ZookeeperCluster>
    public let reconciler: ZookeeperClusterReconciler
    private let client: KubeClient
    private let options: Options
    private let log: ControllerLog
    /// The elector while `run()` campaigns or leads (with leader election on).
    private let elector = Mutex<LeaderElector?>(nil)

    public init(client: KubeClient, options: Options = Options(), prober: any MemberProber = FourLetterWordProber(),
                admin: any EnsembleAdmin = ZooKeeperEnsembleAdmin(), log: @escaping ControllerLog = { _ in }) {
        self.client = client
        self.options = options
        self.log = log
        let namespaces = options.namespaces.isEmpty ? nil : options.namespaces
        let compaction = CacheCompaction()
        let clusters = Informer<ZookeeperCluster>(client: client, namespaces: namespaces, transform: compaction.compact)
        let services = Informer<Service>(client: client, namespaces: namespaces, labelSelector: Self.ownedSelector, transform: compaction.compact)
        let configMaps = Informer<ConfigMap>(client: client, namespaces: namespaces, labelSelector: Self.ownedSelector, transform: compaction.compact)
        let statefulSets = Informer<StatefulSet>(client: client, namespaces: namespaces, labelSelector: Self.ownedSelector, transform: compaction.compact)
        let budgets = Informer<PodDisruptionBudget>(client: client, namespaces: namespaces, labelSelector: Self.ownedSelector, transform: compaction.compact)
        let pods = Informer<Pod>(client: client, namespaces: namespaces, labelSelector: Self.ownedSelector, transform: compaction.compact)
        let caches = ClusterCaches(clusters: clusters.store, services: services.store, configMaps: configMaps.store,
                                   statefulSets: statefulSets.store, podDisruptionBudgets: budgets.store, pods: pods.store)
        let recentWrites = RecentWrites()
        clusters.addHandler { recentWrites.observe($0) }
        services.addHandler { recentWrites.observe($0) }
        configMaps.addHandler { recentWrites.observe($0) }
        statefulSets.addHandler { recentWrites.observe($0) }
        budgets.addHandler { recentWrites.observe($0) }
        reconciler = ZookeeperClusterReconciler(caches: caches, api: KubeClientKeeperAPI(client: client),
                                                events: EventRecorder(sink: KubeEventSink(client: client), component: "keeper", log: log),
                                                prober: prober, admin: admin, clusterDomain: options.clusterDomain, recentWrites: recentWrites)
        loop = ControllerLoop(primary: clusters, reconciler: reconciler,
                              configuration: .init(name: "zookeepercluster", concurrency: options.concurrency, resyncPeriod: options.resyncPeriod),
                              log: log)
        loop.owns(services)
        loop.owns(configMaps)
        loop.owns(statefulSets)
        loop.owns(budgets)
        // Pods belong to the StatefulSet, not to the cluster: map them by their instance label.
        loop.watches(pods) { pod in
            guard let instance = pod.metadata.labels?[Labels.instance] else { return [] }
            return [ObjectKey(namespace: pod.metadata.namespace, name: instance)]
        }
    }

    /// What `/readyz` reports: every cache synced, or, with leader election, standing by
    /// without the Lease. A standby is ready to take over (its Deployment counts it available,
    /// so a rolling update of two replicas can proceed), as controller-runtime's managers are;
    /// only a leader whose caches are still filling is not.
    public var isReady: Bool {
        if loop.hasSynced { return true }
        return elector.withLock { $0.map { !$0.isLeader } ?? false }
    }

    /// Runs until the calling task is cancelled; in-flight reconciles finish first. Returns
    /// false when leadership was lost (the process should exit and restart).
    public func run() async -> Bool {
        guard let election = options.leaderElection else {
            await loop.run()
            return true
        }
        let elector = LeaderElector(client: client, configuration: election, log: log)
        self.elector.withLock { $0 = elector }
        let loop = self.loop
        let outcome = await elector.run { await loop.run() }
        return outcome != .lostLeadership
    }
}
