import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import ZooKeeperClient

/// A scripted server on 127.0.0.1 speaking just enough of the wire protocol to drive the
/// client into cases a healthy ZooKeeper rarely produces (expired sessions, replies out of
/// order, connections dropped mid-request). Each accepted connection runs `handler` with
/// its index on its own thread.
final class FakeZooKeeperServer: Sendable {
    let port: Int
    private let listener: SilentListener

    init(_ handler: @escaping @Sendable (_ index: Int, _ connection: FakeConnection) throws -> Void) throws {
        listener = try SilentListener()
        port = listener.port
        let fd = listener.fd
        let thread = Thread {
            var index = 0
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                let connection = FakeConnection(fd: client)
                let current = index
                index += 1
                Thread {
                    try? handler(current, connection)
                    connection.close()
                }.start()
            }
        }
        thread.start()
    }

    var connectString: String { "127.0.0.1:\(port)" }

    func stop() {
        _ = shutdown(listener.fd, Int32(SHUT_RDWR))
        listener.close()
    }
}

/// One accepted connection of `FakeZooKeeperServer`.
final class FakeConnection: Sendable {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }

    struct Request {
        var xid: Int32
        var opCode: Int32
        var body: JuteDecoder
    }

    func readFrame() throws -> [UInt8] {
        let length = try readExactly(4).reduce(0) { ($0 << 8) | Int($1) }
        return try readExactly(length)
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let received = bytes[offset...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, count - offset, 0) }
            if received <= 0 { throw LocalZooKeeperError.setup("fake server: client went away") }
            offset += received
        }
        return bytes
    }

    func write(_ encoder: JuteEncoder) {
        let frame = encoder.framed
        _ = frame.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads the ConnectRequest and accepts it with `timeout` (0 means "expired").
    func handshake(sessionId: Int64 = 0x1234, timeout: Int32 = 6000) throws {
        _ = try readFrame()
        var reply = JuteEncoder()
        reply.write(Int32(0))
        reply.write(timeout)
        reply.write(sessionId)
        reply.write(buffer: [UInt8](repeating: 7, count: 16))
        reply.write(false)
        write(reply)
    }

    /// The next request other than a ping (pings are answered).
    func readRequest() throws -> Request {
        while true {
            var decoder = JuteDecoder(try readFrame())
            let xid = try decoder.readInt32()
            let opCode = try decoder.readInt32()
            if xid == -2 {
                reply(xid: -2)
                continue
            }
            return Request(xid: xid, opCode: opCode, body: decoder)
        }
    }

    /// A reply header, then `body`.
    func reply(xid: Int32, zxid: Int64 = 1, error: Int32 = 0, body: (inout JuteEncoder) -> Void = { _ in }) {
        var encoder = JuteEncoder()
        encoder.write(xid)
        encoder.write(zxid)
        encoder.write(error)
        body(&encoder)
        write(encoder)
    }

    /// A GetDataResponse carrying `data` and a stat whose version is `version`.
    func replyData(xid: Int32, data: [UInt8], version: Int32 = 0) {
        reply(xid: xid) { encoder in
            encoder.write(buffer: data)
            for _ in 0..<4 { encoder.write(Int64(0)) }
            encoder.write(version); encoder.write(Int32(0)); encoder.write(Int32(0))
            encoder.write(Int64(0)); encoder.write(Int32(data.count)); encoder.write(Int32(0)); encoder.write(Int64(0))
        }
    }

    func close() { _ = Glibc.close(fd) }
}
