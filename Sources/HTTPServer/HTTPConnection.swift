import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One client connection: reads requests, calls the handler, writes responses, until the
/// client closes, asks to close, or the server stops.
final class HTTPConnection: Sendable {
    let fd: Int32
    unowned let server: HTTPServer
    let handler: HTTPServer.Handler

    init(fd: Int32, server: HTTPServer, handler: @escaping HTTPServer.Handler) {
        self.fd = fd
        self.server = server
        self.handler = handler
    }

    func run() {
        var parser = HTTPRequestParser()
        var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let step: HTTPRequestParser.Step
            do {
                step = try parser.next()
            } catch {
                let message = Data("\(error)\n".utf8)
                try? writeHead(status: error as? HTTPServerError == .tooLarge ? 413 : 400,
                               headers: HTTPHeaders([("Content-Type", "text/plain"), ("Connection", "close")]), contentLength: message.count)
                try? sendAll(message)
                return
            }
            switch step {
            case .sendContinue:
                guard (try? sendAll(Data("HTTP/1.1 100 Continue\r\n\r\n".utf8))) != nil else { return }
            case .request(let request):
                let keepAlive = request.headers["Connection"]?.lowercased() != "close"
                let response = handler(request)
                do {
                    try respond(response, to: request, keepAlive: keepAlive)
                } catch {
                    return
                }
                if !keepAlive { return }
                if case .stream = response.body { return }
            case .needMoreData:
                let count = readBuffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return }
                parser.feed(readBuffer[0..<count])
            }
        }
    }

    private func respond(_ response: HTTPResponse, to request: HTTPRequest, keepAlive: Bool) throws {
        var headers = response.headers
        switch response.body {
        case .bytes(let body):
            if !keepAlive { headers.set("Connection", "close") }
            let bodyAllowed = request.method != "HEAD" && response.status != 204 && response.status != 304
            try writeHead(status: response.status, headers: headers, contentLength: body.count)
            if bodyAllowed && !body.isEmpty { try sendAll(body) }
        case .stream(let produce):
            // A streamed response ends the connection: simpler, and what watch clients expect.
            headers.set("Transfer-Encoding", "chunked")
            headers.set("Connection", "close")
            try writeHead(status: response.status, headers: headers, contentLength: nil)
            let stream = ChunkedStream(connection: self)
            produce(stream)
            try? sendAll(Data("0\r\n\r\n".utf8))
        }
    }

    private func writeHead(status: Int, headers: HTTPHeaders, contentLength: Int?) throws {
        var head = "HTTP/1.1 \(status) \(HTTPResponse.reasonPhrase(status))\r\n"
        var hasDate = false
        for field in headers {
            if field.name.lowercased() == "content-length" { continue }
            if field.name.lowercased() == "date" { hasDate = true }
            head += "\(field.name): \(field.value)\r\n"
        }
        if !hasDate { head += "Date: \(HTTPConnection.httpDate())\r\n" }
        if let contentLength { head += "Content-Length: \(contentLength)\r\n" }
        head += "\r\n"
        try sendAll(Data(head.utf8))
    }

    func sendAll(_ data: Data) throws {
        try data.withUnsafeBytes { raw in
            guard var pointer = raw.baseAddress else { return }
            var remaining = raw.count
            while remaining > 0 {
                let sent = send(fd, pointer, remaining, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    throw HTTPServerError.connectionClosed
                }
                remaining -= sent
                pointer += sent
            }
        }
    }

    /// True while the peer has not closed its end and the server runs.
    var isOpen: Bool {
        guard server.isRunning else { return false }
        // POLLRDHUP (0x2000) is Linux-specific and not exported by Glibc's Swift overlay.
        let readHangUp: Int16 = 0x2000
        let pollIn = Int16(POLLIN)
        var descriptor = pollfd(fd: fd, events: pollIn | readHangUp, revents: 0)
        let ready = poll(&descriptor, 1, 0)
        if ready < 0 { return errno == EINTR }
        if ready == 0 { return true }
        let hangUps: Int16 = readHangUp | Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL)
        if descriptor.revents & hangUps != 0 { return false }
        var byte: UInt8 = 0
        let peeked = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return peeked > 0 || (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    }

    /// `Sun, 22 Nov 2026 02:52:07 GMT` (IMF-fixdate), without a DateFormatter per response.
    static func httpDate() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [Int8](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Chunked transfer encoding over a connection; each write goes out at once.
final class ChunkedStream: HTTPResponseStream {
    private let connection: HTTPConnection

    init(connection: HTTPConnection) { self.connection = connection }

    func write(_ data: Data) throws {
        guard !data.isEmpty else { return }
        guard connection.server.isRunning else { throw HTTPServerError.connectionClosed }
        var chunk = Data(String(data.count, radix: 16).utf8)
        chunk.append(contentsOf: [13, 10])
        chunk.append(data)
        chunk.append(contentsOf: [13, 10])
        try connection.sendAll(chunk)
    }

    var isOpen: Bool { connection.isOpen }
}
