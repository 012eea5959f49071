import Controller
import Foundation
import KubeClient
import KubeModel
import Synchronization

extension ZookeeperClusterReconciler {
    struct ChildrenOutcome {
        var statefulSet: StatefulSet?
        var failures: [String] = []
    }

    /// What the children reflect of the membership this reconcile: the StatefulSet grows or
    /// shrinks only by the scaling planner's step (a new ensemble starts at `spec.replicas`;
    /// otherwise the live count stays), new members are seeded with the committed voters, and
    /// the PodDisruptionBudget follows the voters. Where the committed configuration is not
    /// known this time (no single leader answered), the live values stay.
    func ensembleShape(_ plan: EnsembleAction, observation: EnsembleObservation, names: ClusterNames, spec: ResolvedSpec,
                       liveStatefulSet: StatefulSet?) -> EnsembleShape {
        let initial = EnsembleShape.initial(replicas: spec.replicas)
        var replicas = liveStatefulSet?.spec?.replicas ?? initial.statefulSetReplicas
        if case .scale(.setReplicas(let count, _)) = plan { replicas = count }
        let liveSeed = live(caches.configMaps, namespace: names.namespace, name: names.configMap)?.data?[ConfigMapBuilder.membershipKey]
            .map(ConfigMapBuilder.memberIDs(ofMembership:))
        let seed = observation.committed.map { Array($0.voters) } ?? liveSeed ?? initial.seedMemberIDs
        // From the voters Keeper last saw committed (the seed it keeps), never from the live
        // budget: an edit of the budget must not become what Keeper wants.
        let maxUnavailable = PodDisruptionBudgetPolicy.maxUnavailable(voters: seed.count)
        return EnsembleShape(statefulSetReplicas: replicas, seedMemberIDs: seed, maxUnavailable: maxUnavailable)
    }

    /// Applies each child whose live version does not satisfy the desired one.
    func ensureChildren(_ cluster: ZookeeperCluster, names: ClusterNames, liveStatefulSet: StatefulSet?, shape: EnsembleShape) async -> ChildrenOutcome {
        var outcome = ChildrenOutcome()
        let namespace = names.namespace
        let domain = clusterDomain
        await sync(names.headlessService, live: live(caches.services, namespace: namespace, name: names.headlessService), cluster: cluster, outcome: &outcome) {
            (ServiceBuilder.headless(cluster), [])
        }
        await sync(names.clientService, live: live(caches.services, namespace: namespace, name: names.clientService), cluster: cluster, outcome: &outcome) {
            (ServiceBuilder.client(cluster), [])
        }
        await sync(names.podDisruptionBudget, live: live(caches.podDisruptionBudgets, namespace: namespace, name: names.podDisruptionBudget),
                   cluster: cluster, shape: shape, outcome: &outcome) {
            (PodDisruptionBudgetBuilder.build(cluster, shape: shape), [])
        }
        await sync(names.configMap, live: live(caches.configMaps, namespace: namespace, name: names.configMap), cluster: cluster, shape: shape, outcome: &outcome) {
            (ConfigMapBuilder.build(cluster, clusterDomain: domain, shape: shape), [])
        }
        let applied = await sync(names.statefulSet, live: liveStatefulSet, cluster: cluster, shape: shape, outcome: &outcome) {
            var desired = StatefulSetBuilder.build(cluster, clusterDomain: domain, shape: shape)
            let notes = liveStatefulSet.map { StatefulSetImmutables.carryOver(from: $0, into: &desired) } ?? []
            return (desired, notes)
        }
        if let applied { outcome.statefulSet = applied }
        return outcome
    }

    /// Applies the child `build` describes when needed; returns the object the server
    /// returned, if it applied. `build` also returns notes on what cannot take effect.
    @discardableResult
    func sync<T: KubeObject>(_ name: String, live: T?, cluster: ZookeeperCluster, shape: EnsembleShape? = nil, outcome: inout ChildrenOutcome,
                             build: () -> (desired: T, notes: [String])) async -> T? {
        let what = "\(T.resourceType.kind) \(name)"
        let namespace = cluster.namespace ?? "default"
        if let live, !live.isControlled(by: cluster) {
            outcome.failures.append("\(what) exists and is not controlled by this ZookeeperCluster; Keeper leaves it alone")
            return nil
        }
        let fingerprint = satisfiedChildren.fingerprint(cluster, live: live, shape: shape)
        if satisfiedChildren.isSatisfied(T.self, namespace: namespace, name: name, by: fingerprint) { return nil }
        let (desired, notes) = build()
        outcome.failures += notes
        do {
            let stamped = try ChildSync.stamped(desired)
            guard try ChildSync.needsApply(live: live, desired: stamped) else {
                // With notes the outcome is not only "satisfied": compare again next time so
                // they are reported again.
                if notes.isEmpty { satisfiedChildren.remember(T.self, namespace: namespace, name: name, satisfiedBy: fingerprint) }
                return nil
            }
            var applied: T
            do {
                applied = try await api.apply(stamped)
            } catch where live != nil && ChildSync.isInvalid(error) {
                // Server-side apply keeps list entries another manager owns (an edited port)
                // next to Keeper's, and the server may refuse the merged object (two ports
                // named "client"): a merge patch replaces Keeper's lists whole.
                applied = try await api.mergePatch(stamped)
            }
            if live != nil, try ChildSync.needsApply(live: applied, desired: stamped) {
                // The apply kept another manager's entries and the result was valid: again a
                // merge patch replaces the lists.
                applied = try await api.mergePatch(stamped)
            }
            recentWrites.record(applied, replacing: live)
            if live != nil {
                await events?.record(.normal, reason: "Updated", message: "Updated \(what) to match the spec", about: cluster)
            } else if cluster.status != nil {
                // The cluster has been reconciled before, so the child was deleted by someone.
                await events?.record(.normal, reason: "Restored", message: "Created \(what), which was missing", about: cluster)
            }
            return applied
        } catch {
            outcome.failures.append("\(what): \(error)")
            return nil
        }
    }

    /// Makes sure the cluster's superuser Secret exists (once per cluster and Keeper process:
    /// a read, and a create when it is missing). Returns failures to report.
    func ensureSuperuserSecret(_ cluster: ZookeeperCluster, names: ClusterNames) async -> [String] {
        guard let uid = cluster.metadata.uid, !knownSecrets.contains(uid) else { return [] }
        do {
            let secret = try await existingOrNewSecret(cluster, names: names)
            guard secret.isControlled(by: cluster) else {
                return ["Secret \(names.superuserSecret) exists and is not controlled by this ZookeeperCluster; Keeper leaves it alone"]
            }
            knownSecrets.insert(uid)
            return []
        } catch {
            return ["Secret \(names.superuserSecret): \(error)"]
        }
    }

    func existingOrNewSecret(_ cluster: ZookeeperCluster, names: ClusterNames) async throws -> Secret {
        do {
            return try await api.secret(namespace: names.namespace, name: names.superuserSecret)
        } catch let error as KubeError where error.isNotFound {
            do {
                return try await api.create(SuperuserSecret.build(cluster))
            } catch let error as KubeError where error.isAlreadyExists {
                return try await api.secret(namespace: names.namespace, name: names.superuserSecret)
            }
        }
    }
}

/// The uids of clusters whose superuser Secret is known to exist.
final class KnownSecrets: Sendable {
    private let uids = Mutex<Set<String>>([])
    func contains(_ uid: String) -> Bool { uids.withLock { $0.contains(uid) } }
    func insert(_ uid: String) { _ = uids.withLock { $0.insert(uid) } }
}

/// The last restart of each finished rollout whose completion was announced (by the evicted
/// pod's uid), so the Event is recorded once while the status still shows the record; and each
/// leader's hand-off (`hand-off/<pod uid>`), announced before a `reconfig` that may be retried.
final class AnnouncedRollouts: Sendable {
    private let uids = Mutex<Set<String>>([])

    /// True the first time `podUID` is seen.
    func firstAnnouncement(of podUID: String) -> Bool {
        uids.withLock { uids in
            if uids.count > 10_000 { uids.removeAll() }
            return uids.insert(podUID).inserted
        }
    }
}
