import Controller
import Foundation
import KubeClient
import KubeModel
import ZooKeeperClient

/// Brings one ZookeeperCluster in line with its spec and reports what it sees, in four steps:
/// **observe** (caches, Keeper's own recent writes, and one `EnsembleObservation` of the
/// servers) → **plan** (`EnsemblePlanner`, pure: one rollout or scaling step at most) →
/// **act** (apply the children that differ, evict a member or `reconfig` one) → **status**
/// (computed once, written once it has settled).
public struct ZookeeperClusterReconciler: Reconciler {
    public let caches: ClusterCaches
    public let api: any KeeperAPI
    public let events: EventRecorder?
    public let observer: EnsembleObserver
    public let admin: any EnsembleAdmin
    public let clusterDomain: String
    public let now: @Sendable () -> Date
    /// Writes the caches may not show yet; shared by all workers of one operator.
    public let recentWrites: RecentWrites
    /// Children already compared and found as wanted, so a converged reconcile skips them.
    public let satisfiedChildren = SatisfiedChildren()
    /// Superuser Secrets known to exist (by cluster uid), so each is read or created once.
    let knownSecrets = KnownSecrets()
    /// Rollout completions and hand-offs already announced with an Event.
    let announcedRollouts = AnnouncedRollouts()
    /// When a changed status is written (see `StatusDebouncer`).
    private let statusGate: StatusWriteGate
    /// How soon to look again while a rollout or resize step is under way (members change
    /// role and sync without any Kubernetes event), while the ensemble is otherwise not
    /// converged, and when it is.
    public var stepRequeue: Duration = .milliseconds(250)
    public var unsettledRequeue: Duration = .seconds(5)
    public var settledRequeue: Duration = .seconds(60)

    public init(caches: ClusterCaches, api: any KeeperAPI, events: EventRecorder?, prober: any MemberProber = FourLetterWordProber(),
                admin: any EnsembleAdmin = ZooKeeperEnsembleAdmin(), clusterDomain: String = "cluster.local",
                recentWrites: RecentWrites = RecentWrites(), statusQuietPeriod: TimeInterval = 1, now: @escaping @Sendable () -> Date = { Date() }) {
        self.caches = caches
        self.api = api
        self.events = events
        self.observer = EnsembleObserver(prober: prober)
        self.admin = admin
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
        // Observe.
        let names = ClusterNames(cluster)
        let spec = ResolvedSpec(cluster.spec)
        let problems = SpecValidator.validate(cluster)
        var liveStatefulSet = live(caches.statefulSets, namespace: names.namespace, name: names.statefulSet)
        let templateConfigHash = problems.isEmpty ? ConfigMapBuilder.configHash(spec)
            : liveStatefulSet?.spec?.template?.metadata?.annotations?[Labels.configHashAnnotation]
        let pods = memberPods(names, statefulSet: liveStatefulSet)
        let observation = await observer.observe(names, pods: pods, statefulSet: liveStatefulSet, templateConfigHash: templateConfigHash)

        // Plan (pure).
        let plan = EnsemblePlanner.plan(observation, desiredReplicas: spec.replicas, record: cluster.status?.restart, now: now(),
                                        memberTimeout: TimeInterval(spec.memberTimeoutSeconds), specIsValid: problems.isEmpty)
        let shape = ensembleShape(plan, observation: observation, names: names, spec: spec, liveStatefulSet: liveStatefulSet)

        // Act.
        var failures: [String] = []
        var appliedStatefulSet = false
        if problems.isEmpty {
            failures += await ensureSuperuserSecret(cluster, names: names)
            let outcome = await ensureChildren(cluster, names: names, liveStatefulSet: liveStatefulSet, shape: shape)
            failures += outcome.failures
            liveStatefulSet = outcome.statefulSet ?? liveStatefulSet
            appliedStatefulSet = outcome.statefulSet != nil
        } else if cluster.status?.condition(ConditionSet.degraded)?.message != problems.joined(separator: "; ") {
            // Once per distinct problem: a resync of an unchanged invalid spec writes nothing.
            await events?.record(.warning, reason: "InvalidSpec", message: problems.joined(separator: "; "), about: cluster)
        }
        // A restart waits until the StatefulSet controller has taken up the template just
        // applied: a pod evicted before that would come back on the old revision.
        let observedGeneration = liveStatefulSet?.status?.observedGeneration ?? liveStatefulSet?.metadata.generation
        let templateTakenUp = !appliedStatefulSet && (observedGeneration ?? 0) >= (liveStatefulSet?.metadata.generation ?? 0)
        let step = await carryOut(plan, cluster: cluster, names: names, observation: observation, templateTakenUp: templateTakenUp)
        failures += step.failures

        // Status, once.
        let creationFailure = await podCreationFailure(cluster, statefulSet: liveStatefulSet, pods: pods)
        let status = StatusCalculator.status(StatusInput(
            cluster: cluster, statefulSet: liveStatefulSet, observation: observation, progress: step.progress, restart: step.record,
            halted: step.halted, specProblems: problems, writeFailures: failures, podCreationFailure: creationFailure, now: now()))
        var statusDue: Duration?
        let stored = step.writtenStatus ?? cluster.status
        // A refused pod is news now, not a pod on its way: no settling delay.
        let settling = PodCreation.of(liveStatefulSet, memberPods: pods.count).isSettling && creationFailure == nil
        switch statusGate.decide(key, computed: status, stored: stored, settling: settling, now: now()) {
        case .upToDate:
            break
        case .write(let settledStatus):
            var updated = step.writtenCluster ?? cluster
            updated.status = settledStatus
            recentWrites.record(try await api.updateStatus(updated), replacing: step.writtenCluster ?? cluster)
        case .wait(let seconds):
            statusDue = .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        if !failures.isEmpty {
            throw ReconcileError.childWritesFailed(failures)
        }
        let settled = status.condition(ConditionSet.available)?.status == "True" && status.condition(ConditionSet.progressing)?.status == "False"
        let next = step.progress != nil ? stepRequeue : settled ? settledRequeue : unsettledRequeue
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

    /// Only while member pods are missing: the StatefulSet controller's latest `FailedCreate`
    /// (one `list` of the set's FailedCreate Events), recorded as a Warning Event on the cluster
    /// when the status does not show it yet.
    func podCreationFailure(_ cluster: ZookeeperCluster, statefulSet: StatefulSet?, pods: [Pod]) async -> PodCreationFailure? {
        guard let statefulSet, let uid = statefulSet.metadata.uid, pods.count < (statefulSet.spec?.replicas ?? 1),
              let events = try? await api.events(namespace: ClusterNames(cluster).namespace, fieldSelector: PodCreationFailure.fieldSelector(statefulSetUID: uid)),
              let failure = PodCreationFailure.latest(in: events, pods: pods) else { return nil }
        if cluster.status?.condition(ConditionSet.progressing)?.message.hasSuffix(failure.message) != true {
            await self.events?.record(.warning, reason: "FailedCreate", message: failure.message, about: cluster)
        }
        return failure
    }

    /// The cached object, or Keeper's own newer write of it.
    func live<T: KubeObject>(_ store: Store<T>, namespace: String, name: String) -> T? {
        recentWrites.current(store.get(ObjectKey(namespace: namespace, name: name)), namespace: namespace, name: name)
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
