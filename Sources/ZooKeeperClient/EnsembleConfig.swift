/// The dynamic membership as `/zookeeper/config` (and `reconfig`) return it:
/// `server.<id>=<host>:<quorumPort>:<electionPort>[:<role>][;[<clientHost>:]<clientPort>]`
/// lines and a `version=<hex zxid>` line.
public struct EnsembleConfig: Sendable, Equatable {
    /// One `server.N=` line.
    public struct Member: Sendable, Equatable {
        public var id: Int
        public var host: String
        public var quorumPort: Int
        public var electionPort: Int
        /// "participant" (a voter) or "observer".
        public var role: String
        public var clientHost: String?
        public var clientPort: Int?

        public init(id: Int, host: String, quorumPort: Int, electionPort: Int, role: String = "participant",
                    clientHost: String? = nil, clientPort: Int? = nil) {
            self.id = id
            self.host = host
            self.quorumPort = quorumPort
            self.electionPort = electionPort
            self.role = role
            self.clientHost = clientHost
            self.clientPort = clientPort
        }

        /// The line's value, e.g. "10.0.0.3:2888:3888:participant;0.0.0.0:2181".
        public var serverSpec: String {
            var spec = "\(host):\(quorumPort):\(electionPort):\(role)"
            if let clientPort { spec += ";" + (clientHost.map { "\($0):" } ?? "") + String(clientPort) }
            return spec
        }

        /// The whole line, as `reconfig` takes it for a joining server: "server.3=...".
        public var configLine: String { "server.\(id)=\(serverSpec)" }

        /// Parses one line's id and value; nil when it is not a server line.
        public init?(id: Int, spec: String) {
            let halves = spec.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
            let peer = halves[0].split(separator: ":")
            guard peer.count >= 3, let quorum = Int(peer[1]), let election = Int(peer[2]) else { return nil }
            self.init(id: id, host: String(peer[0]), quorumPort: quorum, electionPort: election,
                      role: peer.count >= 4 ? String(peer[3]) : "participant")
            if halves.count == 2 {
                let client = halves[1]
                if let colon = client.lastIndex(of: ":") {
                    clientHost = String(client[..<colon])
                    clientPort = Int(client[client.index(after: colon)...])
                } else {
                    clientPort = Int(client)
                }
            }
        }
    }

    public var members: [Member]
    /// The configuration's version (the zxid that created it), for `reconfig(fromConfig:)`.
    public var version: Int64?
    /// The text as the server sent it.
    public var text: String

    /// Parses the content of `/zookeeper/config`.
    public init(text: String) {
        self.text = text
        members = []
        for line in text.split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingWhitespace()
            let value = line[line.index(after: equals)...].trimmingWhitespace()
            if key == "version" {
                version = Int64(value, radix: 16)
            } else if key.hasPrefix("server."), let id = Int(key.dropFirst("server.".count)),
                      let member = Member(id: id, spec: value) {
                members.append(member)
            }
        }
    }

    public var memberIDs: [Int] { members.map(\.id) }
    public func member(id: Int) -> Member? { members.first { $0.id == id } }
    /// Members that vote (not observers).
    public var participants: [Member] { members.filter { $0.role == "participant" } }
}
