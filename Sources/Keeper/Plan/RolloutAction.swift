import Foundation

/// What the rollout planner asks the reconciler to do in this reconcile (one step at most).
public enum RolloutAction: Hashable, Sendable {
    /// No member runs an outdated revision and no restart is pending.
    case done
    /// Evict this member's pod now (after writing the step's `RestartRecord` to the status).
    case restart(RestartStep)
    /// The leader's turn: make it an observer first (`reconfig`, conditional on the version).
    /// ZooKeeper then hands leadership to a member of the new configuration without a full
    /// election (`Leader.getDesignatedLeader`), and the observer is restarted at no cost to
    /// the quorum: `keeper-bench leader-turn` measured a shorter write outage this way.
    /// Once the `reconfig` succeeded, the reconciler carries out `then` at once: the observer
    /// has no vote, so its restart need not wait out the election its hand-off started (that
    /// wait was most of the hand-off's cost in `keeper-bench rollout`). When the answer is lost
    /// (the leader may drop the connection as it steps down), the next observation finds the
    /// committed observer and `finishHandOff` restarts it.
    case handOff(RoleChange, then: RestartStep)
    /// The member handed off is back on the update revision, in sync without a vote (observing,
    /// or following if it lost its volume): make it a voter again (`reconfig`, conditional on
    /// the version).
    case rejoin(RoleChange)
    /// Nothing to do this time; the reason says why.
    case wait(RolloutWait)
    /// The restarted member is not back within the member timeout: no further restarts until
    /// it recovers or the spec changes (a new update revision).
    case halt(member: String, RolloutWait)

    /// Whether the reconciler keeps the status' `RestartRecord` as it is: while the restarted
    /// member is not back (waiting or halted). `.restart` replaces it with the step's record;
    /// every other action clears it.
    public var keepsRecord: Bool {
        switch self {
        case .wait(.restartedMemberNotBack), .wait(.handedOffMemberNotSynced), .halt, .rejoin: true
        case .done, .restart, .handOff, .wait: false
        }
    }

    /// A sentence for the `Progressing`/`Degraded` condition or an Event.
    public var message: String {
        switch self {
        case .done: "every member runs the update revision"
        case .restart(let step): step.message
        case .handOff(let change, _): "handing leadership off: \(change.member) (leader) becomes an observer before its restart"
        case .rejoin(let change): "\(change.member) is back in sync without a vote: making it a voter again"
        case .wait(let reason): reason.message
        case .halt(let member, let reason): "rollout halted: \(member) is not back within the member timeout; \(reason.message)"
        }
    }
}

/// One member restart.
public struct RestartStep: Hashable, Sendable {
    /// The member's pod name.
    public var member: String
    /// The uid of the pod to evict (the member is back only on a pod with another uid).
    public var podUID: String
    /// Why this member goes now.
    public var role: RestartRole
    /// The leader's zxid just before the restart: the member is back once it has seen at
    /// least this. Nil when the member restarted is the leader (or there is none).
    public var leaderZxid: Int64?

    public init(member: String, podUID: String, role: RestartRole, leaderZxid: Int64?) {
        self.member = member
        self.podUID = podUID
        self.role = role
        self.leaderZxid = leaderZxid
    }

    /// E.g. `restarting zk-2 (follower)`.
    public var message: String {
        switch role {
        case .onlyMember:
            "restarting \(member), the only voter: the ensemble does not serve until it is back (unavoidable with 1 member)"
        case .notServing: "restarting \(member) (not serving)"
        case .follower: "restarting \(member) (follower)"
        case .leader: "restarting \(member) (leader)"
        case .handedOff: "restarting \(member) (the leader before, now an observer)"
        }
    }
}

/// A member's voting role changed by one conditional `reconfig`.
public struct RoleChange: Hashable, Sendable {
    /// The member's pod name.
    public var member: String
    /// Its server id.
    public var id: Int
    /// The committed configuration's version the change is conditional on.
    public var fromVersion: Int64

    public init(member: String, id: Int, fromVersion: Int64) {
        self.member = member
        self.id = id
        self.fromVersion = fromVersion
    }
}

/// Why a member is restarted now (for status and Events).
public enum RestartRole: String, Hashable, Sendable {
    /// It does not serve: restarting it onto the update revision cannot lower the serving count.
    case notServing
    /// A serving member that does not lead (a follower, voting or not).
    case follower
    /// The leader, restarted last (when it cannot hand off: see `RolloutAction.handOff`).
    case leader
    /// The leader made an observer (`RolloutAction.handOff`): its restart costs no vote.
    case handedOff
    /// The only voter of a 1-voter ensemble: the outage is unavoidable.
    case onlyMember
}

/// Why the rollout waits.
public enum RolloutWait: Hashable, Sendable {
    /// The member restarted last is not back yet; `missing` says what it still lacks.
    case restartedMemberNotBack(String, missing: [BackCheck])
    /// No member says it leads.
    case noLeader
    /// Several members say they lead.
    case multipleLeaders([String])
    /// The committed configuration was not read (no single leader answered `conf`).
    case noCommittedConfig
    /// The leader did not answer `mntr`.
    case noLeaderReport(leader: String)
    /// A member's pod is terminating: one member at a time.
    case memberTerminating(String)
    /// The leader reports fewer serving voters in sync than serve.
    case followersNotInSync(synced: Int, of: Int)
    /// Restarting the next voter would leave fewer than a quorum of committed voters serving.
    case quorumWouldBreak(serving: Int, quorum: Int)
    /// The member handed off runs the update revision but does not serve as an observer in
    /// sync with the leader yet; it becomes a voter again once it does.
    case handedOffMemberNotSynced(String)

    /// A sentence for the `Progressing` condition.
    public var message: String {
        switch self {
        case .restartedMemberNotBack(let member, let missing):
            "waiting for \(member) to be back: " + missing.map(\.message).joined(separator: ", ")
        case .noLeader: "no member leads: waiting for a leader before restarting a serving member"
        case .multipleLeaders(let names): "\(names.joined(separator: ", ")) all say they lead: waiting for a single leader"
        case .noCommittedConfig: "the committed configuration could not be read from the leader"
        case .noLeaderReport(let leader): "the leader \(leader) did not report its followers (mntr)"
        case .memberTerminating(let name): "\(name) is terminating: one member at a time"
        case .followersNotInSync(let synced, let of):
            "the leader reports \(synced) of the \(of) other serving voters in sync"
        case .quorumWouldBreak(let serving, let quorum):
            "\(serving) voters serve and a quorum is \(quorum): restarting one would break the quorum"
        case .handedOffMemberNotSynced(let member):
            "waiting for \(member) (handed off, an observer) to serve in sync before it votes again"
        }
    }
}

/// One thing a restarted member must show before the rollout goes on.
public enum BackCheck: Hashable, Sendable {
    /// A pod other than the one evicted.
    case newPod
    /// That pod runs the update revision.
    case newRevision
    /// It leads or follows (or observes, when the committed configuration has it an observer).
    case serving
    /// Its zxid has reached the leader's zxid sampled before the restart.
    case caughtUp(memberZxid: Int64?, leaderZxid: Int64)
    /// The leader reports every other committed voter in sync (nil: no report or no config).
    case votersInSync(synced: Int?, of: Int?)

    /// What is missing, in words.
    public var message: String {
        switch self {
        case .newPod: "a new pod"
        case .newRevision: "the update revision"
        case .serving: "serving as follower or leader"
        case .caughtUp(let member, let leader):
            "zxid \(member.map(Self.hex) ?? "unknown") to reach the leader's \(Self.hex(leader))"
        case .votersInSync(let synced, let of):
            if let synced, let of {
                "the leader to report all voters in sync (\(synced) of \(of))"
            } else {
                "a leader reporting all voters in sync"
            }
        }
    }

    static func hex(_ zxid: Int64) -> String { "0x" + String(zxid, radix: 16) }
}
