/// A member's role as `srvr` reports it in its `Mode:` line.
public enum ZooKeeperRole: String, Sendable, Codable {
    case leader, follower, observer, standalone, unknown
}

/// What `srvr` says.
///
/// A member without quorum answers "This ZooKeeper instance is not currently serving
/// requests": then `isServing` is false and `role` is `.unknown`. A member in read-only mode
/// (`readonlymode.enabled`) reports `Mode: read-only`: `isReadOnly` is true, `role` `.unknown`.
///
/// The role is not membership: a server removed by `reconfig` (or one started to join but
/// not added yet) follows the leader as a non-voting follower and still says
/// `Mode: follower`. Membership comes from `/zookeeper/config` (`ZooKeeperClient.getConfig`),
/// voting sync state from the leader's `mntr` (`MonitorStatus.syncedVotingFollowers`).
public struct ServerStatus: Sendable, Equatable {
    public var role: ZooKeeperRole
    /// The last zxid the member has seen (`Zxid: 0x...`); its high 32 bits are the epoch.
    public var zxid: Int64?
    /// The release, e.g. "3.9.4" (without the commit id and build date).
    public var version: String?
    /// False when the member answered that it is not serving requests.
    public var isServing: Bool
    /// The raw `Mode:` value ("leader", "follower", "read-only", ...).
    public var mode: String?
    public var isReadOnly: Bool { mode == "read-only" }
    /// `Latency min/avg/max` in milliseconds.
    public var latencyMin: Double?
    public var latencyAvg: Double?
    public var latencyMax: Double?
    public var received: Int?
    public var sent: Int?
    public var connections: Int?
    public var outstanding: Int?
    public var nodeCount: Int?

    /// The leader epoch of `zxid` (its high 32 bits).
    public var epoch: Int64? { zxid.map { $0 >> 32 } }

    /// Parses `srvr` output of ZooKeeper 3.5 to 3.9.
    public init(srvrOutput: String) {
        role = .unknown
        isServing = !srvrOutput.contains(FourLetterWords.notServingMarker)
        for line in srvrOutput.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingWhitespace()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            switch key {
            case "Zookeeper version":
                version = value.split(whereSeparator: { $0 == "-" || $0 == "," }).first.map(String.init)
            case "Mode":
                mode = value
                role = ZooKeeperRole(rawValue: value) ?? .unknown
            case "Zxid":
                zxid = value.hasPrefix("0x") ? Int64(value.dropFirst(2), radix: 16) : Int64(value)
            case "Latency min/avg/max":
                let parts = value.split(separator: "/").map { Double($0) }
                if parts.count == 3 { (latencyMin, latencyAvg, latencyMax) = (parts[0], parts[1], parts[2]) }
            case "Received": received = Int(value)
            case "Sent": sent = Int(value)
            case "Connections": connections = Int(value)
            case "Outstanding": outstanding = Int(value)
            case "Node count": nodeCount = Int(value)
            default: break
            }
        }
    }
}
