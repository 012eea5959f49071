import Dispatch

/// ZooKeeper's four-letter-word commands over TCP (`srvr`, `mntr`, `ruok`, `conf`), and what
/// their answers mean.
///
/// A server answers only the words listed in its `4lw.commands.whitelist` (ZooKeeper 3.5+
/// defaults to `srvr` alone); Keeper needs `srvr,mntr,ruok,conf`. Every call has one hard
/// deadline covering connect, send and read, so a wedged member never stalls a reconcile.
public enum FourLetterWords {
    /// The sentence a server answers with when the word is not whitelisted.
    static let notWhitelistedMarker = "is not executed because it is not in the whitelist"
    /// The sentence a member answers with while it has no quorum (or is still starting).
    static let notServingMarker = "This ZooKeeper instance is not currently serving requests"

    /// Sends `word` to host:port and returns the whole answer (read until the server closes).
    ///
    /// Throws `.connectionRefused` when nothing listens, `.timeout` when the deadline passes,
    /// `.notWhitelisted` when the server refuses the word, `.connectionFailed` otherwise.
    public static func send(_ word: String, host: String, port: Int = 2181, timeout: Duration = .seconds(2)) async throws -> String {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, Error>) in
            // Blocking socket work stays off the cooperative pool; the deadline bounds it.
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try sendBlocking(word, host: host, port: port, timeout: timeout) })
            }
        }
    }

    static func sendBlocking(_ word: String, host: String, port: Int, timeout: Duration) throws(ZooKeeperError) -> String {
        let deadline = ContinuousClock.now + timeout
        let socket = try TCPSocket.connect(host: host, port: port, timeout: timeout)
        defer { socket.close() }
        try socket.write(Array(word.utf8))
        let answer = String(decoding: try socket.readToEnd(deadline: deadline), as: UTF8.self)
        if answer.contains(notWhitelistedMarker) { throw .notWhitelisted(word) }
        return answer
    }

    /// `srvr`: the member's role, zxid and version.
    public static func serverStatus(host: String, port: Int = 2181, timeout: Duration = .seconds(2)) async throws -> ServerStatus {
        ServerStatus(srvrOutput: try await send("srvr", host: host, port: port, timeout: timeout))
    }

    /// `mntr`: the member's metrics, among them the leader's count of synced followers.
    public static func monitorStatus(host: String, port: Int = 2181, timeout: Duration = .seconds(2)) async throws -> MonitorStatus {
        MonitorStatus(mntrOutput: try await send("mntr", host: host, port: port, timeout: timeout))
    }

    /// `ruok`: true when the server answers `imok` (it runs; it may still have no quorum).
    /// Throws on transport errors, so callers can tell "down" from "not ok".
    public static func ruok(host: String, port: Int = 2181, timeout: Duration = .seconds(2)) async throws -> Bool {
        try await send("ruok", host: host, port: port, timeout: timeout).trimmingWhitespace() == "imok"
    }

    /// `conf`: the server's effective configuration as key/value pairs (`serverId`,
    /// `clientPort`, `tickTime`, `membership: ` lines excepted).
    public static func configuration(host: String, port: Int = 2181, timeout: Duration = .seconds(2)) async throws -> [String: String] {
        parseKeyValues(try await send("conf", host: host, port: port, timeout: timeout))
    }

    /// Parses `key=value` lines; lines without `=` are skipped.
    static func parseKeyValues(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
