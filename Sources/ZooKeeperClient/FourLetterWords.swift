/// STUB SURFACE (the zookeeper branch fills it in): ZooKeeper's four-letter-word commands
/// over TCP (`srvr`, `mntr`, `ruok`), and what their answers mean.
public enum FourLetterWords {
    /// Sends `word` to host:port and returns the whole answer.
    public static func send(_ word: String, host: String, port: Int = 2181, timeout: Duration = .seconds(2)) async throws -> String {
        throw ZooKeeperError.connectionFailed("not yet")
    }

    public static func serverStatus(host: String, port: Int = 2181, timeout: Duration = .seconds(2)) async throws -> ServerStatus {
        ServerStatus(srvrOutput: try await send("srvr", host: host, port: port, timeout: timeout))
    }

    public static func monitorStatus(host: String, port: Int = 2181, timeout: Duration = .seconds(2)) async throws -> MonitorStatus {
        MonitorStatus(mntrOutput: try await send("mntr", host: host, port: port, timeout: timeout))
    }
}

/// A member's role as `srvr` reports it in its `Mode:` line.
public enum ZooKeeperRole: String, Sendable, Codable {
    case leader, follower, observer, standalone, unknown
}

/// What `srvr` says.
public struct ServerStatus: Sendable, Equatable {
    public var role: ZooKeeperRole
    public var zxid: Int64?
    public var version: String?
    /// STUB: parse `srvr` output.
    public init(srvrOutput: String) { role = .unknown }
}

/// What `mntr` says: every `key<TAB>value` line, and the ones Keeper decides with.
public struct MonitorStatus: Sendable, Equatable {
    public var values: [String: String]
    /// STUB: parse `mntr` output.
    public init(mntrOutput: String) { values = [:] }
    public var serverState: String? { values["zk_server_state"] }
    /// Present on the leader only.
    public var syncedFollowers: Int? { values["zk_synced_followers"].flatMap { Int($0) } }
}

/// Errors of the ZooKeeper client layer.
public enum ZooKeeperError: Error, Sendable, Equatable {
    case connectionFailed(String)
    case timeout
    case protocolError(String)
    /// A ZooKeeper error code from a reply header (e.g. -101 NoNode).
    case server(code: Int32, path: String?)
}
