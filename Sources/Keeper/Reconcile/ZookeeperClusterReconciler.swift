import Controller
import Foundation
import KubeClient
import KubeModel
import ZooKeeperClient

/// Brings the children of one ZookeeperCluster in line with its spec and reports what it
/// sees: read caches (and Keeper's own recent writes) → validate → ensure children (apply only
/// when needed) → observe members → compute status → write it once it has settled.
///
/// Restarts and scaling planners come later: members whose pods run an outdated revision
/// are reported (`upToDate: false`, `Progressing=True MembersOutdated`), never restarted here.
public struct ZookeeperClusterReconciler: Reconciler {
    public let caches: ClusterCaches
    public let api: any KeeperAPI
    public let events: EventRecorder?
    public let prober: any MemberProber
    public let clusterDomain: String
    public let now: @Sendable () -> Date
    /// Writes the caches may not show yet; shared by all workers of one operator.
    public let recentWrites: RecentWrites
    /// Children already compared and found as wanted, so a converged reconcile skips them.
    public let satisfiedChildren = SatisfiedChildren()
    /// When a changed status is written (see `StatusDebouncer`).
    private let statusGate: StatusWriteGate
    /// How soon to look again while the ensemble is not converged (roles change without any
    /// Kubernetes event), and when it is.
    public var unsettledRequeue: Duration = .seconds(5)
    public var settledRequeue: Duration = .seconds(60)

    public init(caches: ClusterCaches, api: any KeeperAPI, events: EventRecorder?, prober: any MemberProber = FourLetterWordProber(),
                clusterDomain: String = "cluster.local", recentWrites: RecentWrites = RecentWrites(),
                statusQuietPeriod: TimeInterval = 1, now: @escaping @Sendable () -> Date = { Date() }) {
        self.caches = caches
        self.api = api
        self.events = events
        self.prober = prober
        self.clusterDomain = clusterDomain
        self.recentWrites = recentWrites
        self.statusGate = StatusWriteGate(StatusDebouncer(quietPeriod: statusQuietPeriod, maximumDelay: 5 * statusQuietPeriod,
                                                                     settlingDelay: 15 * statusQuietPeriod))
        self.now = now
    }

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileAction {
        guard let cluster = recentWrites.current(caches.clusters.get(key), namespace: key.namespace, name: key.name),
              cluster.metadata.deletionTimestamp == nil else {
            // Gone or going: garbage collection removes the children through their owner references.
            statusGate.forget(key)
            satisfiedChildren.forgetChildren(of: ClusterNames(cluster: key.name, namespace: key.namespace ?? "default"))
            return .done
        }
        let names = ClusterNames(cluster)
        let problems = SpecValidator.validate(cluster)
        var liveStatefulSet = live(caches.statefulSets, namespace: names.namespace, name: names.statefulSet)
        var writeFailures: [String] = []
        var templateConfigHash = liveStatefulSet?.spec?.template?.metadata?.annotations?[Labels.configHashAnnotation]

        if problems.isEmpty {
            let outcome = await ensureChildren(cluster, names: names, liveStatefulSet: liveStatefulSet)
            writeFailures = outcome.failures
            liveStatefulSet = outcome.statefulSet ?? liveStatefulSet
            templateConfigHash = ConfigMapBuilder.configHash(ResolvedSpec(cluster.spec))
        } else if cluster.status?.condition(ConditionSet.degraded)?.message != problems.joined(separator: "; ") {
            // Once per distinct problem: a resync of an unchanged invalid spec writes nothing.
            await events?.record(.warning, reason: "InvalidSpec", message: problems.joined(separator: "; "), about: cluster)
        }

        let pods = memberPods(names, statefulSet: liveStatefulSet)
        let roles = await probeRoles(pods)
        let status = StatusCalculator.status(StatusInput(
            cluster: cluster, statefulSet: liveStatefulSet, pods: pods, roles: roles, templateConfigHash: templateConfigHash,
            specProblems: problems, writeFailures: writeFailures, now: now()))
        var statusDue: Duration?
        switch statusGate.decide(key, computed: status, stored: cluster.status, settling: Self.podsPending(liveStatefulSet, pods: pods), now: now()) {
        case .upToDate:
            break
        case .write(let settledStatus):
            var updated = cluster
            updated.status = settledStatus
            recentWrites.record(try await api.updateStatus(updated), replacing: cluster)
        case .wait(let seconds):
            statusDue = .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        if !writeFailures.isEmpty {
            throw ReconcileError.childWritesFailed(writeFailures)
        }
        let settled = status.condition(ConditionSet.available)?.status == "True" && status.condition(ConditionSet.progressing)?.status == "False"
        let next = settled ? settledRequeue : unsettledRequeue
        return .requeue(after: statusDue.map { min($0, next) } ?? next)
    }

    /// The pods of the StatefulSet that carry the member labels: found through the cache's
    /// owner index rather than by scanning every pod of the namespace (with 1000 clusters the
    /// scan was most of a reconcile). Without a StatefulSet, by labels.
    func memberPods(_ names: ClusterNames, statefulSet: StatefulSet?) -> [Pod] {
        let selector = names.selectorLabels
        guard let uid = statefulSet?.metadata.uid else {
            return caches.pods.list(namespace: names.namespace, matchingLabels: selector)
        }
        return caches.pods.list(controlledBy: uid).filter { pod in
            let labels = pod.metadata.labels ?? [:]
            return pod.metadata.namespace == names.namespace && selector.allSatisfy { labels[$0.key] == $0.value }
        }
    }

    /// Whether the StatefulSet controller has yet to act on the StatefulSet: it has not seen
    /// its latest generation or has not created every pod, so the status will change again.
    static func podsPending(_ statefulSet: StatefulSet?, pods: [Pod]) -> Bool {
        guard let statefulSet else { return false }
        if let observed = statefulSet.status?.observedGeneration, let generation = statefulSet.metadata.generation, observed < generation {
            return true
        }
        return pods.count < (statefulSet.spec?.replicas ?? 1)
    }

    struct ChildrenOutcome {
        var statefulSet: StatefulSet?
        var failures: [String] = []
    }

    /// Applies each child whose live version does not satisfy the desired one.
    func ensureChildren(_ cluster: ZookeeperCluster, names: ClusterNames, liveStatefulSet: StatefulSet?) async -> ChildrenOutcome {
        var outcome = ChildrenOutcome()
        let namespace = names.namespace
        let domain = clusterDomain
        await sync(names.headlessService, live: live(caches.services, namespace: namespace, name: names.headlessService), cluster: cluster, outcome: &outcome) {
            (ServiceBuilder.headless(cluster), [])
        }
        await sync(names.clientService, live: live(caches.services, namespace: namespace, name: names.clientService), cluster: cluster, outcome: &outcome) {
            (ServiceBuilder.client(cluster), [])
        }
        await sync(names.podDisruptionBudget, live: live(caches.podDisruptionBudgets, namespace: namespace, name: names.podDisruptionBudget), cluster: cluster, outcome: &outcome) {
            (PodDisruptionBudgetBuilder.build(cluster), [])
        }
        await sync(names.configMap, live: live(caches.configMaps, namespace: namespace, name: names.configMap), cluster: cluster, outcome: &outcome) {
            (ConfigMapBuilder.build(cluster, clusterDomain: domain), [])
        }
        let applied = await sync(names.statefulSet, live: liveStatefulSet, cluster: cluster, outcome: &outcome) {
            var desired = StatefulSetBuilder.build(cluster, clusterDomain: domain)
            let notes = liveStatefulSet.map { StatefulSetImmutables.carryOver(from: $0, into: &desired) } ?? []
            return (desired, notes)
        }
        if let applied { outcome.statefulSet = applied }
        return outcome
    }

    /// Applies the child `build` describes when needed; returns the object the server
    /// returned, if it applied. `build` also returns notes on what cannot take effect.
    @discardableResult
    func sync<T: KubeObject>(_ name: String, live: T?, cluster: ZookeeperCluster, outcome: inout ChildrenOutcome,
                             build: () -> (desired: T, notes: [String])) async -> T? {
        let what = "\(T.resourceType.kind) \(name)"
        let namespace = cluster.namespace ?? "default"
        if let live, !live.isControlled(by: cluster) {
            outcome.failures.append("\(what) exists and is not controlled by this ZookeeperCluster; Keeper leaves it alone")
            return nil
        }
        let fingerprint = satisfiedChildren.fingerprint(cluster, live: live)
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

    /// The cached object, or Keeper's own newer write of it.
    func live<T: KubeObject>(_ store: Store<T>, namespace: String, name: String) -> T? {
        recentWrites.current(store.get(ObjectKey(namespace: namespace, name: name)), namespace: namespace, name: name)
    }

    /// Asks every member pod with an address for its role, all at once.
    func probeRoles(_ pods: [Pod]) async -> [String: ZooKeeperRole] {
        let prober = self.prober
        return await withTaskGroup(of: (String, ZooKeeperRole).self) { group in
            for pod in pods where pod.metadata.deletionTimestamp == nil {
                guard let ip = pod.status?.podIP, !ip.isEmpty else { continue }
                let name = pod.name
                group.addTask { (name, await prober.role(host: ip, port: Ports.client)) }
            }
            var roles: [String: ZooKeeperRole] = [:]
            for await (name, role) in group { roles[name] = role }
            return roles
        }
    }
}

/// Why a reconcile failed (it is retried with backoff).
public enum ReconcileError: Error, Sendable, Equatable, CustomStringConvertible {
    case childWritesFailed([String])

    public var description: String {
        switch self {
        case .childWritesFailed(let failures): return "could not reconcile children: " + failures.joined(separator: "; ")
        }
    }
}

extension KubeObject {
    /// Whether `cluster` is this object's controller owner.
    func isControlled(by cluster: ZookeeperCluster) -> Bool {
        metadata.ownerReferences?.contains { $0.controller == true && $0.uid == cluster.metadata.uid && $0.kind == cluster.kind } == true
    }
}
