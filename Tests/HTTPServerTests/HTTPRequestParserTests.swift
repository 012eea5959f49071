import Foundation
import Testing
@testable import HTTPServer

@Suite struct HTTPRequestParserTests {
    private func feedAll(_ text: String, into parser: inout HTTPRequestParser) { parser.feed(Array(text.utf8)) }

    @Test func parsesAContentLengthRequestWithQuery() throws {
        var parser = HTTPRequestParser()
        feedAll("POST /api/v1/namespaces/default/pods?labelSelector=app%3Dzk%2Ctier+in+(a)&watch=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", into: &parser)
        guard case .request(let request) = try parser.next() else { Issue.record("no request"); return }
        #expect(request.method == "POST")
        #expect(request.path == "/api/v1/namespaces/default/pods")
        #expect(request.query("labelSelector") == "app=zk,tier in (a)")
        #expect(request.query("watch") == "1")
        #expect(request.headers["content-length"] == "5")
        #expect(request.body == Data("hello".utf8))
        #expect(parser.isIdle)
    }

    @Test func waitsForTheWholeBodyAcrossFeeds() throws {
        var parser = HTTPRequestParser()
        feedAll("PUT /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n01234", into: &parser)
        guard case .needMoreData = try parser.next() else { Issue.record("expected needMoreData"); return }
        feedAll("56789", into: &parser)
        guard case .request(let request) = try parser.next() else { Issue.record("no request"); return }
        #expect(String(decoding: request.body, as: UTF8.self) == "0123456789")
    }

    @Test func decodesChunkedBodiesWithExtensionsAndTrailers() throws {
        var parser = HTTPRequestParser()
        feedAll("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n", into: &parser)
        guard case .needMoreData = try parser.next() else { Issue.record("expected needMoreData"); return }
        feedAll("0\r\nTrailer: x\r\n\r\n", into: &parser)
        guard case .request(let request) = try parser.next() else { Issue.record("no request"); return }
        #expect(String(decoding: request.body, as: UTF8.self) == "Wikipedia")
    }

    @Test func chunkedBodyWithoutTrailers() throws {
        var parser = HTTPRequestParser()
        feedAll("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", into: &parser)
        guard case .request(let request) = try parser.next() else { Issue.record("no request"); return }
        #expect(request.body == Data("abc".utf8))
    }

    @Test func asksForContinueBeforeTheBody() throws {
        var parser = HTTPRequestParser()
        feedAll("POST /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n", into: &parser)
        guard case .sendContinue = try parser.next() else { Issue.record("expected sendContinue"); return }
        guard case .needMoreData = try parser.next() else { Issue.record("expected needMoreData"); return }
        feedAll("ok", into: &parser)
        guard case .request(let request) = try parser.next() else { Issue.record("no request"); return }
        #expect(request.body == Data("ok".utf8))
    }

    @Test func separatesPipelinedRequests() throws {
        var parser = HTTPRequestParser()
        feedAll("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n", into: &parser)
        guard case .request(let first) = try parser.next(), case .request(let second) = try parser.next() else {
            Issue.record("expected two requests"); return
        }
        #expect(first.path == "/a")
        #expect(second.path == "/b")
    }

    @Test func rejectsAMalformedRequestLine() {
        var parser = HTTPRequestParser()
        feedAll("NONSENSE\r\n\r\n", into: &parser)
        #expect(throws: HTTPServerError.self) { try parser.next() }
    }

    @Test func rejectsOversizedBodies() {
        var parser = HTTPRequestParser(maxBodyBytes: 4)
        feedAll("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\n", into: &parser)
        #expect(throws: HTTPServerError.tooLarge) { try parser.next() }
    }
}
