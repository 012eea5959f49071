import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing
@testable import HTTPServer

@Suite struct HTTPServerTests {
    private func echoServer() throws -> HTTPServer {
        let server = HTTPServer { request in
            let text = "\(request.method) \(request.path) q=\(request.query("q") ?? "-") body=\(String(decoding: request.body, as: UTF8.self))"
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: Data(text.utf8))
        }
        try server.start()
        return server
    }

    @Test func servesSeveralRequestsOnOneKeptAliveConnection() throws {
        let server = try echoServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        client.send("GET /one?q=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(client.read(until: "body=").contains("GET /one q=1 body="))
        client.send("POST /two HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
        #expect(client.read(until: "body=abc").contains("HTTP/1.1 200 OK"))
    }

    @Test func acceptsChunkedBodiesAndAnswersExpectContinue() throws {
        let server = try echoServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        client.send("POST /c HTTP/1.1\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(client.read(until: "\r\n\r\n").hasPrefix("HTTP/1.1 100 Continue"))
        client.send("2\r\nhi\r\n3\r\n!!!\r\n0\r\n\r\n")
        #expect(client.read(until: "body=hi!!!").contains("POST /c q=- body=hi!!!"))
    }

    @Test func worksWithURLSession() async throws {
        let server = try echoServer()
        defer { server.stop() }
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/u?q=a+b")!)
        request.httpMethod = "PUT"
        request.httpBody = Data("payload".utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self) == "PUT /u q=a b body=payload")
    }

    @Test func closesWhenTheClientAsks() throws {
        let server = try echoServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        client.send("GET /bye HTTP/1.1\r\nConnection: close\r\n\r\n")
        let response = client.readToEnd()
        #expect(response.contains("Connection: close"))
        #expect(response.hasSuffix("GET /bye q=- body="))
    }

    @Test func answersMalformedRequestsWith400() throws {
        let server = try echoServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        client.send("GARBAGE\r\n\r\n")
        #expect(client.readToEnd().hasPrefix("HTTP/1.1 400 Bad Request"))
    }

    @Test func streamsChunksAndNoticesAClosedClient() throws {
        let clientGone = Mutex(false)
        let server = HTTPServer { _ in
            HTTPResponse(status: 200) { stream in
                try? stream.write(Data("first\n".utf8))
                try? stream.write(Data("second\n".utf8))
                let deadline = Date().addingTimeInterval(5)
                while stream.isOpen && Date() < deadline { usleep(10_000) }
                clientGone.withLock { $0 = !stream.isOpen }
            }
        }
        try server.start()
        defer { server.stop() }
        do {
            let client = try RawClient(port: server.port)
            client.send("GET /watch HTTP/1.1\r\n\r\n")
            let text = client.read(until: "second\n")
            #expect(text.contains("Transfer-Encoding: chunked"))
            #expect(text.contains("6\r\nfirst\n\r\n"))
            #expect(text.contains("7\r\nsecond\n\r\n"))
        }
        let deadline = Date().addingTimeInterval(5)
        while !clientGone.withLock({ $0 }) && Date() < deadline { usleep(10_000) }
        #expect(clientGone.withLock { $0 })
    }

    @Test func stopEndsOpenStreams() throws {
        // What the stream's producer saw: its writes, and that it returned because the
        // stream stopped being open.
        let producerEnded = Flag()
        let server = HTTPServer { _ in
            HTTPResponse(status: 200) { stream in
                try? stream.write(Data("open\n".utf8))
                while stream.isOpen { usleep(10_000) }
                producerEnded.set()
            }
        }
        try server.start()
        let client = try RawClient(port: server.port)
        client.send("GET /s HTTP/1.1\r\n\r\n")
        let head = client.read(until: "open\n")
        #expect(head.hasPrefix("HTTP/1.1 200"), "\(head)")
        #expect(head.contains("Transfer-Encoding: chunked") && head.contains("5\r\nopen\n"), "\(head)")
        #expect(!producerEnded.isSet)
        server.stop()
        // The connection is shut down: reading reaches the end, with at most the final
        // empty chunk after the one the stream wrote.
        let rest = client.readToEnd()
        #expect(rest == "\r\n" || rest == "\r\n0\r\n\r\n" || rest.isEmpty, "\(rest.debugDescription)")
        let deadline = ContinuousClock.now + .seconds(10)
        while !producerEnded.isSet && ContinuousClock.now < deadline { usleep(10_000) }
        #expect(producerEnded.isSet, "the producer saw the stream close")
        #expect(throws: (any Error).self) { _ = try RawClient(port: server.port) }
    }

    @Test func servesConcurrentConnections() async throws {
        let server = try echoServer()
        defer { server.stop() }
        let port = server.port
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/c\(index)")!)
                    return String(decoding: data, as: UTF8.self) == "GET /c\(index) q=- body="
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}

/// A flag set from another thread.
private final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
