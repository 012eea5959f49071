import KubeModel

/// How far the StatefulSet controller has got with creating a cluster's member pods, as
/// Keeper's caches show it. The status debounce holds a changed status only while the
/// controller is still due to act (`controllerBehind`); a controller that has acted and still
/// left pods missing (`stalled`: a refused pod, a quota) will not change the status by itself,
/// so the status is written at once and says so.
///
/// The controller creates the pods of a sync first and writes the StatefulSet's status last
/// (`StatefulSetControl.UpdateStatefulSet` in kubernetes/kubernetes
/// `pkg/controller/statefulset/stateful_set_control.go`, `updateStatefulSetStatus` after
/// `updateStatefulSet`): `status.observedGeneration` at the set's generation with fewer pods
/// than `spec.replicas` means the last sync could not create them.
public enum PodCreation: Equatable, Sendable {
    /// Every wanted pod exists (or there is no StatefulSet to wait for).
    case complete
    /// The controller has not synced the latest generation yet, or reports pods Keeper's pod
    /// cache does not show yet: the status will change on its own soon.
    case controllerBehind(existing: Int, wanted: Int)
    /// The controller synced the latest generation and fewer pods exist than wanted.
    case stalled(existing: Int, wanted: Int)

    /// `memberPods`: the member pods Keeper sees.
    public static func of(_ statefulSet: StatefulSet?, memberPods: Int) -> PodCreation {
        guard let statefulSet else { return .complete }
        let wanted = statefulSet.spec?.replicas ?? 1
        guard let observed = statefulSet.status?.observedGeneration else {
            // No status yet: the controller has not synced the set at all.
            return memberPods < wanted ? .controllerBehind(existing: memberPods, wanted: wanted) : .complete
        }
        if let generation = statefulSet.metadata.generation, observed < generation {
            return .controllerBehind(existing: memberPods, wanted: wanted)
        }
        guard memberPods < wanted else { return .complete }
        // The controller counted pods the pod cache has not delivered yet.
        if (statefulSet.status?.replicas ?? 0) > memberPods { return .controllerBehind(existing: memberPods, wanted: wanted) }
        return .stalled(existing: memberPods, wanted: wanted)
    }

    /// Whether the status is known to change again without anything else happening.
    public var isSettling: Bool {
        if case .controllerBehind = self { return true }
        return false
    }
}
