import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import KubeClient

/// Runs one probe (or a preStop hook) against a running container.
struct ProbeRunner: Sendable {
    /// The container's main process: exec probes enter its mount and UTS namespaces and root.
    var pid: pid_t
    var podIP: String
    /// The container's environment (exec probes run with it).
    var environment: [String]
    /// `setpriv ... --` to the container's user, or empty for root.
    var dropPrivileges: [String]
    /// Where exec output goes (read back for the failure message).
    var outputPath: String

    struct Result: Sendable, Equatable {
        var success: Bool
        var message: String
        /// Exec only: the command's exit code (nil when it timed out) and its output.
        var exitCode: Int32? = nil
        var output: String = ""
    }

    func run(_ action: ProbeSpec.Action, timeout: Duration, outputPath: String? = nil) async -> Result {
        switch action {
        case .exec(let command):
            return await exec(command, timeout: timeout, outputPath: outputPath ?? self.outputPath)
        case .tcpSocket(let port, let host):
            let target = host ?? podIP
            let connected = await Self.connect(host: target, port: port, timeout: timeout)
            return Result(success: connected, message: connected ? "" : "dial tcp \(target):\(port): connection refused or timed out")
        case .httpGet(let path, let port, let host, let scheme):
            return await httpGet(scheme: scheme, host: host ?? podIP, port: port, path: path, timeout: timeout)
        }
    }

    private func exec(_ command: [String], timeout: Duration, outputPath: String) async -> Result {
        guard !command.isEmpty else { return Result(success: false, message: "empty exec command") }
        try? FileManager.default.removeItem(atPath: outputPath)
        let argv = ["/usr/bin/nsenter", "--target", String(pid), "--mount", "--uts", "--root", "--wd", "--"]
            + dropPrivileges + command
        let child: pid_t
        do {
            child = try ProcessSpawner.spawn(argv: argv, environment: environment, outputPath: outputPath)
        } catch {
            return Result(success: false, message: "\(error)")
        }
        let exit = await withTaskGroup(of: ProcessExit?.self) { group in
            group.addTask { await ProcessSpawner.waitForExit(child) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil {
                ProcessSpawner.signalGroup(child, SIGKILL)
            }
            group.cancelAll()
            // Reap the killed probe so no zombie stays behind.
            _ = await group.next()
            return first
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        if outputPath != self.outputPath { try? FileManager.default.removeItem(atPath: outputPath) }
        switch exit {
        case .exited(0)?: return Result(success: true, message: output, exitCode: 0, output: output)
        case nil: return Result(success: false, message: "command timed out after \(timeout): \(output)", output: output)
        case let other?:
            return Result(success: false, message: "command exited with \(other.exitCode): \(output)", exitCode: other.exitCode, output: output)
        }
    }

    private func httpGet(scheme: String, host: String, port: Int, path: String, timeout: Duration) async -> Result {
        let normalized = path.hasPrefix("/") ? path : "/" + path
        guard let url = URL(string: "\(scheme.lowercased())://\(host):\(port)\(normalized)") else {
            return Result(success: false, message: "invalid probe URL")
        }
        var request = URLRequest(url: url)
        request.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        request.setValue("kube-probe/1.32", forHTTPHeaderField: "User-Agent")
        do {
            let (_, response) = try await URLSession.shared.cancellableData(for: request)  // see its comment: a cancelled probe must not hang the kubelet
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return Result(success: (200..<400).contains(status), message: "HTTP probe failed with statuscode: \(status)")
        } catch {
            return Result(success: false, message: "Get \(url): \(error.localizedDescription)")
        }
    }

    /// A non-blocking connect bounded by `timeout`, on a thread of its own.
    static func connect(host: String, port: Int, timeout: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: connectBlocking(host: host, port: port, timeout: timeout))
            }
            thread.start()
        }
    }

    private static func connectBlocking(host: String, port: Int, timeout: Duration) -> Bool {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return false }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var pollDescriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&pollDescriptor, 1, milliseconds) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0
    }
}
