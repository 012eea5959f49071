import Dispatch

/// A ZooKeeper session over the wire protocol, enough for Keeper and its end-to-end tests:
/// CRUD with versions, `sync`, `getConfig`, `reconfig`, digest `addAuth`.
///
/// The client connects to one server of the connect string ("host:port,host:port") and,
/// when that connection breaks, resumes the same session on the next server (ephemeral
/// znodes survive) until the session times out. Requests in flight when a connection breaks
/// fail with ConnectionLoss (a write may or may not have been applied, as with every
/// ZooKeeper client); reads (`getData`, `exists`, `getChildren`, `getConfig`, `sync`) are
/// retried on the next connection instead. Watches are not supported.
public actor ZooKeeperClient {
    /// Tuning knobs.
    public struct Options: Sendable {
        /// Requested session timeout; the server clamps it to [2, 20] ticks by default.
        public var sessionTimeout: Duration = .seconds(10)
        /// Per-server bound on TCP connect plus handshake.
        public var connectTimeout: Duration = .seconds(3)
        /// Bound on one request's reply.
        public var requestTimeout: Duration = .seconds(10)
        /// Accept servers in read-only mode (serving reads without quorum).
        public var allowReadOnly: Bool = false
        /// Start at a random server of the connect string (spreads clients, as the Java client
        /// does); false tries them in the order given.
        public var randomizeServerOrder: Bool = true

        public init() {}
    }

    /// One entry of the connect string.
    public struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public init(host: String, port: Int) { self.host = host; self.port = port }
        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    public nonisolated let servers: [ServerAddress]
    public nonisolated let options: Options
    private var connection: ZooKeeperConnection?
    private var connecting: Task<ZooKeeperConnection, Error>?
    private var keepAlive: Task<Void, Never>?
    private var sessionId: Int64 = 0
    private var password = [UInt8](repeating: 0, count: 16)
    private var negotiatedTimeout: Duration?
    private var lastZxid: Int64 = 0
    private var nextServer = 0
    private var nextXid: Int32 = 1
    private var disconnectedSince: ContinuousClock.Instant?
    private var authentications: [(scheme: String, auth: [UInt8])] = []
    private var terminalError: ZooKeeperError?

    /// Parses the connect string (an optional "/chroot" suffix is not supported) without
    /// connecting; the first request or `connect()` opens the session.
    public init(connectString: String, options: Options = Options()) throws(ZooKeeperError) {
        servers = try Self.parse(connectString)
        self.options = options
        nextServer = options.randomizeServerOrder ? Int.random(in: 0..<servers.count) : 0
    }

    /// Opens a session on one of the servers in `connectString`.
    public static func connect(_ connectString: String, options: Options = Options()) async throws -> ZooKeeperClient {
        let client = try ZooKeeperClient(connectString: connectString, options: options)
        try await client.connect()
        return client
    }

    static func parse(_ connectString: String) throws(ZooKeeperError) -> [ServerAddress] {
        var result: [ServerAddress] = []
        for entry in connectString.split(separator: ",") {
            let text = entry.trimmingWhitespace()
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
                throw .connectionFailed("bad connect string entry '\(text)' (want host:port)")
            }
            let host = text[..<colon].trimmingCharacters(in: "[]")
            result.append(ServerAddress(host: host, port: port))
        }
        guard !result.isEmpty else { throw .connectionFailed("empty connect string") }
        return result
    }

    deinit {
        // A client dropped without `close()`: stop pinging and drop the connection; the
        // server expires the session after its timeout.
        keepAlive?.cancel()
        connection?.close()
    }

    /// Opens the session now (otherwise the first request does).
    public func connect() async throws { _ = try await activeConnection() }

    /// The session id (0 before the first connection).
    public var sessionID: Int64 { sessionId }
    /// The session timeout the server granted.
    public var sessionTimeout: Duration? { negotiatedTimeout }
    /// The server the session is connected to right now, if any.
    public var connectedServer: String? { connection.flatMap { $0.isClosed ? nil : $0.server } }

    // MARK: Connection management

    private func activeConnection() async throws -> ZooKeeperConnection {
        if let terminalError { throw terminalError }
        if let connection, !connection.isClosed { return connection }
        if let connecting { return try await connecting.value }
        let task = Task { try await self.establish() }
        connecting = task
        defer { connecting = nil }
        return try await task.value
    }

    /// Tries the servers in turn until one takes the session, until the session would have
    /// expired (or, for a new session, for one session timeout).
    private func establish() async throws -> ZooKeeperConnection {
        let patience = negotiatedTimeout ?? max(options.sessionTimeout, options.connectTimeout * servers.count)
        let deadline = (disconnectedSince ?? .now) + patience
        var lastError = ZooKeeperError.connectionFailed("no server tried")
        repeat {
            for _ in servers.indices {
                let server = servers[nextServer]
                nextServer = (nextServer + 1) % servers.count
                do {
                    let connection = try await open(server)
                    try await adopt(connection)
                    return connection
                } catch let error as ZooKeeperError {
                    if error.isSessionExpired || error.hasCode(ZooKeeperErrorCode.authFailed) {
                        terminalError = error
                        keepAlive?.cancel()
                        throw error
                    }
                    lastError = error
                }
            }
            try await Task.sleep(for: .milliseconds(200))
        } while ContinuousClock.now < deadline && terminalError == nil
        throw lastError
    }

    private func open(_ server: ServerAddress) async throws -> ZooKeeperConnection {
        let request = ConnectRequest(lastZxidSeen: lastZxid, timeout: Int32(options.sessionTimeout.milliseconds),
                                     sessionId: sessionId, password: password, readOnly: options.allowReadOnly)
        let timeout = options.connectTimeout
        let onClose: @Sendable (ZooKeeperConnection, ZooKeeperError) -> Void = { [weak self] connection, _ in
            Task { await self?.connectionClosed(connection) }
        }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { () throws(ZooKeeperError) in
                    try ZooKeeperConnection.open(host: server.host, port: server.port, request: request,
                                                 timeout: timeout, onClose: onClose)
                })
            }
        }
    }

    /// Makes a fresh connection the session's, replays authentication, starts keepalives.
    private func adopt(_ connection: ZooKeeperConnection) async throws {
        sessionId = connection.sessionId
        password = connection.password
        negotiatedTimeout = connection.negotiatedTimeout
        self.connection = connection
        disconnectedSince = nil
        // Identities belong to a connection, not a session: every new connection needs them again.
        for (scheme, auth) in authentications {
            try await sendAuth(scheme: scheme, auth: auth, on: connection)
        }
        if keepAlive == nil {
            // Holds the client only during a step, so an abandoned client is freed (see deinit).
            keepAlive = Task { [weak self] in
                while !Task.isCancelled, let pause = await self?.keepAliveStep() {
                    try? await Task.sleep(for: pause)
                }
            }
        }
    }

    private func connectionClosed(_ closed: ZooKeeperConnection) {
        guard connection === closed else { return }
        lastZxid = max(lastZxid, closed.lastZxid)
        connection = nil
        disconnectedSince = .now
    }

    /// One keepalive step: a ping every third of the session timeout, or an immediate
    /// reconnect when the connection dropped, so the session (and its ephemeral znodes)
    /// survive idle periods and failovers. Returns the pause before the next step, nil to stop.
    private func keepAliveStep() async -> Duration? {
        guard terminalError == nil else { return nil }
        if let connection, !connection.isClosed {
            connection.sendPing()
            return (negotiatedTimeout ?? options.sessionTimeout) / 3
        }
        do {
            _ = try await activeConnection()
            return .zero
        } catch {
            return .milliseconds(100)
        }
    }

    /// Ends the session (its ephemeral znodes go at once) and the connection, waiting up to
    /// `replyTimeout` for the server to confirm. A caller with nothing ephemeral passes
    /// `.zero`: the request is still sent, and a session the server cannot end now (a leader
    /// that just lost its vote commits nothing more, so it holds the answer until it steps
    /// down, about a second) expires on its own.
    public func close(replyTimeout: Duration = .seconds(2)) async {
        guard terminalError == nil else { return }
        terminalError = .closed
        keepAlive?.cancel()
        keepAlive = nil
        if let connection, !connection.isClosed {
            if replyTimeout > .zero {
                _ = try? await connection.send(xid: takeXid(), .closeSession, nil, timeout: replyTimeout)
            } else {
                // Written before the shutdown below, with no timer racing it.
                connection.sendWithoutWaiting(xid: takeXid(), .closeSession)
            }
            connection.close()
        }
        connection = nil
    }

    // MARK: Requests

    private func takeXid() -> Int32 {
        defer { nextXid = nextXid == Int32.max ? 1 : nextXid + 1 }
        return nextXid
    }

    /// Sends one request and returns its reply body, or throws the server's error code.
    func call(_ op: OpCode, _ body: (any JuteEncodable)?, path: String?) async throws -> JuteDecoder {
        let connection = try await activeConnection()
        let reply = try await connection.send(xid: takeXid(), op, body, timeout: options.requestTimeout)
        lastZxid = max(lastZxid, reply.header.zxid)
        guard reply.header.error == 0 else { throw ZooKeeperError.server(code: reply.header.error, path: path) }
        return JuteDecoder(reply.body)
    }

    /// `call` for requests that are safe to repeat: a lost connection or a silent server
    /// leads to another attempt on the next connection until the session's patience runs out.
    func callRetrying(_ op: OpCode, _ body: (any JuteEncodable)?, path: String?) async throws -> JuteDecoder {
        let deadline = ContinuousClock.now + (negotiatedTimeout ?? options.sessionTimeout) + options.requestTimeout
        while true {
            do {
                return try await call(op, body, path: path)
            } catch let error as ZooKeeperError where (error.isConnectionLoss || error == .timeout) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    private func sendAuth(scheme: String, auth: [UInt8], on connection: ZooKeeperConnection) async throws {
        let reply = try await connection.send(xid: ReservedXid.auth, .auth, AuthPacket(scheme: scheme, auth: auth),
                                              timeout: options.requestTimeout)
        guard reply.header.error == 0 else { throw ZooKeeperError.server(code: reply.header.error, path: nil) }
    }

    /// Adds an identity to the session (e.g. scheme "digest", auth "user:password"); it is
    /// presented again on every reconnect. A refused identity (AuthFailed) ends the session.
    public func addAuth(scheme: String, auth: [UInt8]) async throws {
        let connection = try await activeConnection()
        try await sendAuth(scheme: scheme, auth: auth, on: connection)
        authentications.append((scheme, auth))
    }

    /// `addAuth` with the digest scheme.
    public func addAuth(_ credentials: DigestCredentials) async throws {
        try await addAuth(scheme: "digest", auth: Array(credentials.authText.utf8))
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
