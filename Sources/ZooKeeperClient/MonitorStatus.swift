/// What `mntr` says: every `key<TAB>value` line, and the ones Keeper decides with.
public struct MonitorStatus: Sendable, Equatable {
    public var values: [String: String]
    /// False when the member answered that it is not serving requests (no quorum yet).
    public var isServing: Bool

    /// Parses `mntr` output (`key<TAB>value` lines) of ZooKeeper 3.5 to 3.9.
    public init(mntrOutput: String) {
        isServing = !mntrOutput.contains(FourLetterWords.notServingMarker)
        values = [:]
        for line in mntrOutput.split(whereSeparator: \.isNewline) {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            values[String(line[..<tab])] = line[line.index(after: tab)...].trimmingWhitespace()
        }
    }

    /// "leader", "follower", "observer", "standalone" or "read-only".
    public var serverState: String? { values["zk_server_state"] }
    /// The role from `zk_server_state`.
    public var role: ZooKeeperRole { serverState.flatMap(ZooKeeperRole.init(rawValue:)) ?? .unknown }
    /// The release, e.g. "3.9.4".
    public var version: String? {
        values["zk_version"]?.split(whereSeparator: { $0 == "-" || $0 == "," }).first.map(String.init)
    }
    /// Present on the leader only: followers in sync with it, *including* non-voting ones
    /// (a member removed by `reconfig` keeps following until it stops). For "every voter is
    /// in sync" use `syncedVotingFollowers`.
    public var syncedFollowers: Int? { int("zk_synced_followers") }
    /// Present on the leader only: synced followers that vote (`zk_synced_followers` minus
    /// `zk_synced_non_voting_followers`).
    public var syncedVotingFollowers: Int? {
        syncedFollowers.map { $0 - (syncedNonVotingFollowers ?? 0) }
    }
    /// Present on the leader only: learners connected (followers voting or not, and
    /// observers): `zk_learners` since 3.6, `zk_followers` before.
    public var learners: Int? { int("zk_learners") ?? int("zk_followers") }
    /// The number of voters in the member's view of the configuration (3.6+).
    public var quorumSize: Int? { int("zk_quorum_size") }
    /// Present on the leader only: non-voting followers in sync (e.g. a joiner not yet added
    /// by `reconfig`, or a member just removed).
    public var syncedNonVotingFollowers: Int? { int("zk_synced_non_voting_followers") }
    /// Present on the leader only: observers in sync.
    public var syncedObservers: Int? { int("zk_synced_observers") }
    /// Present on the leader only: syncs in progress.
    public var pendingSyncs: Int? { int("zk_pending_syncs") }
    /// In quorum mode (3.6+): e.g. "following - broadcast", "leading - broadcast".
    public var peerState: String? { values["zk_peer_state"] }
    public var averageLatency: Double? { values["zk_avg_latency"].flatMap { Double($0) } }
    public var outstandingRequests: Int? { int("zk_outstanding_requests") }
    public var aliveConnections: Int? { int("zk_num_alive_connections") }
    public var znodeCount: Int? { int("zk_znode_count") }

    private func int(_ key: String) -> Int? { values[key].flatMap { Int($0) } }
}
