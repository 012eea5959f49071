import Foundation

/// What Keeper saw of one ensemble in one reconcile: built once by `EnsembleObserver`, read
/// by the status and by every planner, none of which probes on its own.
///
/// Membership comes from the committed configuration, never from `srvr`: a member not yet
/// added, or already removed, still says `Mode: follower`.
public struct EnsembleObservation: Sendable, Hashable {
    /// Every member that has a pod, and every committed voter or observer without one,
    /// ordered by ordinal.
    public var members: [MemberObservation]
    /// The last committed configuration, from the leader's `conf` (nil when no single leader
    /// answered: a new ensemble, no quorum, two leaders).
    public var committed: CommittedMembership?
    /// The leader's `mntr` (nil when there is no single leader or it did not answer).
    public var leaderReport: LeaderReport?
    /// The StatefulSet's live `spec.replicas` (nil before the StatefulSet exists).
    public var statefulSetReplicas: Int?
    /// The StatefulSet's `status.updateRevision`: the revision members are restarted onto.
    public var updateRevision: String?

    public init(members: [MemberObservation], committed: CommittedMembership? = nil, leaderReport: LeaderReport? = nil,
                statefulSetReplicas: Int? = nil, updateRevision: String? = nil) {
        self.members = members.sorted { $0.ordinal < $1.ordinal }
        self.committed = committed
        self.leaderReport = leaderReport
        self.statefulSetReplicas = statefulSetReplicas
        self.updateRevision = updateRevision
    }

    /// Members whose `srvr` says `Mode: leader`.
    public var leaders: [MemberObservation] { members.filter { $0.serving == .leader } }
    /// The leader, when exactly one member says it leads.
    public var leader: MemberObservation? { leaders.count == 1 ? leaders[0] : nil }
    public func member(id: Int) -> MemberObservation? { members.first { $0.id == id } }
    public func member(named name: String) -> MemberObservation? { members.first { $0.name == name } }

    /// The committed voters as members (with or without a pod), by ordinal.
    public var voters: [MemberObservation] {
        guard let committed else { return [] }
        return members.filter { committed.voters.contains($0.id) }
    }

    /// Committed voters that serve (lead or follow).
    public var servingVoters: [MemberObservation] { voters.filter(\.serving.isServing) }

    /// Whether the leader reports every other committed voter in sync (`zk_synced_followers`
    /// minus non-voting ones; see `MonitorStatus.syncedVotingFollowers`).
    public var allVotersInSync: Bool {
        guard let committed, let report = leaderReport else { return false }
        return report.syncedVotingFollowers >= committed.voters.count - 1
    }
}

/// One member (ordinal `n`, server id `n + 1`) as observed.
public struct MemberObservation: Sendable, Hashable {
    public var ordinal: Int
    /// The pod name, `<cluster>-<ordinal>`.
    public var name: String
    /// The member's pod; nil when it has none.
    public var pod: PodObservation?
    /// What `srvr` said (`.unreachable` when there is no pod or it did not answer).
    public var serving: ServingRole
    /// The last zxid the member has seen (`srvr`'s `Zxid:`).
    public var zxid: Int64?

    public init(ordinal: Int, name: String, pod: PodObservation?, serving: ServingRole, zxid: Int64? = nil) {
        self.ordinal = ordinal
        self.name = name
        self.pod = pod
        self.serving = serving
        self.zxid = zxid
    }

    /// ZooKeeper's server id (`myid`): ordinal + 1.
    public var id: Int { ordinal + 1 }
    /// The pod runs an outdated revision (false when there is no pod).
    public var isOutdated: Bool { pod.map { !$0.upToDate } ?? false }
    public var isTerminating: Bool { pod?.terminating ?? false }
}

/// A member pod as observed.
public struct PodObservation: Sendable, Hashable {
    public var uid: String
    /// The pod's Ready condition is True and it is not terminating.
    public var ready: Bool
    /// `deletionTimestamp` is set.
    public var terminating: Bool
    /// The pod runs the StatefulSet's update revision and the desired config hash.
    public var upToDate: Bool
    /// The ZooKeeper container's restart count.
    public var restartCount: Int

    public init(uid: String, ready: Bool, terminating: Bool = false, upToDate: Bool = true, restartCount: Int = 0) {
        self.uid = uid
        self.ready = ready
        self.terminating = terminating
        self.upToDate = upToDate
        self.restartCount = restartCount
    }
}

/// What a member's `srvr` says it does.
public enum ServingRole: String, Sendable, Hashable, Codable {
    case leader, follower, observer
    /// It answered, but it is not serving requests (no quorum, still starting, read-only).
    case notServing
    /// No pod address, refused, or no answer in time.
    case unreachable

    /// Leads or follows: it takes part in the quorum's work (a non-voting follower says
    /// `follower` too; membership comes from the committed configuration).
    public var isServing: Bool { self == .leader || self == .follower }
}

/// The committed configuration (`/zookeeper/config` on the leader).
public struct CommittedMembership: Sendable, Hashable {
    /// The configuration's version, for a conditional `reconfig(fromConfig:)`.
    public var version: Int64
    /// Server ids of the participants.
    public var voters: Set<Int>
    /// Server ids of the observers.
    public var observers: Set<Int>

    public init(version: Int64, voters: Set<Int>, observers: Set<Int> = []) {
        self.version = version
        self.voters = voters
        self.observers = observers
    }

    /// Votes needed for a quorum of the voters.
    public var quorum: Int { voters.count / 2 + 1 }
}

/// What the leader's `mntr` says about its followers.
public struct LeaderReport: Sendable, Hashable {
    /// Voting followers in sync with the leader.
    public var syncedVotingFollowers: Int
    /// Non-voting followers in sync (a joiner not added yet, a member just removed).
    public var syncedNonVotingFollowers: Int
    /// Learners still syncing.
    public var pendingSyncs: Int
    /// Observers in sync (`zk_synced_observers`): a leader handed off and restarted.
    public var syncedObservers: Int

    public init(syncedVotingFollowers: Int, syncedNonVotingFollowers: Int = 0, pendingSyncs: Int = 0, syncedObservers: Int = 0) {
        self.syncedVotingFollowers = syncedVotingFollowers
        self.syncedNonVotingFollowers = syncedNonVotingFollowers
        self.pendingSyncs = pendingSyncs
        self.syncedObservers = syncedObservers
    }
}
