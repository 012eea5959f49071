import Testing
@testable import ZooKeeperClient

/// Jute encoding and decoding, records, and the pure helpers of the client.
struct WireFormatTests {
    @Test func connectRequestBytes() {
        var encoder = JuteEncoder()
        encoder.write(ConnectRequest(lastZxidSeen: 0x0102, timeout: 10_000, sessionId: -1,
                                     password: [0xAA, 0xBB], readOnly: true))
        let expected: [UInt8] = [
            0, 0, 0, 31,                     // frame length: 4 + 8 + 4 + 8 + 6 + 1
            0, 0, 0, 0,                      // protocolVersion
            0, 0, 0, 0, 0, 0, 0x01, 0x02,    // lastZxidSeen
            0, 0, 0x27, 0x10,                // timeout 10000
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // sessionId -1
            0, 0, 0, 2, 0xAA, 0xBB,          // passwd buffer
            1,                               // readOnly
        ]
        #expect(encoder.framed == expected)
    }

    @Test func nullStringsAndVectors() throws {
        var encoder = JuteEncoder()
        encoder.write(ReconfigRequest(joiningServers: nil, leavingServers: "3", newMembers: nil, currentConfigId: -1))
        #expect(encoder.bytes == [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0x33, 0xFF, 0xFF, 0xFF, 0xFF]
                                 + [UInt8](repeating: 0xFF, count: 8))
        var decoder = JuteDecoder(encoder.bytes)
        #expect(try decoder.readString() == nil)
        #expect(try decoder.readString() == "3")
        #expect(try decoder.readString() == nil)
        #expect(try decoder.readInt64() == -1)
        #expect(decoder.isAtEnd)
    }

    @Test func recordsRoundTrip() throws {
        var encoder = JuteEncoder()
        encoder.write(vector: ZooKeeperACL.openUnsafe) { $0.write($1) }
        encoder.write(Int64.min)
        encoder.write(Int32.max)
        encoder.write(false)
        var decoder = JuteDecoder(encoder.bytes)
        let acl = try decoder.readVector { (decoder: inout JuteDecoder) throws(ZooKeeperError) in try decoder.read(ZooKeeperACL.self) }
        #expect(acl == ZooKeeperACL.openUnsafe)
        #expect(acl?.first?.permissions == .all)
        #expect(try decoder.readInt64() == Int64.min)
        #expect(try decoder.readInt32() == Int32.max)
        #expect(try decoder.readBool() == false)
    }

    @Test func statAndReplyDecoding() throws {
        var encoder = JuteEncoder()
        encoder.write(Int32(7)); encoder.write(Int64(0x5_0000_0003)); encoder.write(Int32(-101))  // reply header
        for value: Int64 in [1, 2, 3, 4] { encoder.write(value) }
        encoder.write(Int32(5)); encoder.write(Int32(6)); encoder.write(Int32(0))
        encoder.write(Int64(0x1234)); encoder.write(Int32(9)); encoder.write(Int32(2)); encoder.write(Int64(8))
        var decoder = JuteDecoder(encoder.bytes)
        let header = try decoder.read(ReplyHeader.self)
        #expect(header.xid == 7 && header.zxid == 0x5_0000_0003 && header.error == ZooKeeperErrorCode.noNode)
        let stat = try decoder.read(ZooKeeperStat.self)
        #expect(stat.czxid == 1 && stat.mzxid == 2 && stat.ctime == 3 && stat.mtime == 4)
        #expect(stat.version == 5 && stat.cversion == 6 && stat.aversion == 0)
        #expect(stat.ephemeralOwner == 0x1234 && stat.dataLength == 9 && stat.numChildren == 2 && stat.pzxid == 8)
        #expect(decoder.isAtEnd)
    }

    @Test func truncatedOrCorruptInputIsAnError() {
        var short = JuteDecoder([0, 0, 0])
        #expect(throws: ZooKeeperError.self) { try short.readInt32() }
        var overlong = JuteDecoder([0, 0, 0, 9, 1, 2])
        #expect(throws: ZooKeeperError.self) { try overlong.readBuffer() }
        var hugeVector = JuteDecoder([0x7F, 0xFF, 0xFF, 0xFF])
        #expect(throws: ZooKeeperError.self) {
            try hugeVector.readVector { (decoder: inout JuteDecoder) throws(ZooKeeperError) in try decoder.readInt32() }
        }
        // A ConnectResponse of a pre-3.4 server has no readOnly byte.
        var encoder = JuteEncoder()
        encoder.write(Int32(0)); encoder.write(Int32(4000)); encoder.write(Int64(42)); encoder.write(buffer: [1, 2])
        var old = JuteDecoder(encoder.bytes)
        #expect((try? old.read(ConnectResponse.self))?.readOnly == false)
    }

    @Test func ensembleConfigParsing() {
        let config = EnsembleConfig(text: """
            server.1=zk-0.zk-headless:2888:3888:participant;0.0.0.0:2181
            server.2=zk-1.zk-headless:2888:3888:observer;2181
            server.3=10.0.0.3:2888:3888
            version=100000003
            """)
        #expect(config.memberIDs == [1, 2, 3])
        #expect(config.version == 0x1_0000_0003)
        #expect(config.member(id: 1) == EnsembleConfig.Member(id: 1, host: "zk-0.zk-headless", quorumPort: 2888, electionPort: 3888,
                                                              clientHost: "0.0.0.0", clientPort: 2181))
        #expect(config.member(id: 2)?.role == "observer")
        #expect(config.member(id: 2)?.clientHost == nil && config.member(id: 2)?.clientPort == 2181)
        #expect(config.member(id: 3)?.clientPort == nil)
        #expect(config.participants.map(\.id) == [1, 3])
        #expect(config.member(id: 1)?.configLine == "server.1=zk-0.zk-headless:2888:3888:participant;0.0.0.0:2181")
        #expect(EnsembleConfig(text: "").members.isEmpty)
    }

    @Test func digestCredentials() {
        #expect(SHA1.hash(Array("abc".utf8)) == [0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
                                                 0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d])
        #expect(SHA1.hash([]).count == 20)
        // `echo -n super:keeper-test | openssl dgst -binary -sha1 | openssl base64`
        let credentials = DigestCredentials(user: "super", password: "keeper-test")
        #expect(credentials.digest == "super:I9MoiYOvkNfHVmO8OQx6+BWbc+8=")
        #expect(DigestCredentials(user: "zookeeper", password: "123").digest == "zookeeper:f2D13k7Nnh8a/BPXvEqsSlNAEKs=")
        #expect(credentials.superDigestJVMFlag == "-Dzookeeper.DigestAuthenticationProvider.superDigest=super:I9MoiYOvkNfHVmO8OQx6+BWbc+8=")
        // A message longer than one 64-byte block.
        let long = String(repeating: "k", count: 100)
        #expect(DigestCredentials(user: "u", password: long).digest.hasPrefix("u:"))
    }

    @Test func connectStrings() throws {
        let servers = try ZooKeeperClient.parse("zk-0.zk:2181, 127.0.0.1:2182,[::1]:2183")
        #expect(servers == [.init(host: "zk-0.zk", port: 2181), .init(host: "127.0.0.1", port: 2182), .init(host: "::1", port: 2183)])
        #expect(throws: ZooKeeperError.self) { try ZooKeeperClient.parse("zk-0.zk") }
        #expect(throws: ZooKeeperError.self) { try ZooKeeperClient.parse("") }
    }

    @Test func errorNamesAndPredicates() {
        let noNode = ZooKeeperError.server(code: -101, path: "/a")
        #expect(noNode.isNoNode && !noNode.isNodeExists)
        #expect(noNode.description == "ZooKeeper error NoNode (-101) on /a")
        #expect(ZooKeeperErrorCode.name(of: ZooKeeperErrorCode.newConfigNoQuorum) == "NewConfigNoQuorum")
        #expect(ZooKeeperErrorCode.name(of: ZooKeeperErrorCode.reconfigInProgress) == "ReconfigInProgress")
        #expect(ZooKeeperErrorCode.name(of: -6) == "Unimplemented")
        #expect(ZooKeeperErrorCode.name(of: 12345) == "Unknown")
        #expect(ZooKeeperError.server(code: -13, path: nil).isRetryableReconfig)
        #expect(ZooKeeperError.server(code: -4, path: nil).isConnectionLoss)
        #expect(ZooKeeperError.timeout.serverCode == nil)
        #expect(ZooKeeperError.notWhitelisted("stat").description.contains("4lw.commands.whitelist"))
    }
}
