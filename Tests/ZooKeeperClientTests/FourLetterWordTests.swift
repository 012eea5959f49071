import Testing
@testable import ZooKeeperClient

/// Parsing of recorded answers, and the transport's errors (no ZooKeeper needed).
struct FourLetterWordTests {
    typealias F = FourLetterWordFixtures

    @Test func srvrRoles() {
        let leader = ServerStatus(srvrOutput: F.srvrLeader38)
        #expect(leader.role == .leader)
        #expect(leader.zxid == 0x1_0000_0000)
        #expect(leader.epoch == 1)
        #expect(leader.version == "3.8.0")
        #expect(leader.isServing)
        #expect(leader.nodeCount == 5)
        #expect(leader.received == 6 && leader.sent == 9 && leader.connections == 1 && leader.outstanding == 0)

        #expect(ServerStatus(srvrOutput: F.srvrFollower38).role == .follower)
        #expect(ServerStatus(srvrOutput: F.srvrStandalone38).role == .standalone)
        #expect(ServerStatus(srvrOutput: F.srvrObserver39).role == .observer)

        let follower39 = ServerStatus(srvrOutput: F.srvrFollower39)
        #expect(follower39.role == .follower)
        #expect(follower39.version == "3.9.4")
        #expect(follower39.zxid == 0x3_0000_001a)
        #expect(follower39.epoch == 3)
        #expect(follower39.latencyAvg == 0.2857 && follower39.latencyMax == 3)
    }

    @Test func srvrWithoutQuorumOrReadOnly() {
        let down = ServerStatus(srvrOutput: F.notServing)
        #expect(!down.isServing)
        #expect(down.role == .unknown)
        #expect(down.zxid == nil && down.version == nil)

        let readOnly = ServerStatus(srvrOutput: F.srvrReadOnly39)
        #expect(readOnly.isReadOnly)
        #expect(readOnly.role == .unknown)
        #expect(readOnly.mode == "read-only")
    }

    @Test func mntrLeaderAndFollower() {
        let leader = MonitorStatus(mntrOutput: F.mntrLeader38)
        #expect(leader.serverState == "leader")
        #expect(leader.role == .leader)
        #expect(leader.version == "3.8.0")
        #expect(leader.syncedFollowers == 2)
        #expect(leader.syncedVotingFollowers == 2)
        #expect(leader.learners == 2)
        #expect(leader.quorumSize == 3)
        #expect(leader.pendingSyncs == 0)
        #expect(leader.peerState == "leading - broadcast")
        #expect(leader.values["zk_peer_state"] == "leading - broadcast")
        #expect(leader.values.count == 16)

        let afterRemoval = MonitorStatus(mntrOutput: F.mntrLeaderAfterRemoval38)
        #expect(afterRemoval.syncedFollowers == 2)
        #expect(afterRemoval.syncedVotingFollowers == 1)

        let follower = MonitorStatus(mntrOutput: F.mntrFollower38)
        #expect(follower.role == .follower)
        #expect(follower.syncedFollowers == nil)
        #expect(follower.syncedVotingFollowers == nil)
        #expect(follower.isServing)

        let leader39 = MonitorStatus(mntrOutput: F.mntrLeader39)
        #expect(leader39.version == "3.9.4")
        #expect(leader39.syncedVotingFollowers == 4)
        #expect(leader39.averageLatency == 0.2857)
        #expect(leader39.aliveConnections == 3)

        let down = MonitorStatus(mntrOutput: F.notServing)
        #expect(!down.isServing)
        #expect(down.values.isEmpty)
        #expect(down.role == .unknown)
    }

    @Test func confKeyValues() {
        let conf = FourLetterWords.parseKeyValues("clientPort=2181\nserverId=3\nmembership: \nserver.1=a:1:2:participant;0.0.0.0:2181\nversion=100000000\n")
        #expect(conf["clientPort"] == "2181")
        #expect(conf["serverId"] == "3")
        #expect(conf["server.1"] == "a:1:2:participant;0.0.0.0:2181")
    }

    @Test func refusedConnection() async {
        // Nothing listens on a port just released.
        let port = FreePorts.take(1)[0]
        await #expect(throws: ZooKeeperError.connectionRefused("127.0.0.1:\(port)")) {
            try await FourLetterWords.send("ruok", host: "127.0.0.1", port: port)
        }
    }

    @Test func silentServerTimesOut() async throws {
        let silent = try SilentListener()
        defer { silent.close() }
        let started = ContinuousClock.now
        await #expect(throws: ZooKeeperError.timeout) {
            try await FourLetterWords.send("srvr", host: "127.0.0.1", port: silent.port, timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func unresolvableHost() async {
        await #expect {
            try await FourLetterWords.send("ruok", host: "no-such-host.invalid", port: 2181)
        } throws: { error in
            guard case .connectionFailed(let why) = error as? ZooKeeperError else { return false }
            return why.contains("no-such-host.invalid")
        }
    }
}
