import ZooKeeperClient

/// Asks members what they are doing, with ZooKeeper's four-letter words. A protocol so tests
/// can fake an ensemble. Never throws: an unreachable member is a fact to report, not an error.
public protocol MemberProber: Sendable {
    /// `srvr`: mode and zxid; nil when nothing answers in time.
    func serverStatus(host: String, port: Int) async -> ServerStatus?
    /// `mntr`: on the leader, its synced followers; nil when nothing answers in time.
    func monitorStatus(host: String, port: Int) async -> MonitorStatus?
    /// `conf`'s `membership:` lines. On the leader this is the last *committed* configuration:
    /// `QuorumZooKeeperServer.dumpConf` prints `self.getQuorumVerifier()`, which a server
    /// replaces only when a reconfiguration commits (a proposed one is `lastSeenQuorumVerifier`).
    func configuration(host: String, port: Int) async -> EnsembleConfig?
}

/// Probes real members over TCP; every call has one short deadline, so a wedged member never
/// stalls a reconcile.
public struct FourLetterWordProber: MemberProber {
    public var timeout: Duration

    public init(timeout: Duration = .seconds(2)) {
        self.timeout = timeout
    }

    public func serverStatus(host: String, port: Int) async -> ServerStatus? {
        try? await FourLetterWords.serverStatus(host: host, port: port, timeout: timeout)
    }

    public func monitorStatus(host: String, port: Int) async -> MonitorStatus? {
        try? await FourLetterWords.monitorStatus(host: host, port: port, timeout: timeout)
    }

    public func configuration(host: String, port: Int) async -> EnsembleConfig? {
        guard let text = try? await FourLetterWords.send("conf", host: host, port: port, timeout: timeout) else { return nil }
        let config = EnsembleConfig(text: text)
        return config.members.isEmpty || config.version == nil ? nil : config
    }
}

extension MemberProber {
    /// The role `srvr` reports; `.unknown` when the member is unreachable or not serving.
    public func role(host: String, port: Int) async -> ZooKeeperRole {
        await serverStatus(host: host, port: port)?.role ?? .unknown
    }
}
