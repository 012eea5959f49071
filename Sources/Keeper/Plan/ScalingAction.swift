import Foundation

/// What the scaling planner asks the reconciler to do in this reconcile (one step at most).
public enum ScalingAction: Hashable, Sendable {
    /// The committed voters are `1...desired`, the StatefulSet has that many replicas and no
    /// other member pod is left.
    case done
    /// Set the StatefulSet's `spec.replicas`: one more or one fewer than now.
    case setReplicas(Int, ScalingStep)
    /// `reconfig -add` the member as a participant, conditional on the config version read.
    case addMember(id: Int, name: String, fromVersion: Int64)
    /// `reconfig -remove` the member, conditional on the config version read.
    case removeMember(id: Int, name: String, fromVersion: Int64)
    /// Nothing to do this time; the reason says why.
    case wait(ScalingWait)

    /// A sentence for the `Progressing` condition or an Event.
    public var message: String {
        switch self {
        case .done: "the committed voters match the desired replicas"
        case .setReplicas(let replicas, .grow(let name)): "starting \(name) (StatefulSet to \(replicas) replicas)"
        case .setReplicas(let replicas, .shrink(let name)): "stopping \(name) (StatefulSet to \(replicas) replicas)"
        case .addMember(_, let name, _): "adding \(name) as a voter"
        case .removeMember(_, let name, _): "removing \(name) from the voters"
        case .wait(let reason): reason.message
        }
    }
}

/// Which member pod a StatefulSet resize starts or stops.
public enum ScalingStep: Hashable, Sendable {
    case grow(String)
    case shrink(String)
}

/// Why scaling waits.
public enum ScalingWait: Hashable, Sendable {
    /// The desired replicas are below 1 (the validator rejects this; the planner never plans it).
    case invalidReplicas(Int)
    /// The committed configuration was not read (no single leader answered `conf`).
    case noCommittedConfig
    /// The StatefulSet does not exist yet.
    case noStatefulSet
    /// The pod of a previous shrink is still there.
    case podLeaving(String)
    /// No member says it leads.
    case noLeader
    /// Several members say they lead.
    case multipleLeaders([String])
    /// The step would leave fewer than a quorum of voters serving.
    case quorumWouldBreak(serving: Int, quorum: Int)
    /// The member to add is not yet following and caught up; `missing` says what it lacks.
    case joinerNotSynced(String, missing: [JoinerCheck])
    /// The member whose pod a shrink would stop is an observer in the committed configuration.
    case observerInTheWay(String)

    /// A sentence for the `Progressing` condition.
    public var message: String {
        switch self {
        case .invalidReplicas(let replicas): "\(replicas) replicas: an ensemble needs at least 1"
        case .noCommittedConfig: "the committed configuration could not be read from the leader"
        case .noStatefulSet: "the StatefulSet does not exist yet"
        case .podLeaving(let name): "waiting for the pod \(name) to go"
        case .noLeader: "no member leads: waiting for a leader before changing the voters"
        case .multipleLeaders(let names): "\(names.joined(separator: ", ")) all say they lead: waiting for a single leader"
        case .quorumWouldBreak(let serving, let quorum):
            "\(serving) voters would serve and a quorum is \(quorum): waiting before changing the voters"
        case .joinerNotSynced(let name, let missing):
            "waiting for \(name) to join: " + missing.map(\.message).joined(separator: ", ")
        case .observerInTheWay(let name): "\(name) is an observer: Keeper does not remove observers"
        }
    }
}

/// One thing a member must show before it is added as a voter.
public enum JoinerCheck: Hashable, Sendable {
    /// Its pod exists.
    case pod
    /// Its pod is Ready.
    case ready
    /// `srvr` says `Mode: follower` (a non-voting follower of the committed configuration).
    case following
    /// Its zxid has reached the leader's.
    case caughtUp(memberZxid: Int64?, leaderZxid: Int64?)
    /// The leader reports a synced non-voting follower (`zk_synced_non_voting_followers`).
    case syncedByLeader

    /// What is missing, in words.
    public var message: String {
        switch self {
        case .pod: "a pod"
        case .ready: "a Ready pod"
        case .following: "following the leader"
        case .caughtUp(let member, let leader):
            "zxid \(member.map(BackCheck.hex) ?? "unknown") to reach the leader's \(leader.map(BackCheck.hex) ?? "unknown")"
        case .syncedByLeader: "the leader to report it synced"
        }
    }
}
