import Foundation
import Testing
import ZooKeeperClient

/// A real 3-member ensemble with dynamic reconfiguration, driven through one scenario so
/// that the JVMs start once: roles and sync state, reconfig out and back in, leader failover.
@Suite(.serialized, .enabled(if: ZooKeeperInstallation.testsEnabled, ZooKeeperInstallation.skipReason))
struct EnsembleTests {
    @Test func membershipChangesAndLeaderFailover() async throws {
        try await withCluster(try await LocalZooKeeper.ensemble(size: 3)) { zk in
            let leader = try await checkRoles(zk)
            // The leader first, so that killing it later forces the client to move.
            let others = zk.servers.map(\.id).filter { $0 != leader }
            var options = ZooKeeperClient.Options()
            options.randomizeServerOrder = false
            options.sessionTimeout = .seconds(6)
            let order = [leader] + others
            let connectString = order.compactMap { zk.server($0) }.map { "127.0.0.1:\($0.clientPort)" }.joined(separator: ",")
            let client = try await ZooKeeperClient.connect(connectString, options: options)
            #expect(await client.connectedServer == "127.0.0.1:\(zk.server(leader)?.clientPort ?? 0)")

            try await client.create("/e2e", data: Array("written before".utf8))
            let ephemeral = try await client.create("/e2e/session", mode: .ephemeral)

            try await removeAndReAdd(member: others[0], leader: leader, zk: zk, client: client)
            try await growAndShrink(leader: leader, zk: zk, client: client)
            try await killLeader(leader, zk: zk, client: client, ephemeral: ephemeral)
            await client.close()
            try await loseQuorum(zk)
        }
    }

    /// Full rights for an identity nobody here has.
    private let lockedACL = ZooKeeperACL(permissions: .all, scheme: "digest", id: DigestCredentials(user: "nobody", password: "unknown").digest)

    /// Exactly one leader; the leader reports both followers in sync.
    private func checkRoles(_ zk: LocalZooKeeper) async throws -> Int {
        var roles: [ZooKeeperRole] = []
        for server in zk.servers { roles.append(try await zk.status(server.id).role) }
        #expect(roles.filter { $0 == .leader }.count == 1)
        #expect(roles.filter { $0 == .follower }.count == 2)
        let leader = try #require(zk.servers.first { roles[$0.id - 1] == .leader }?.id)
        let monitor = try await zk.monitor(leader)
        #expect(monitor.serverState == "leader")
        #expect(monitor.syncedFollowers == 2)
        #expect(monitor.syncedVotingFollowers == 2)
        #expect(monitor.peerState?.hasPrefix("leading") == true)
        for id in zk.servers.map(\.id) where id != leader {
            let follower = try await zk.monitor(id)
            #expect(follower.role == .follower)
            #expect(follower.syncedFollowers == nil)
            #expect(try await FourLetterWords.ruok(host: "127.0.0.1", port: zk.server(id)?.clientPort ?? 0))
        }
        return leader
    }

    private func removeAndReAdd(member: Int, leader: Int, zk: LocalZooKeeper, client: ZooKeeperClient) async throws {
        let (initial, _) = try await client.getConfig()
        #expect(initial.memberIDs.sorted() == [1, 2, 3])
        let version = try #require(initial.version)
        #expect(initial.member(id: member) == zk.server(member)?.member)

        // /zookeeper/config is read-only for everyone but the superuser.
        await #expect(throws: ZooKeeperError.server(code: ZooKeeperErrorCode.noAuth, path: ZooKeeperClient.configPath)) {
            try await client.removeMember(id: member, fromConfig: version)
        }
        try await client.addAuth(LocalZooKeeper.superuser)
        // Only the superuser may read this one: after the failover it shows that the client
        // presented its identity again on the new connection.
        try await client.create("/e2e/locked", data: [1], acl: [lockedACL])

        let shrunk = try await client.removeMember(id: member, fromConfig: version)
        #expect(shrunk.memberIDs.sorted() == [1, 2, 3].filter { $0 != member })
        let shrunkVersion = try #require(shrunk.version)
        #expect(shrunkVersion > version)
        try await client.sync()
        #expect(try await client.getConfig().config == shrunk)
        // The removed member still follows (srvr says "Mode: follower"), but no longer votes:
        // the leader counts it among synced followers and among non-voting ones.
        try await zk.waitUntil("leader counts one voting follower", timeout: .seconds(30)) {
            let monitor = try? await zk.monitor(leader)
            return monitor?.syncedVotingFollowers == 1 && monitor?.syncedNonVotingFollowers == 1
        }
        #expect(try await zk.status(member).role == .follower)
        // A change based on a stale version is refused.
        let spec = try #require(zk.server(member)?.member)
        await #expect(throws: ZooKeeperError.server(code: ZooKeeperErrorCode.badVersion, path: ZooKeeperClient.configPath)) {
            try await client.addMember(spec, fromConfig: version)
        }

        // The removed member stays connected as a non-voting follower, so it can come back.
        var grown: EnsembleConfig?
        try await zk.waitUntil("member \(member) added back", timeout: .seconds(30)) {
            do {
                grown = try await client.addMember(spec, fromConfig: shrunkVersion)
                return true
            } catch let error as ZooKeeperError where error.isRetryableReconfig {
                return false
            } catch {
                return true
            }
        }
        #expect(grown?.memberIDs.sorted() == [1, 2, 3])
        #expect(grown?.member(id: member) == spec)
        try await zk.waitUntil("member \(member) follows and is in sync", timeout: .seconds(30)) {
            let role = (try? await zk.status(member))?.role
            let monitor = try? await zk.monitor(leader)
            return role == .follower && monitor?.syncedVotingFollowers == 2 && monitor?.syncedNonVotingFollowers == 0
        }
    }

    /// Scaling as Keeper does it: a new server joins as a non-voting follower, is added once
    /// in sync, then is removed again before it stops.
    private func growAndShrink(leader: Int, zk: LocalZooKeeper, client: ZooKeeperClient) async throws {
        let (current, _) = try await client.getConfig()
        let joiner = try zk.startJoiner(members: current.members)
        try await zk.waitUntil("joiner \(joiner.id) syncs as a non-voting follower", timeout: .seconds(60)) {
            (try? await zk.monitor(leader))?.syncedNonVotingFollowers == 1
        }
        var grown: EnsembleConfig?
        try await zk.waitUntil("joiner \(joiner.id) added", timeout: .seconds(30)) {
            do {
                grown = try await client.addMember(joiner.member, fromConfig: current.version ?? -1)
                return true
            } catch let error as ZooKeeperError where error.isRetryableReconfig {
                return false
            } catch {
                return true
            }
        }
        #expect(grown?.memberIDs.sorted() == [1, 2, 3, joiner.id])
        try await zk.waitUntil("four voters in sync", timeout: .seconds(30)) {
            let monitor = try? await zk.monitor(leader)
            return monitor?.syncedVotingFollowers == 3 && monitor?.quorumSize == 4
        }
        // The leader counts the joiner as synced a moment before the joiner itself answers
        // `srvr` as a follower again (it restarts its peer role on the new configuration).
        try await zk.waitUntil("joiner \(joiner.id) serves as a follower", timeout: .seconds(30)) {
            (try? await zk.status(joiner.id))?.role == .follower
        }

        let shrunk = try await client.removeMember(id: joiner.id)
        #expect(shrunk.memberIDs.sorted() == [1, 2, 3])
        // "Safe to stop" once a write commits under the new configuration (the manual's advice).
        try await client.setData("/e2e", data: Array("written before".utf8))
        zk.kill(joiner.id)
        try await zk.waitUntil("three voters in sync", timeout: .seconds(30)) {
            let monitor = try? await zk.monitor(leader)
            return monitor?.syncedVotingFollowers == 2 && monitor?.syncedNonVotingFollowers == 0
        }
    }

    private func killLeader(_ leader: Int, zk: LocalZooKeeper, client: ZooKeeperClient, ephemeral: String) async throws {
        let survivors = zk.runningServers.filter { $0 != leader }
        zk.kill(leader)
        let newLeader = try await zk.waitForQuorum(members: survivors, timeout: .seconds(60))
        #expect(newLeader != leader)

        // Reads retry across the failover; the session, and so its ephemeral znode, survives.
        let (data, _) = try await client.getData("/e2e")
        #expect(String(decoding: data, as: UTF8.self) == "written before")
        #expect(try await client.exists(ephemeral) != nil)
        let connected = await client.connectedServer
        #expect(connected != nil && connected != "127.0.0.1:\(zk.server(leader)?.clientPort ?? 0)")
        #expect(try await client.getData("/e2e/locked").data == [1])
        try await client.setData("/e2e", data: Array("written after".utf8))
        #expect(try await client.getData("/e2e").data == Array("written after".utf8))
    }

    /// With one of three members left, the survivor runs but serves nothing.
    private func loseQuorum(_ zk: LocalZooKeeper) async throws {
        let alive = zk.runningServers
        try #require(alive.count == 2)
        zk.kill(alive[0])
        try await zk.waitUntil("survivor stops serving", timeout: .seconds(30)) {
            (try? await zk.status(alive[1]))?.isServing == false
        }
        let status = try await zk.status(alive[1])
        #expect(status.role == .unknown)
        #expect(status.zxid == nil)
        #expect(try await FourLetterWords.ruok(host: "127.0.0.1", port: zk.server(alive[1])?.clientPort ?? 0))
        #expect(try await zk.monitor(alive[1]).isServing == false)
    }
}
