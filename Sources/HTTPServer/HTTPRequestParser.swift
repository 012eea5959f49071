import Foundation

/// An incremental HTTP/1.1 request parser with no I/O: feed it bytes as they arrive and ask
/// it for the next step. Handles `Content-Length` and chunked bodies, `Expect: 100-continue`,
/// and pipelined requests.
public struct HTTPRequestParser: Sendable {
    /// What the connection should do next.
    public enum Step: Sendable {
        /// More bytes are needed.
        case needMoreData
        /// The client sent `Expect: 100-continue`: answer `100 Continue`, then keep reading.
        case sendContinue
        /// A complete request.
        case request(HTTPRequest)
    }

    private enum State: Sendable {
        case head
        case fixedBody(method: String, target: String, headers: HTTPHeaders, length: Int)
        case chunkedBody(method: String, target: String, headers: HTTPHeaders, body: Data)
    }

    private var buffer: [UInt8] = []
    private var state: State = .head
    private let maxHeaderBytes: Int
    private let maxBodyBytes: Int

    public init(maxHeaderBytes: Int = 1 << 20, maxBodyBytes: Int = 64 << 20) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// Appends received bytes.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// True when no partial request is buffered.
    public var isIdle: Bool {
        if case .head = state { return buffer.isEmpty }
        return false
    }

    /// Parses as far as the buffered bytes allow.
    public mutating func next() throws -> Step {
        switch state {
        case .head:
            guard let end = find([13, 10, 13, 10], from: 0) else {
                if buffer.count > maxHeaderBytes { throw HTTPServerError.tooLarge }
                return .needMoreData
            }
            let headText = String(decoding: buffer[0..<end], as: UTF8.self)
            buffer.removeFirst(end + 4)
            var lines = headText.components(separatedBy: "\r\n")
            // Tolerate stray empty lines before a request line (RFC 9112 section 2.2).
            while lines.first == "" { lines.removeFirst() }
            guard let requestLine = lines.first else { throw HTTPServerError.malformedRequest("empty request") }
            let parts = requestLine.split(separator: " ")
            guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
                throw HTTPServerError.malformedRequest("bad request line: \(requestLine)")
            }
            var headers = HTTPHeaders()
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { throw HTTPServerError.malformedRequest("bad header line: \(line)") }
                headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            let method = String(parts[0]), target = String(parts[1])
            if headers["Transfer-Encoding"]?.lowercased().contains("chunked") == true {
                state = .chunkedBody(method: method, target: target, headers: headers, body: Data())
            } else {
                let length = Int(headers["Content-Length"] ?? "0") ?? -1
                guard length >= 0 else { throw HTTPServerError.malformedRequest("bad Content-Length") }
                guard length <= maxBodyBytes else { throw HTTPServerError.tooLarge }
                state = .fixedBody(method: method, target: target, headers: headers, length: length)
            }
            if headers["Expect"]?.lowercased() == "100-continue" { return .sendContinue }
            return try next()
        case .fixedBody(let method, let target, let headers, let length):
            guard buffer.count >= length else { return .needMoreData }
            let body = Data(buffer[0..<length])
            buffer.removeFirst(length)
            state = .head
            return .request(HTTPRequest(method: method, target: target, headers: headers, body: body))
        case .chunkedBody(let method, let target, let headers, var body):
            while true {
                guard let lineEnd = find([13, 10], from: 0) else { return .needMoreData }
                let sizeText = String(decoding: buffer[0..<lineEnd], as: UTF8.self)
                let sizeField = sizeText.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                guard let size = Int(sizeField, radix: 16), size >= 0 else {
                    throw HTTPServerError.malformedRequest("bad chunk size: \(sizeText)")
                }
                if size == 0 {
                    // Last chunk, then optional trailers, then an empty line.
                    guard let trailerEnd = find([13, 10, 13, 10], from: lineEnd) else {
                        if buffer.count >= lineEnd + 4, buffer[lineEnd + 2] == 13, buffer[lineEnd + 3] == 10 {
                            buffer.removeFirst(lineEnd + 4)
                            state = .head
                            return .request(HTTPRequest(method: method, target: target, headers: headers, body: body))
                        }
                        return .needMoreData
                    }
                    buffer.removeFirst(trailerEnd + 4)
                    state = .head
                    return .request(HTTPRequest(method: method, target: target, headers: headers, body: body))
                }
                let dataStart = lineEnd + 2
                guard buffer.count >= dataStart + size + 2 else {
                    state = .chunkedBody(method: method, target: target, headers: headers, body: body)
                    return .needMoreData
                }
                body.append(contentsOf: buffer[dataStart..<(dataStart + size)])
                guard body.count <= maxBodyBytes else { throw HTTPServerError.tooLarge }
                buffer.removeFirst(dataStart + size + 2)
                state = .chunkedBody(method: method, target: target, headers: headers, body: body)
            }
        }
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= buffer.count {
            if buffer[index] == needle[0] && Array(buffer[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
