import Foundation
import Synchronization
import Testing
@testable import ZooKeeperClient

/// Session and connection handling against a scripted server (no ZooKeeper needed).
struct ClientBehaviourTests {
    @Test func expiredSessionIsFinal() async throws {
        let server = try FakeZooKeeperServer { _, connection in try connection.handshake(timeout: 0) }
        defer { server.stop() }
        let expired = ZooKeeperError.server(code: ZooKeeperErrorCode.sessionExpired, path: nil)
        let client = try ZooKeeperClient(connectString: server.connectString)
        await #expect(throws: expired) { try await client.connect() }
        await #expect(throws: expired) { try await client.getData("/a") }
    }

    @Test func repliesAreMatchedByXid() async throws {
        let server = try FakeZooKeeperServer { _, connection in
            try connection.handshake()
            var first = try connection.readRequest()
            var second = try connection.readRequest()
            // Answer in reverse order, each with its own path as data.
            let secondPath = try second.body.readString() ?? ""
            let firstPath = try first.body.readString() ?? ""
            connection.replyData(xid: second.xid, data: Array(secondPath.utf8))
            connection.replyData(xid: first.xid, data: Array(firstPath.utf8))
            _ = try? connection.readRequest()
        }
        defer { server.stop() }
        let client = try await ZooKeeperClient.connect(server.connectString)
        #expect(await client.sessionID == 0x1234)
        async let a = client.getData("/a")
        async let b = client.getData("/b")
        let (dataA, dataB) = try await (a.data, b.data)
        #expect(dataA == Array("/a".utf8))
        #expect(dataB == Array("/b".utf8))
        await client.close()
    }

    @Test func lostConnectionFailsWritesAndRetriesReads() async throws {
        let server = try FakeZooKeeperServer { index, connection in
            try connection.handshake()
            switch index {
            case 0:
                // Drop the connection with the write in flight.
                let request = try connection.readRequest()
                #expect(request.opCode == 5)
            case 1:
                // Drop it again with a read in flight: the client must try once more.
                let request = try connection.readRequest()
                #expect(request.opCode == 4)
            default:
                let request = try connection.readRequest()
                connection.replyData(xid: request.xid, data: [42], version: 3)
                _ = try? connection.readRequest()
            }
        }
        defer { server.stop() }
        let client = try await ZooKeeperClient.connect(server.connectString)
        await #expect(throws: ZooKeeperError.server(code: ZooKeeperErrorCode.connectionLoss, path: nil)) {
            try await client.setData("/a", data: [1])
        }
        let (data, stat) = try await client.getData("/a")
        #expect(data == [42])
        #expect(stat.version == 3)
        #expect(await client.sessionID == 0x1234)
        await client.close()
    }

    @Test func serverErrorsCarryCodeAndPath() async throws {
        let server = try FakeZooKeeperServer { _, connection in
            try connection.handshake()
            let request = try connection.readRequest()
            connection.reply(xid: request.xid, error: ZooKeeperErrorCode.newConfigNoQuorum)
            _ = try? connection.readRequest()
        }
        defer { server.stop() }
        let client = try await ZooKeeperClient.connect(server.connectString)
        do {
            try await client.removeMember(id: 3)
            Issue.record("reconfig should fail")
        } catch let error as ZooKeeperError {
            #expect(error == .server(code: ZooKeeperErrorCode.newConfigNoQuorum, path: "/zookeeper/config"))
            #expect(error.isRetryableReconfig)
        }
        await client.close()
    }

    /// A leader that just lost its vote holds a `closeSession` answer until it steps down:
    /// `close(replyTimeout: .zero)` still sends the request, then leaves without the answer.
    @Test func closeWithoutWaitingStillSendsCloseSession() async throws {
        let seen = Mutex<[Int32]>([])
        let server = try FakeZooKeeperServer { _, connection in
            try connection.handshake()
            // Never answers: reads until the client shuts the connection.
            while let request = try? connection.readRequest() { seen.withLock { $0.append(request.opCode) } }
        }
        defer { server.stop() }
        let client = try await ZooKeeperClient.connect(server.connectString)
        await client.close(replyTimeout: .zero)
        await #expect(throws: ZooKeeperError.closed) { try await client.getData("/a") }
        // The server reads what was sent before the connection's end.
        let deadline = ContinuousClock.now + .seconds(30)
        while seen.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(seen.withLock { $0 } == [OpCode.closeSession.rawValue])
    }

    @Test func unreachableEnsembleFailsWithinTheConnectBudget() async throws {
        var options = ZooKeeperClient.Options()
        options.sessionTimeout = .seconds(1)
        options.connectTimeout = .milliseconds(300)
        let ports = FreePorts.take(2)
        let started = ContinuousClock.now
        await #expect(throws: ZooKeeperError.self) {
            try await ZooKeeperClient.connect("127.0.0.1:\(ports[0]),127.0.0.1:\(ports[1])", options: options)
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
