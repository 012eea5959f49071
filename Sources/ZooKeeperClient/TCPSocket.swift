#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connected TCP socket with deadline-bounded connect and reads, over POSIX calls.
///
/// Blocking calls are meant for a dedicated thread (the connection's reader) or a short
/// probe on a dispatch queue; every read takes a deadline, so no call waits forever.
/// `shutdown()` may be called from any thread to wake a reader; `close()` belongs to the
/// one owner that no longer reads.
final class TCPSocket: Sendable {
    let fd: Int32
    /// "host:port", for messages.
    let address: String

    private init(fd: Int32, address: String) {
        self.fd = fd
        self.address = address
    }

    /// Connects to host:port, trying each resolved address, within `timeout`.
    static func connect(host: String, port: Int, timeout: Duration) throws(ZooKeeperError) -> TCPSocket {
        let address = "\(host):\(port)"
        let deadline = ContinuousClock.now + timeout
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamSocketType
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .connectionFailed("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = ZooKeeperError.connectionFailed("no address for \(host)")
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            do {
                let fd = try connectOne(info.pointee, address: address, deadline: deadline)
                return TCPSocket(fd: fd, address: address)
            } catch {
                lastError = error
                if error == .timeout { break }
            }
        }
        throw lastError
    }

    private static func connectOne(_ info: addrinfo, address: String, deadline: ContinuousClock.Instant) throws(ZooKeeperError) -> Int32 {
        let fd = socket(info.ai_family, streamSocketType, 0)
        guard fd >= 0 else { throw .connectionFailed("socket(): \(errnoText())") }
        var connected = false
        defer { if !connected { posixClose(fd) } }
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if posixConnect(fd, info.ai_addr, info.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { throw connectError(errno, address: address) }
            guard try waitFor(fd: fd, events: Int16(POLLOUT), deadline: deadline) else { throw .timeout }
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
            if soError != 0 { throw connectError(soError, address: address) }
        }
        _ = fcntl(fd, F_SETFL, flags)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // Writes are small; a send timeout keeps a wedged peer from blocking a writer forever.
        var sendTimeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        connected = true
        return fd
    }

    private static func connectError(_ code: Int32, address: String) -> ZooKeeperError {
        code == ECONNREFUSED
            ? .connectionRefused(address)
            : .connectionFailed("connect to \(address): \(String(cString: strerror(code)))")
    }

    /// Polls until `events` are ready (true) or the deadline passes (false).
    private static func waitFor(fd: Int32, events: Int16, deadline: ContinuousClock.Instant) throws(ZooKeeperError) -> Bool {
        while true {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return false }
            let (seconds, attoseconds) = remaining.components
            let millis = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&pfd, 1, millis)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { throw .connectionFailed("poll(): \(errnoText())") }
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws(ZooKeeperError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw .timeout }
                throw .connectionFailed("write to \(address): \(Self.errnoText())")
            }
            offset += sent
        }
    }

    /// Reads what is available (at most `maxCount` bytes), waiting until the deadline.
    /// An empty result means the peer closed the connection.
    func read(maxCount: Int, deadline: ContinuousClock.Instant) throws(ZooKeeperError) -> [UInt8] {
        guard try Self.waitFor(fd: fd, events: Int16(POLLIN), deadline: deadline) else { throw .timeout }
        var buffer = [UInt8](repeating: 0, count: maxCount)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, maxCount, 0) }
            if count >= 0 { return Array(buffer.prefix(count)) }
            if errno == EINTR { continue }
            if errno == ECONNRESET { return [] }
            throw .connectionFailed("read from \(address): \(Self.errnoText())")
        }
    }

    /// Reads exactly `count` bytes before the deadline, or fails.
    func read(exactly count: Int, deadline: ContinuousClock.Instant) throws(ZooKeeperError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            let chunk = try read(maxCount: count - result.count, deadline: deadline)
            if chunk.isEmpty { throw .connectionFailed("\(address) closed the connection") }
            result += chunk
        }
        return result
    }

    /// Reads until the peer closes, up to `limit` bytes, before the deadline.
    func readToEnd(deadline: ContinuousClock.Instant, limit: Int = 4 << 20) throws(ZooKeeperError) -> [UInt8] {
        var result: [UInt8] = []
        while result.count < limit {
            let chunk = try read(maxCount: 64 * 1024, deadline: deadline)
            if chunk.isEmpty { break }
            result += chunk
        }
        return result
    }

    /// Wakes any reader (it sees end of stream) without releasing the descriptor.
    func shutdown() { _ = posixShutdown(fd, Int32(SHUT_RDWR)) }

    /// Releases the descriptor. Only the last user calls this.
    func close() { posixClose(fd) }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

#if canImport(Glibc)
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
#else
private let streamSocketType = SOCK_STREAM
#endif
private func posixClose(_ fd: Int32) { _ = close(fd) }
private func posixConnect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>!, _ length: socklen_t) -> Int32 {
    connect(fd, address, length)
}
private func posixShutdown(_ fd: Int32, _ how: Int32) -> Int32 { shutdown(fd, how) }
