import ZooKeeperClient

/// Asks one member for its role. A protocol so tests can fake the ensemble.
public protocol MemberProber: Sendable {
    /// The role `srvr` reports at `host:port`; `.unknown` when the member is unreachable, not
    /// serving, or does not answer in time. Never throws: an unreachable member is a fact to
    /// report, not an error.
    func role(host: String, port: Int) async -> ZooKeeperRole
}

/// Probes real members with the `srvr` four-letter word over TCP.
public struct FourLetterWordProber: MemberProber {
    public var timeout: Duration

    public init(timeout: Duration = .seconds(2)) {
        self.timeout = timeout
    }

    public func role(host: String, port: Int) async -> ZooKeeperRole {
        do {
            return try await FourLetterWords.serverStatus(host: host, port: port, timeout: timeout).role
        } catch {
            return .unknown
        }
    }
}
