import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// HTTPS in front of kube-sim's plain-HTTP API server, for clients that insist on TLS as
/// in-cluster clients do (`https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, verified
/// against the pod's `ca.crt`). Foundation has no TLS server on Linux, so this is `socat`
/// terminating TLS with the cluster's serving certificate (`ClusterCertificates`) and
/// forwarding each connection to the API server's port, a process per connection (watches
/// stream through it). It dies with this process (`KubeletLifeline`), and with `stop()`, children and all.
public final class TLSFront: Sendable {
    public static let socat = "/usr/bin/socat"

    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    /// The certificates it serves (the CA its clients trust).
    public let certificates: ClusterCertificates
    private let pid: pid_t
    /// socat's process group: the listener and one child per open connection.
    var processGroup: pid_t { pid }
    private let stopped = Mutex(false)

    /// Starts `socat` on a free port (or `port`) for the API server at 127.0.0.1:`backendPort`,
    /// and returns once it accepts connections.
    public init(backendPort: Int, certificates: ClusterCertificates, port requested: Int = 0, logPath: String? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.socat) else {
            throw TLSFrontError("no socat at \(Self.socat) for the API server's TLS front (hack/install-deps.sh installs it)")
        }
        let port = requested == 0 ? try Self.freePort() : requested
        let pem = certificates.directory.appendingPathComponent("server.pem").path
        let argv = [Self.socat, "-d",
                    // No client certificates asked for: clients authenticate with bearer tokens.
                    "OPENSSL-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork,cert=\(pem),verify=0",
                    "TCP:127.0.0.1:\(backendPort)"]
        do {
            pid = try ProcessSpawner.spawn(argv: argv, environment: ["PATH=/usr/bin:/bin"], outputPath: logPath)
        } catch {
            throw TLSFrontError("cannot start socat: \(error)")
        }
        self.port = port
        self.certificates = certificates
        let deadline = Date().addingTimeInterval(10)
        while !Self.accepts(port: port) {
            guard Date() < deadline, kill(pid, 0) == 0 else {
                ProcessSpawner.signalGroup(pid, SIGKILL)
                throw TLSFrontError("socat did not listen on 127.0.0.1:\(port)")
            }
            usleep(20_000)
        }
    }

    deinit { stop() }

    /// `https://127.0.0.1:PORT`.
    public var baseURL: URL { URL(string: "https://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/") }

    public func stop() {
        guard stopped.withLock({ state in defer { state = true }; return !state }) else { return }
        // SIGKILL, not SIGTERM: socat's handler exits on SIGTERM, and a per-connection child
        // interrupted inside OpenSSL then deadlocks in its exit handler (gdb: exit ->
        // SSL_CTX_free -> SSL_CTX_flush_sessions -> CRYPTO_THREAD_write_lock on the lock the
        // interrupted call holds), spinning at 15-60% of a core with no parent, long after its
        // test. Enough of them made the whole suite too slow for CI. socat holds nothing worth
        // a graceful end; its clients see the connection drop either way.
        ProcessSpawner.signalGroup(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    /// A port the kernel had free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TLSFrontError("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw TLSFrontError("bind: errno \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw TLSFrontError("getsockname: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

public struct TLSFrontError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
