import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import KubeModel
import KubeSim

/// Plain HTTP calls against a running APIServer, bodies as JSON values, as the
/// administrator (the token of the kubeconfig kube-sim writes) unless `token` says otherwise
/// (nil: no Authorization header, an anonymous request).
struct TestHTTP {
    let server: APIServer
    var token: String?

    init(server: APIServer) {
        self.server = server
        self.token = server.adminToken
    }

    init(server: APIServer, token: String?) {
        self.server = server
        self.token = token
    }

    struct Response {
        var status: Int
        var body: JSONValue
        var headers: [String: String]
    }

    func call(_ method: String, _ path: String, body: JSONValue? = nil, contentType: String = "application/json", accept: String? = nil) async throws -> Response {
        var request = URLRequest(url: URL(string: server.baseURL.absoluteString + path)!)
        request.httpMethod = method
        if let body {
            request.httpBody = body.serialized()
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)".lowercased()] = "\(value)" }
        return Response(status: http.statusCode, body: (try? JSONValue.parse(data)) ?? .string(String(decoding: data, as: UTF8.self)), headers: headers)
    }

    func get(_ path: String) async throws -> Response { try await call("GET", path) }
    func post(_ path: String, _ body: JSONValue) async throws -> Response { try await call("POST", path, body: body) }
    func put(_ path: String, _ body: JSONValue) async throws -> Response { try await call("PUT", path, body: body) }
    func delete(_ path: String, _ body: JSONValue? = nil) async throws -> Response { try await call("DELETE", path, body: body) }
    func patch(_ path: String, _ body: JSONValue, type: String = "application/merge-patch+json") async throws -> Response {
        try await call("PATCH", path, body: body, contentType: type)
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: TimeInterval = 5, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return try await condition()
}

/// Reads a watch stream over a raw socket, undoing chunked encoding and splitting lines.
final class WatchReader: @unchecked Sendable {
    private let fd: Int32
    private var raw: [UInt8] = []
    private var body: [UInt8] = []
    private var headerDone = false
    private(set) var ended = false
    private(set) var chunkSizes: [Int] = []
    var statusLine = ""

    /// A watch (GET) of `path` as kube-sim's administrator.
    convenience init(server: APIServer, path: String, accept: String? = nil) throws {
        try self.init(port: server.port, path: path, accept: accept, token: server.adminToken)
    }

    init(port: Int, path: String, accept: String? = nil, token: String?) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET \(path) HTTP/1.1\r\nHost: x\r\n" + (accept.map { "Accept: \($0)\r\n" } ?? "")
            + (token.map { "Authorization: Bearer \($0)\r\n" } ?? "") + "\r\n"
        _ = Array(request.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    deinit { Glibc.close(fd) }

    func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// The next event line as JSON, or nil after `timeout`.
    func next(timeout: TimeInterval = 5) -> JSONValue? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            decodeChunks()
            if let newline = body.firstIndex(of: 10) {
                let line = Array(body[..<newline])
                body.removeFirst(newline + 1)
                return try? JSONValue.parse(Data(line))
            }
            if ended || Date() >= deadline { return nil }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { ended = true }
            if count > 0 { raw += buffer[0..<count] }
        }
    }

    /// Events until `count` arrived or the timeout passed.
    func next(_ count: Int, timeout: TimeInterval = 5) -> [JSONValue] {
        var events: [JSONValue] = []
        let deadline = Date().addingTimeInterval(timeout)
        while events.count < count, let event = next(timeout: max(0, deadline.timeIntervalSinceNow)) { events.append(event) }
        return events
    }

    /// Waits for the server to end the stream.
    func waitForEnd(timeout: TimeInterval = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !ended && Date() < deadline { _ = next(timeout: 0.1) }
        return ended
    }

    private func decodeChunks() {
        if !headerDone {
            guard let end = find([13, 10, 13, 10]) else { return }
            statusLine = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n").first ?? ""
            raw.removeFirst(end + 4)
            headerDone = true
        }
        while let lineEnd = find([13, 10]) {
            guard let size = Int(String(decoding: raw[..<lineEnd], as: UTF8.self), radix: 16) else { return }
            if size == 0 { ended = true; return }
            guard raw.count >= lineEnd + 2 + size + 2 else { return }
            body += raw[(lineEnd + 2)..<(lineEnd + 2 + size)]
            chunkSizes.append(size)
            raw.removeFirst(lineEnd + 2 + size + 2)
        }
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard raw.count >= needle.count else { return nil }
        for index in 0...(raw.count - needle.count) where Array(raw[index..<(index + needle.count)]) == needle { return index }
        return nil
    }
}
