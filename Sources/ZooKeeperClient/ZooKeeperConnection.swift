import Foundation
import Synchronization

/// A reply: its header and the undecoded body.
struct ZooKeeperReply: Sendable {
    var header: ReplyHeader
    var body: [UInt8]
}

/// One TCP connection that carries a session: the handshake, then framed requests whose
/// replies a dedicated reader thread matches to their waiting callers by xid.
///
/// The connection never reconnects; when it breaks, every waiter fails with ConnectionLoss,
/// `onClose` runs once, and the owner (`ZooKeeperClient`) opens a new one.
final class ZooKeeperConnection: Sendable {
    typealias Waiter = CheckedContinuation<ZooKeeperReply, Error>

    private struct State {
        var pending: [Int32: Waiter] = [:]
        /// Auth replies all carry xid -4 and come back in order.
        var authWaiters: [Waiter] = []
        var closedBecause: ZooKeeperError?
        var lastZxid: Int64
    }

    /// The server's "host:port".
    let server: String
    let sessionId: Int64
    let password: [UInt8]
    /// The session timeout the server granted.
    let negotiatedTimeout: Duration
    /// True when the server serves read-only (it has no quorum).
    let isReadOnly: Bool
    private let socket: TCPSocket
    private let state: Mutex<State>
    /// A reply frame larger than this is a protocol error (the server's jute.maxbuffer is ~1 MB).
    private static let maxFrame = 16 << 20

    private init(socket: TCPSocket, response: ConnectResponse, lastZxid: Int64) {
        self.socket = socket
        server = socket.address
        sessionId = response.sessionId
        password = response.password
        negotiatedTimeout = .milliseconds(Int(response.timeout))
        isReadOnly = response.readOnly
        state = Mutex(State(lastZxid: lastZxid))
    }

    /// Connects and performs the handshake (blocking, bounded by `timeout`), then starts the
    /// reader. Throws `.server(code: SessionExpired)` when the server refuses the session.
    static func open(host: String, port: Int, request: ConnectRequest, timeout: Duration,
                     onClose: @escaping @Sendable (ZooKeeperConnection, ZooKeeperError) -> Void) throws(ZooKeeperError) -> ZooKeeperConnection {
        let deadline = ContinuousClock.now + timeout
        let socket = try TCPSocket.connect(host: host, port: port, timeout: timeout)
        let response: ConnectResponse
        do {
            var encoder = JuteEncoder()
            encoder.write(request)
            try socket.write(encoder.framed)
            var decoder = JuteDecoder(try readFrame(socket, deadline: deadline))
            response = try decoder.read(ConnectResponse.self)
        } catch {
            socket.close()
            throw error
        }
        guard response.timeout > 0 else {
            socket.close()
            throw .server(code: ZooKeeperErrorCode.sessionExpired, path: nil)
        }
        let connection = ZooKeeperConnection(socket: socket, response: response, lastZxid: request.lastZxidSeen)
        let thread = Thread { connection.readLoop(onClose: onClose) }
        thread.name = "zookeeper-reader \(connection.server)"
        thread.start()
        return connection
    }

    private static func readFrame(_ socket: TCPSocket, deadline: ContinuousClock.Instant) throws(ZooKeeperError) -> [UInt8] {
        var lengthDecoder = JuteDecoder(try socket.read(exactly: 4, deadline: deadline))
        let length = Int(try lengthDecoder.readInt32())
        guard length >= 0, length <= maxFrame else { throw .protocolError("frame length \(length)") }
        return try socket.read(exactly: length, deadline: deadline)
    }

    var isClosed: Bool { state.withLock { $0.closedBecause != nil } }
    /// The highest zxid seen in a reply on this connection (or the one it was opened with).
    var lastZxid: Int64 { state.withLock { $0.lastZxid } }

    /// Sends a request and waits for its reply, at most `timeout`; a timeout also drops the
    /// connection, since a server that answers nothing (not even pings) is of no use.
    func send(xid: Int32, _ op: OpCode, _ body: (any JuteEncodable)?, timeout: Duration) async throws -> ZooKeeperReply {
        var encoder = JuteEncoder()
        encoder.write(RequestHeader(xid: xid, type: op))
        if let body { encoder.write(body) }
        let frame = encoder.framed
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.fail(xid: xid, with: .timeout)
            self?.close()
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { (waiter: Waiter) in
            let outcome: SendOutcome = state.withLock { state in
                if let reason = state.closedBecause { return .notRegistered(reason) }
                if xid == ReservedXid.auth { state.authWaiters.append(waiter) } else { state.pending[xid] = waiter }
                // Writing under the lock keeps the reader from closing the descriptor mid-write.
                do { try socket.write(frame) } catch { return .writeFailed }
                return .sent
            }
            switch outcome {
            case .sent: break
            case .notRegistered(let reason): waiter.resume(throwing: reason)
            // The reader sees the shutdown and fails every registered waiter with ConnectionLoss.
            case .writeFailed: close()
            }
        }
    }

    private enum SendOutcome {
        case sent, writeFailed
        case notRegistered(ZooKeeperError)
    }

    /// Sends a keepalive; its reply is consumed by the reader.
    func sendPing() {
        sendWithoutWaiting(xid: ReservedXid.ping, .ping)
    }

    /// Writes a request no one waits for: its reply, if any comes, matches no waiter and is
    /// dropped by the reader.
    func sendWithoutWaiting(xid: Int32, _ op: OpCode) {
        var encoder = JuteEncoder()
        encoder.write(RequestHeader(xid: xid, type: op))
        let frame = encoder.framed
        state.withLock { state in
            guard state.closedBecause == nil else { return }
            try? socket.write(frame)
        }
    }

    /// Breaks the connection; waiters fail with ConnectionLoss. Once the reader has closed
    /// the descriptor its number may belong to another socket, hence the check under the lock.
    func close() {
        state.withLock { state in
            if state.closedBecause == nil { socket.shutdown() }
        }
    }

    private func fail(xid: Int32, with error: ZooKeeperError) {
        let waiter: Waiter? = state.withLock { state in
            if xid == ReservedXid.auth { return state.authWaiters.isEmpty ? nil : state.authWaiters.removeFirst() }
            return state.pending.removeValue(forKey: xid)
        }
        waiter?.resume(throwing: error)
    }

    private func readLoop(onClose: @Sendable (ZooKeeperConnection, ZooKeeperError) -> Void) {
        // Pings go out every third of the timeout, so silence for two thirds means a dead peer.
        let readTimeout = negotiatedTimeout * 2 / 3
        var reason = ZooKeeperError.server(code: ZooKeeperErrorCode.connectionLoss, path: nil)
        while true {
            do {
                let frame = try Self.readFrame(socket, deadline: .now + readTimeout)
                var decoder = JuteDecoder(frame)
                let header = try decoder.read(ReplyHeader.self)
                deliver(ZooKeeperReply(header: header, body: Array(frame[decoder.offset...])))
            } catch {
                if case .protocolError = error { reason = error }
                break
            }
        }
        let waiters: [Waiter] = state.withLock { state in
            state.closedBecause = reason
            socket.close()
            defer { state.pending = [:]; state.authWaiters = [] }
            return Array(state.pending.values) + state.authWaiters
        }
        for waiter in waiters { waiter.resume(throwing: reason) }
        onClose(self, reason)
    }

    private func deliver(_ reply: ZooKeeperReply) {
        let xid = reply.header.xid
        if xid == ReservedXid.ping || xid == ReservedXid.notification { return }
        let waiter: Waiter? = state.withLock { state in
            if reply.header.zxid > state.lastZxid { state.lastZxid = reply.header.zxid }
            if xid == ReservedXid.auth { return state.authWaiters.isEmpty ? nil : state.authWaiters.removeFirst() }
            return state.pending.removeValue(forKey: xid)
        }
        waiter?.resume(returning: reply)
    }
}
