import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1 for transport tests: each connection gets the next
/// scripted response, written in the given pieces with pauses in between, then closed.
/// `GET /version`, which a watch sends first to open its connection, is answered on the spot
/// and keeps the connection open for the scripted request that follows.
final class ScriptedHTTPServer: Sendable {
    struct Response: Sendable {
        var status: Int
        var headers: [String: String] = [:]
        /// Body pieces, each flushed separately, `pause` seconds apart.
        var pieces: [Data]
        var pause: Double = 0
        /// Omit Content-Length and close the connection to end the body (a watch stream).
        var streaming = false
    }

    let port: UInt16
    private let socket: Int32
    private let script: Mutex<[Response]>
    /// The request lines and headers received, one string per scripted request.
    let requests = Mutex<[String]>([])
    /// How many `GET /version` requests have been received, and answered.
    let versionsReceived = Mutex(0)
    let versionsAnswered = Mutex(0)
    /// For each scripted request, whether its connection had served `GET /version` before it.
    let arrivedOnPrimedConnection = Mutex<[Bool]>([])

    private let answersVersion: Bool
    /// How long `GET /version` takes to answer.
    private let versionPause: Double

    init(_ responses: [Response], answersVersion: Bool = true, versionPause: Double = 0) throws {
        script = Mutex(responses)
        self.answersVersion = answersVersion
        self.versionPause = versionPause
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        withUnsafeMutablePointer(to: &address) { pointer in
            _ = pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        socket = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(socket, nil, nil)
            guard connection >= 0 else { return }
            let response = script.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            let thread = Thread { [self] in serve(connection, response) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32, _ response: Response?) {
        defer { close(connection) }
        var primed = false
        var request: String
        while true {
            guard let next = readRequestHead(connection) else { return }
            request = next
            guard answersVersion, request.hasPrefix("GET /version ") else { break }
            versionsReceived.withLock { $0 += 1 }
            if versionPause > 0 { Thread.sleep(forTimeInterval: versionPause) }
            let version = #"{"major":"1","minor":"32","gitVersion":"v1.32.0"}"#
            write(connection, Data("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(version.utf8.count)\r\n\r\n\(version)".utf8))
            versionsAnswered.withLock { $0 += 1 }
            primed = true
        }
        requests.withLock { $0.append(request) }
        arrivedOnPrimedConnection.withLock { [primed] in $0.append(primed) }
        guard let response else { return }
        var head = "HTTP/1.1 \(response.status) Scripted\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        if response.streaming {
            head += "Connection: close\r\n"
        } else {
            head += "Content-Length: \(response.pieces.reduce(0) { $0 + $1.count })\r\nConnection: close\r\n"
        }
        write(connection, Data((head + "\r\n").utf8))
        for (index, piece) in response.pieces.enumerated() {
            if response.pause > 0, index > 0 { Thread.sleep(forTimeInterval: response.pause) }
            write(connection, piece)
        }
    }

    /// One request's line and headers; its body, if any, is read and dropped.
    private func readRequestHead(_ connection: Int32) -> String? {
        var head = Data()
        var byte: UInt8 = 0
        while !head.suffix(4).elementsEqual("\r\n\r\n".utf8) {
            guard read(connection, &byte, 1) == 1 else { return nil }
            head.append(byte)
        }
        let text = String(decoding: head, as: UTF8.self)
        let lengthLine = text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
        var remaining = lengthLine.flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while remaining > 0 {
            let count = read(connection, &buffer, min(buffer.count, remaining))
            guard count > 0 else { return nil }
            remaining -= count
        }
        return text
    }

    private func write(_ connection: Int32, _ data: Data) {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = send(connection, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
