import KubeModel
import Synchronization

/// Children already found to satisfy their desired state, so that a reconcile of a converged
/// cluster need not rebuild, encode and compare them again.
///
/// What Keeper wants of a child depends only on the cluster's spec (its `generation`), its
/// identity (`uid`), the membership the children reflect (`EnsembleShape`: replicas, seed,
/// disruption budget) and, for the StatefulSet, the live object's immutable fields; what the
/// child is depends only on its `resourceVersion`. When none of these moved since the last
/// comparison said "satisfied", the answer is the same: building and comparing the five
/// children was most of a converged reconcile's CPU time.
public final class SatisfiedChildren: Sendable {
    struct Fingerprint: Hashable {
        var clusterUID: String?
        var clusterGeneration: Int64?
        var liveVersion: String
        var shape: String?
    }

    private let known = Mutex<[String: Fingerprint]>([:])

    public init() {}

    func fingerprint<T: KubeObject>(_ cluster: ZookeeperCluster, live: T?, shape: EnsembleShape? = nil) -> Fingerprint? {
        guard let version = live?.metadata.resourceVersion else { return nil }
        return Fingerprint(clusterUID: cluster.metadata.uid, clusterGeneration: cluster.metadata.generation, liveVersion: version,
                           shape: shape?.fingerprint)
    }

    func isSatisfied<T: KubeObject>(_ type: T.Type, namespace: String, name: String, by fingerprint: Fingerprint?) -> Bool {
        guard let fingerprint else { return false }
        return known.withLock { $0[Self.key(T.self, namespace: namespace, name: name)] == fingerprint }
    }

    func remember<T: KubeObject>(_ type: T.Type, namespace: String, name: String, satisfiedBy fingerprint: Fingerprint?) {
        known.withLock { $0[Self.key(T.self, namespace: namespace, name: name)] = fingerprint }
    }

    /// Forgets the children of a cluster that is gone.
    func forgetChildren(of names: ClusterNames) {
        let keys = [
            Self.key(Service.self, namespace: names.namespace, name: names.headlessService),
            Self.key(Service.self, namespace: names.namespace, name: names.clientService),
            Self.key(PodDisruptionBudget.self, namespace: names.namespace, name: names.podDisruptionBudget),
            Self.key(ConfigMap.self, namespace: names.namespace, name: names.configMap),
            Self.key(StatefulSet.self, namespace: names.namespace, name: names.statefulSet),
        ]
        known.withLock { known in
            for key in keys { known[key] = nil }
        }
    }

    /// How many children are remembered (for tests).
    var count: Int { known.withLock { $0.count } }

    private static func key<T: KubeObject>(_ type: T.Type, namespace: String, name: String) -> String {
        "\(T.resourceType.kind)/\(namespace)/\(name)"
    }
}
