/// Answers of real servers. The 3.8 ones were captured from Debian's ZooKeeper 3.8.0 (the
/// ensemble of `EnsembleTests`; `mntr` trimmed to the keys that matter, the rest are
/// latency summaries). The 3.9 ones follow the format of the official `zookeeper:3.9.x`
/// image (same commands; the version line carries the commit id).
enum FourLetterWordFixtures {
    static let srvrLeader38 = """
        Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC
        Latency min/avg/max: 0/0.0/0
        Received: 6
        Sent: 9
        Connections: 1
        Outstanding: 0
        Zxid: 0x100000000
        Mode: leader
        Node count: 5
        Proposal sizes last/min/max: -1/-1/-1

        """

    static let srvrFollower38 = """
        Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC
        Latency min/avg/max: 0/0.0/0
        Received: 5
        Sent: 6
        Connections: 1
        Outstanding: 0
        Zxid: 0x0
        Mode: follower
        Node count: 5

        """

    static let srvrStandalone38 = """
        Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC
        Latency min/avg/max: 0/0.0/0
        Received: 1
        Sent: 0
        Connections: 1
        Outstanding: 0
        Zxid: 0x0
        Mode: standalone
        Node count: 5

        """

    static let notServing = "This ZooKeeper instance is not currently serving requests\n"

    static let notWhitelisted = "stat is not executed because it is not in the whitelist.\n"

    static let srvrFollower39 = """
        Zookeeper version: 3.9.4-7246445ec281f3dbf53dc54e970c914f39713903, built on 2025-08-19 19:53 UTC
        Latency min/avg/max: 0/0.2857/3
        Received: 212
        Sent: 211
        Connections: 2
        Outstanding: 0
        Zxid: 0x30000001a
        Mode: follower
        Node count: 12

        """

    static let srvrObserver39 = srvrFollower39.replacingMode(with: "observer")
    static let srvrReadOnly39 = srvrFollower39.replacingMode(with: "read-only")

    static let mntrLeader38 = """
        zk_version\t3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC
        zk_server_state\tleader
        zk_peer_state\tleading - broadcast
        zk_ephemerals_count\t0
        zk_num_alive_connections\t1
        zk_outstanding_requests\t0
        zk_znode_count\t5
        zk_synced_followers\t2
        zk_synced_non_voting_followers\t0
        zk_synced_observers\t0
        zk_pending_syncs\t0
        zk_leader_uptime\t487
        zk_learners\t2
        zk_quorum_size\t3
        zk_avg_latency\t0.0
        zk_avg_follower_sync_time\t0.0

        """

    /// The leader right after `reconfig` removed a follower that keeps running.
    static let mntrLeaderAfterRemoval38 = mntrLeader38
        .replacingOccurrences(of: "zk_synced_non_voting_followers\t0", with: "zk_synced_non_voting_followers\t1")

    static let mntrFollower38 = """
        zk_version\t3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC
        zk_server_state\tfollower
        zk_peer_state\tfollowing - broadcast
        zk_ephemerals_count\t0
        zk_num_alive_connections\t1
        zk_outstanding_requests\t0
        zk_znode_count\t5
        zk_quorum_size\t3
        zk_avg_follower_sync_time\t291.0

        """

    static let mntrLeader39 = """
        zk_version\t3.9.4-7246445ec281f3dbf53dc54e970c914f39713903, built on 2025-08-19 19:53 UTC
        zk_server_state\tleader
        zk_peer_state\tleading - broadcast
        zk_num_alive_connections\t3
        zk_outstanding_requests\t0
        zk_znode_count\t12
        zk_synced_followers\t4
        zk_synced_non_voting_followers\t0
        zk_synced_observers\t0
        zk_pending_syncs\t0
        zk_learners\t4
        zk_quorum_size\t5
        zk_avg_latency\t0.2857

        """
}

extension String {
    fileprivate func replacingMode(with mode: String) -> String {
        replacingOccurrences(of: "Mode: follower", with: "Mode: \(mode)")
    }

    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
