import Foundation
import Testing
@testable import KubeSim

/// What the runtime tests need from the machine, and helpers they share.
enum RuntimeTestSupport {
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let isRoot = getuid() == 0
    static let hasNamespaceTools = ["/usr/bin/unshare", "/usr/bin/nsenter", "/usr/bin/setpriv", "/usr/sbin/chroot"]
        .allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    static let hasZooKeeper = FileManager.default.fileExists(atPath: "/usr/share/java/zookeeper.jar")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/java")

    /// Pods need root (mount namespaces, chroot); in CI a missing requirement fails the test.
    static let canRunPods = (isRoot && hasNamespaceTools) || isCI
    static let canRunZooKeeper = (isRoot && hasNamespaceTools && hasZooKeeper) || isCI

    /// A fresh state directory (under the temporary directory) and a runtime on it.
    static func makeRuntime(backoff: RestartBackoff = RestartBackoff(initial: .milliseconds(200), maximum: .seconds(1))) -> (PodRuntime, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-sim-runtime-\(UUID().uuidString.prefix(8))")
        let runtime = PodRuntime(configuration: PodRuntimeConfiguration(stateDirectory: directory, backoff: backoff))
        return (runtime, directory)
    }

    /// A pod address pool on a random 127.x.y.0/24 range, so test processes running at the same
    /// time on one host (several checkouts, parallel suites) do not hand out the same addresses.
    static func addressPool() -> PodAddressPool {
        PodAddressPool(firstAddress: "127.\(Int.random(in: 1...254)).\(Int.random(in: 0...255)).2")
    }

    /// Runs `body` with a fresh runtime, then stops every pod it left (even when `body` threw)
    /// and removes the state directory.
    static func withRuntime(backoff: RestartBackoff = RestartBackoff(initial: .milliseconds(200), maximum: .seconds(1)),
                            _ body: (PodRuntime, URL) async throws -> Void) async throws {
        let (runtime, directory) = makeRuntime(backoff: backoff)
        do {
            try await body(runtime, directory)
        } catch {
            await runtime.shutdown(maximumGrace: .zero)
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        await runtime.shutdown(maximumGrace: .zero)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Whether `pid` runs (a zombie waiting for a parent that does not reap it counts as gone).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[close...].hasPrefix(") Z")
    }

    /// Polls `condition` until it holds or `timeout` passes.
    static func eventually(timeout: Duration = .seconds(30), _ what: String,
                           _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out after \(timeout) waiting for \(what)")
        throw CancellationError()
    }

    /// Sends a four-letter word to `host:port` and returns the answer (empty when refused).
    static func fourLetterWord(_ word: String, host: String, port: Int = 2181) -> String {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "" }
        _ = word.withCString { send(fd, $0, strlen($0), 0) }
        var answer = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            answer += buffer[0..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }
}
