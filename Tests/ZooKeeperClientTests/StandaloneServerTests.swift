import Foundation
import Testing
import ZooKeeperClient

/// Four-letter words and the wire protocol against one real standalone server.
@Suite(.serialized, .enabled(if: ZooKeeperInstallation.testsEnabled, ZooKeeperInstallation.skipReason))
struct StandaloneServerTests {
    @Test func fourLetterWordsFromALiveServer() async throws {
        try await withCluster(try await LocalZooKeeper.standalone()) { zk in
            let port = zk.servers[0].clientPort
            let status = try await FourLetterWords.serverStatus(host: "127.0.0.1", port: port)
            #expect(status.role == .standalone)
            #expect(status.isServing)
            #expect(status.version?.hasPrefix("3.") == true)
            #expect(status.zxid != nil)
            #expect(status.nodeCount ?? 0 >= 4)

            let monitor = try await FourLetterWords.monitorStatus(host: "127.0.0.1", port: port)
            #expect(monitor.serverState == "standalone")
            #expect(monitor.version == status.version)
            #expect(monitor.syncedFollowers == nil)

            #expect(try await FourLetterWords.ruok(host: "127.0.0.1", port: port))
            let conf = try await FourLetterWords.configuration(host: "127.0.0.1", port: port)
            #expect(conf["clientPort"] == String(port))
            #expect(conf["tickTime"] == "1000")

            await #expect(throws: ZooKeeperError.notWhitelisted("stat")) {
                try await FourLetterWords.send("stat", host: "127.0.0.1", port: port)
            }
        }
    }

    @Test func crudWithVersionsAndErrors() async throws {
        try await withCluster(try await LocalZooKeeper.standalone()) { zk in
            let client = try await ZooKeeperClient.connect(zk.connectString)
            defer { Task { await client.close() } }

            let path = try await client.create("/keeper", data: Array("v0".utf8))
            #expect(path == "/keeper")
            await #expect(throws: ZooKeeperError.server(code: ZooKeeperErrorCode.nodeExists, path: "/keeper")) {
                try await client.create("/keeper")
            }
            var (data, stat) = try await client.getData("/keeper")
            #expect(String(decoding: data, as: UTF8.self) == "v0")
            #expect(stat.version == 0)

            let updated = try await client.setData("/keeper", data: Array("v1".utf8), version: 0)
            #expect(updated.version == 1)
            await #expect(throws: ZooKeeperError.server(code: ZooKeeperErrorCode.badVersion, path: "/keeper")) {
                try await client.setData("/keeper", data: Array("stale".utf8), version: 0)
            }
            (data, stat) = try await client.getData("/keeper")
            #expect(String(decoding: data, as: UTF8.self) == "v1")
            #expect(stat.version == 1)

            let first = try await client.create("/keeper/seq-", mode: .persistentSequential)
            let second = try await client.create("/keeper/seq-", mode: .persistentSequential)
            #expect(first == "/keeper/seq-0000000000")
            #expect(second == "/keeper/seq-0000000001")
            let ephemeral = try await client.create("/keeper/owned", mode: .ephemeral)
            #expect(try await client.exists(ephemeral)?.ephemeralOwner == client.sessionID)
            #expect(try await client.getChildren("/keeper").sorted() == ["owned", "seq-0000000000", "seq-0000000001"])

            await #expect(throws: ZooKeeperError.server(code: ZooKeeperErrorCode.notEmpty, path: "/keeper")) {
                try await client.delete("/keeper")
            }
            await #expect(throws: ZooKeeperError.server(code: ZooKeeperErrorCode.noNode, path: "/missing/child")) {
                try await client.create("/missing/child")
            }
            await #expect(throws: ZooKeeperError.server(code: ZooKeeperErrorCode.noNode, path: "/missing")) {
                try await client.getData("/missing")
            }
            #expect(try await client.exists("/missing") == nil)
            await #expect(throws: ZooKeeperError.server(code: ZooKeeperErrorCode.badVersion, path: first)) {
                try await client.delete(first, version: 7)
            }
            try await client.delete(first, version: 0)
            #expect(try await client.exists(first) == nil)
            try await client.sync("/keeper")

            // Closing the session removes its ephemeral znode for everyone.
            let observer = try await ZooKeeperClient.connect(zk.connectString)
            await client.close()
            #expect(try await observer.exists(ephemeral) == nil)
            await #expect(throws: ZooKeeperError.closed) { try await client.getData("/keeper") }
            await observer.close()
        }
    }

    @Test func sessionOutlivesSeveralPingIntervals() async throws {
        try await withCluster(try await LocalZooKeeper.standalone()) { zk in
            var options = ZooKeeperClient.Options()
            options.sessionTimeout = .seconds(2)
            let client = try await ZooKeeperClient.connect(zk.connectString, options: options)
            let session = await client.sessionID
            #expect(await client.sessionTimeout == .seconds(2))
            let path = try await client.create("/alive", mode: .ephemeral)
            // Idle for twice the session timeout: only the keepalive pings hold the session.
            try await Task.sleep(for: .seconds(4))
            #expect(await client.sessionID == session)
            #expect(try await client.exists(path)?.ephemeralOwner == session)
            await client.close()
        }
    }

    @Test func superuserDigestOpensLockedZnodes() async throws {
        try await withCluster(try await LocalZooKeeper.standalone()) { zk in
            let locked = ZooKeeperACL(permissions: .all, scheme: "digest",
                                      id: DigestCredentials(user: "owner", password: "secret").digest)
            let anonymous = try await ZooKeeperClient.connect(zk.connectString)
            try await anonymous.create("/locked", data: [7], acl: [locked])
            await #expect(throws: ZooKeeperError.server(code: ZooKeeperErrorCode.noAuth, path: "/locked")) {
                try await anonymous.getData("/locked")
            }
            // The owner's identity and the superuser (superDigest) both get in.
            try await anonymous.addAuth(DigestCredentials(user: "owner", password: "secret"))
            #expect(try await anonymous.getData("/locked").data == [7])
            let admin = try await ZooKeeperClient.connect(zk.connectString)
            try await admin.addAuth(LocalZooKeeper.superuser)
            #expect(try await admin.getData("/locked").data == [7])
            try await admin.delete("/locked")
            await anonymous.close()
            await admin.close()
        }
    }
}
