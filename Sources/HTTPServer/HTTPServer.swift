import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server over POSIX sockets: one thread per connection, keep-alive,
/// `Content-Length` and chunked request bodies, `Expect: 100-continue`, and chunked
/// streaming responses. Used by kube-sim's API server and Keeper's health endpoints.
public final class HTTPServer: Sendable {
    /// Answers one request. Runs on the connection's thread, so it may block (a watch does).
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    private struct State {
        var listenFD: Int32 = -1
        var port: Int = 0
        var running = false
        var connections: Set<Int32> = []
    }

    private let host: String
    private let requestedPort: Int
    private let handler: Handler
    private let state = Mutex(State())

    /// - Parameters:
    ///   - host: an IPv4 address to listen on; loopback by default.
    ///   - port: 0 picks a free port; read it from `port` after `start()`.
    public init(host: String = "127.0.0.1", port: Int = 0, handler: @escaping Handler) {
        self.host = host
        self.requestedPort = port
        self.handler = handler
    }

    /// The bound port (valid after `start()`).
    public var port: Int { state.withLock { $0.port } }

    /// Binds, listens and starts accepting on a background thread.
    public func start() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPServerError.socket(call: "socket", errno: errno) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(requestedPort).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw HTTPServerError.socket(call: "bind", errno: code)
        }
        guard listen(fd, 512) == 0 else {
            let code = errno
            close(fd)
            throw HTTPServerError.socket(call: "listen", errno: code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        state.withLock {
            $0.listenFD = fd
            $0.port = Int(UInt16(bigEndian: actual.sin_port))
            $0.running = true
        }
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "http-accept"
        thread.start()
    }

    /// Stops accepting, ends every connection (open streams see `isOpen == false` and writes
    /// fail), and returns. Idempotent.
    public func stop() {
        let fds: (Int32, Set<Int32>)? = state.withLock { state in
            guard state.running else { return nil }
            state.running = false
            let result = (state.listenFD, state.connections)
            state.listenFD = -1
            // Shut down under the lock: a connection thread closes its fd only after removing it
            // from the set under this lock, so no fd here can have been reused.
            for fd in state.connections { shutdown(fd, Int32(SHUT_RDWR)) }
            shutdown(result.0, Int32(SHUT_RDWR))
            return result
        }
        if let (listenFD, _) = fds { close(listenFD) }
    }

    var isRunning: Bool { state.withLock { $0.running } }

    private func acceptLoop(_ listenFD: Int32) {
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            let accepted = state.withLock { state -> Bool in
                guard state.running else { return false }
                state.connections.insert(fd)
                return true
            }
            guard accepted else {
                close(fd)
                return
            }
            var noDelay: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            let connection = HTTPConnection(fd: fd, server: self, handler: handler)
            let thread = Thread { [self] in
                connection.run()
                state.withLock { _ = $0.connections.remove(fd) }
                close(fd)
            }
            thread.name = "http-connection"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
