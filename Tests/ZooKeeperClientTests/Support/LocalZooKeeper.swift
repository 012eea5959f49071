import Foundation
import ZooKeeperClient

/// Real ZooKeeper servers on loopback for tests: one standalone server, or an ensemble with
/// dynamic reconfiguration (`reconfigEnabled=true`, `standaloneEnabled=false`), each in its
/// own directory under a temporary directory, on free ports of 127.0.0.1.
///
/// Every JVM is started under a small shell watchdog that kills it once the test process is
/// gone, so servers never outlive a crashed or interrupted run; `stop()` kills them at once.
final class LocalZooKeeper: @unchecked Sendable {
    // @unchecked: every access to `processes` holds `lock`.
    struct Server: Sendable {
        let id: Int
        let clientPort: Int
        let quorumPort: Int
        let electionPort: Int
        let directory: URL
        var member: EnsembleConfig.Member {
            EnsembleConfig.Member(id: id, host: "127.0.0.1", quorumPort: quorumPort, electionPort: electionPort,
                                  clientHost: "127.0.0.1", clientPort: clientPort)
        }
    }

    /// The superuser the servers accept (`DigestAuthenticationProvider.superDigest`).
    static let superuser = DigestCredentials(user: "super", password: "keeper-test")
    static let whitelist = "srvr,mntr,ruok,conf"

    let installation: ZooKeeperInstallation
    let root: URL
    /// Every server ever started here (a killed one stays listed).
    var servers: [Server] { lock.withLock { allServers } }
    private var allServers: [Server]
    private let lock = NSLock()
    private var processes: [Int: pid_t] = [:]

    var connectString: String { servers.map { "127.0.0.1:\($0.clientPort)" }.joined(separator: ",") }
    func server(_ id: Int) -> Server? { servers.first { $0.id == id } }

    private init(installation: ZooKeeperInstallation, size: Int) throws {
        self.installation = installation
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("keeper-zk-\(UUID().uuidString.prefix(8))")
        self.root = root
        let ports = FreePorts.take(3 * size)
        guard ports.count == 3 * size else { throw LocalZooKeeperError.setup("no free ports") }
        allServers = (0..<size).map { index in
            Server(id: index + 1, clientPort: ports[3 * index], quorumPort: ports[3 * index + 1],
                   electionPort: ports[3 * index + 2], directory: root.appendingPathComponent("server\(index + 1)"))
        }
    }

    /// Starts one server in standalone mode (the classic `Mode: standalone`).
    static func standalone() async throws -> LocalZooKeeper {
        let cluster = try LocalZooKeeper(installation: try ZooKeeperInstallation.require(), size: 1)
        do {
            try cluster.writeConfig(cluster.servers[0], members: nil)
            try cluster.launch(cluster.servers[0])
            try await cluster.waitUntil("standalone server serves", timeout: .seconds(60)) {
                (try? await cluster.status(1))?.role == .standalone
            }
        } catch {
            cluster.stop()
            throw error
        }
        return cluster
    }

    /// Starts an ensemble of `size` participants and waits for one leader and all followers.
    static func ensemble(size: Int = 3) async throws -> LocalZooKeeper {
        let cluster = try LocalZooKeeper(installation: try ZooKeeperInstallation.require(), size: size)
        do {
            let members = cluster.servers.map(\.member)
            for server in cluster.servers {
                try cluster.writeConfig(server, members: members)
                try cluster.launch(server)
            }
            try await cluster.waitForQuorum(members: cluster.servers.map(\.id), timeout: .seconds(90))
        } catch {
            cluster.stop()
            throw error
        }
        return cluster
    }

    /// Starts one more server that is not a member yet: its initial membership is
    /// `members` plus itself as a participant (the ZooKeeper manual's way to join a running
    /// ensemble), so it finds the leader and follows without a vote until `reconfig` adds it.
    func startJoiner(members: [EnsembleConfig.Member]) throws -> Server {
        let ports = FreePorts.take(3)
        guard ports.count == 3 else { throw LocalZooKeeperError.setup("no free ports") }
        let server = lock.withLock {
            let id = (allServers.map(\.id).max() ?? 0) + 1
            let server = Server(id: id, clientPort: ports[0], quorumPort: ports[1], electionPort: ports[2],
                                directory: root.appendingPathComponent("server\(id)"))
            allServers.append(server)
            return server
        }
        try writeConfig(server, members: members + [server.member])
        try launch(server)
        return server
    }

    /// Writes zoo.cfg (and, for an ensemble member, its dynamic file and myid); `members`
    /// nil means standalone mode.
    private func writeConfig(_ server: Server, members: [EnsembleConfig.Member]?) throws {
        let data = server.directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        var lines = [
            "tickTime=1000", "initLimit=10", "syncLimit=5", "dataDir=\(data.path)",
            "preAllocSize=1024", "admin.enableServer=false",
            "4lw.commands.whitelist=\(Self.whitelist)",
        ]
        if let members {
            lines += ["reconfigEnabled=true", "standaloneEnabled=false",
                      "dynamicConfigFile=\(server.directory.path)/zoo.cfg.dynamic"]
            let dynamic = members.map(\.configLine).joined(separator: "\n") + "\n"
            try dynamic.write(to: server.directory.appendingPathComponent("zoo.cfg.dynamic"), atomically: true, encoding: .utf8)
            try "\(server.id)\n".write(to: data.appendingPathComponent("myid"), atomically: true, encoding: .utf8)
        } else {
            lines += ["clientPort=\(server.clientPort)", "clientPortAddress=127.0.0.1"]
        }
        try (lines.joined(separator: "\n") + "\n")
            .write(to: server.directory.appendingPathComponent("zoo.cfg"), atomically: true, encoding: .utf8)
    }

    private func launch(_ server: Server) throws {
        let owner = getpid()
        // The watchdog: `$$` is the shell, which `exec` turns into the JVM. Once the test
        // process is gone (even killed), it kills the JVM if still there (checking that the
        // pid is still a ZooKeeper) and removes the server's files.
        let directory = server.directory.path
        let script = """
            (while kill -0 \(owner) 2>/dev/null; do sleep 1; done
             if grep -q QuorumPeerMain /proc/$$/cmdline 2>/dev/null; then kill -9 $$; sleep 1; fi
             rm -rf '\(directory)'; rmdir '\(root.path)'
            ) >/dev/null 2>&1 </dev/null &
            exec "$@"
            """
        let arguments = ["/bin/sh", "-c", script, "zookeeper", installation.java,
                         "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
                         Self.superuser.superDigestJVMFlag,
                         "-cp", installation.classpath, "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                         server.directory.appendingPathComponent("zoo.cfg").path]
        let pid = try ChildProcess.spawn(arguments, log: server.directory.appendingPathComponent("server.log").path)
        lock.withLock { processes[server.id] = pid }
    }

    /// Ids of the servers started and not killed.
    var runningServers: [Int] { lock.withLock { processes.keys.sorted() } }

    /// `srvr` of one server.
    func status(_ id: Int) async throws -> ServerStatus {
        guard let server = server(id) else { throw LocalZooKeeperError.setup("no server \(id)") }
        return try await FourLetterWords.serverStatus(host: "127.0.0.1", port: server.clientPort, timeout: .seconds(2))
    }

    /// `mntr` of one server.
    func monitor(_ id: Int) async throws -> MonitorStatus {
        guard let server = server(id) else { throw LocalZooKeeperError.setup("no server \(id)") }
        return try await FourLetterWords.monitorStatus(host: "127.0.0.1", port: server.clientPort, timeout: .seconds(2))
    }

    /// The id of the one member that reports `Mode: leader` among `members`, once the
    /// leader has all other members in sync.
    @discardableResult
    func waitForQuorum(members: [Int], timeout: Duration) async throws -> Int {
        var leader = 0
        try await waitUntil("ensemble \(members) has one leader and \(members.count - 1) synced followers", timeout: timeout) {
            var roles: [Int: ZooKeeperRole] = [:]
            for id in members { roles[id] = (try? await self.status(id))?.role ?? .unknown }
            let leaders = roles.filter { $0.value == .leader }.map(\.key)
            guard leaders.count == 1, roles.values.filter({ $0 == .follower }).count == members.count - 1,
                  let synced = (try? await self.monitor(leaders[0]))?.syncedVotingFollowers, synced == members.count - 1
            else { return false }
            leader = leaders[0]
            return true
        }
        return leader
    }

    /// Kills one server at once (SIGKILL, as a crashed machine) and waits for its exit.
    func kill(_ id: Int) {
        guard let pid = lock.withLock({ processes.removeValue(forKey: id) }) else { return }
        ChildProcess.kill(pid)
    }

    /// Kills every server and removes the directory (logs are kept when `keepFiles`).
    func stop(keepFiles: Bool = false) {
        for id in lock.withLock({ Array(processes.keys) }) { kill(id) }
        if !keepFiles { try? FileManager.default.removeItem(at: root) }
    }

    /// The tail of a server's log, for failure messages.
    func logTail(_ id: Int, lines: Int = 30) -> String {
        guard let server = server(id),
              let text = try? String(contentsOf: server.directory.appendingPathComponent("server.log"), encoding: .utf8)
        else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// Polls `condition` every 200 ms until it holds, or throws after `timeout`.
    func waitUntil(_ what: String, timeout: Duration, _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        let logs = servers.map { "--- server \($0.id)\n\(logTail($0.id, lines: 10))" }.joined(separator: "\n")
        throw LocalZooKeeperError.timeout("\(what): not reached in \(timeout)\n\(logs)")
    }
}

enum LocalZooKeeperError: Error, CustomStringConvertible {
    case setup(String)
    case timeout(String)
    var description: String {
        switch self {
        case .setup(let why): "cannot start ZooKeeper: \(why)"
        case .timeout(let why): why
        }
    }
}

/// Runs `body` with a cluster and stops the cluster afterwards, whether `body` threw or not.
func withCluster<T>(_ cluster: LocalZooKeeper, _ body: (LocalZooKeeper) async throws -> T) async throws -> T {
    do {
        let result = try await body(cluster)
        cluster.stop()
        return result
    } catch {
        cluster.stop()
        throw error
    }
}
