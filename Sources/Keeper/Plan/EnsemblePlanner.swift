import Foundation

/// The one thing Keeper does to an ensemble in a reconcile: a rollout step, a scaling step or
/// nothing. A resize and a rollout never run at once.
public enum EnsembleAction: Hashable, Sendable {
    case rollout(RolloutAction)
    case scale(ScalingAction)
    case idle(IdleReason)

    /// Whether the status keeps its `RestartRecord` (see `RolloutAction.keepsRecord`).
    public var keepsRecord: Bool {
        if case .rollout(let action) = self { action.keepsRecord } else { false }
    }

    /// A sentence for a condition or an Event.
    public var message: String {
        switch self {
        case .rollout(let action): action.message
        case .scale(let action): action.message
        case .idle(let reason): reason.message
        }
    }
}

/// Why Keeper leaves the ensemble alone.
public enum IdleReason: Hashable, Sendable {
    /// The spec does not validate: no rollout or resize starts.
    case invalidSpec
    /// Every member runs the update revision and the voters are the desired ones.
    case converged

    public var message: String {
        switch self {
        case .invalidSpec: "the spec is invalid: no restart or resize starts until it is fixed"
        case .converged: "every member runs the update revision and the voters are the desired ones"
        }
    }
}

/// Chooses between the rollout and the scaling planner, one action per reconcile.
public enum EnsemblePlanner {
    /// The one action for this reconcile. In order: a restart in flight (the member restarted
    /// last is not back) and a leader's hand-off in flight go on even when the spec is
    /// invalid; an invalid spec starts nothing; a scaling step in flight goes on; outdated
    /// members are restarted; the voters are resized.
    ///
    /// One exception keeps a broken member from blocking a resize forever: when the scaling
    /// step in flight waits and the rollout would restart a member that does not serve (onto
    /// the update revision, which cannot lower the serving count), the rollout goes first.
    public static func plan(_ o: EnsembleObservation, desiredReplicas: Int, record: RestartRecord?, now: Date,
                            memberTimeout: TimeInterval, specIsValid: Bool) -> EnsembleAction {
        let rollout = RolloutPlanner.plan(o, record: record, now: now, memberTimeout: memberTimeout)
        if rollout.keepsRecord { return .rollout(rollout) }
        // A leader handed off is restarted and made a voter again before anything else (a
        // resize would otherwise take the observer for a member to add).
        if RolloutPlanner.handedOffMember(o) != nil { return .rollout(rollout) }
        guard specIsValid else { return .idle(.invalidSpec) }
        let scaling = ScalingPlanner.plan(o, desiredReplicas: desiredReplicas)
        if scalingInFlight(o, desiredReplicas: desiredReplicas) {
            if case .wait = scaling, case .restart(let step) = rollout, step.role == .notServing { return .rollout(rollout) }
            return .scale(scaling)
        }
        if o.members.contains(where: \.isOutdated) { return .rollout(rollout) }
        return scaling == .done ? .idle(.converged) : .scale(scaling)
    }

    /// A resize has started and is not finished: a voter above the desired size, a StatefulSet
    /// larger than it, a member pod the StatefulSet no longer wants, or (while growing) a pod
    /// for a member that is not a voter yet.
    static func scalingInFlight(_ o: EnsembleObservation, desiredReplicas d: Int) -> Bool {
        guard let committed = o.committed, let replicas = o.statefulSetReplicas else { return false }
        if committed.voters.contains(where: { $0 > d }) || replicas > d { return true }
        if o.members.contains(where: { $0.pod != nil && $0.ordinal >= replicas }) { return true }
        guard d > committed.voters.count else { return false }
        return replicas > (committed.voters.max() ?? 0)
            || o.members.contains { $0.pod != nil && !committed.voters.contains($0.id) }
    }
}
