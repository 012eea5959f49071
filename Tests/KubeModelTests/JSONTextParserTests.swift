import Foundation
import Testing
@testable import KubeModel

@Suite struct JSONTextParserTests {
    /// What JSONValue's Codable conformance (through JSONDecoder) makes of the same text.
    func viaDecoder(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test(arguments: [
        #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"zk-0","labels":{"a":"b"},"resourceVersion":"42"},"spec":{"containers":[{"name":"zk","ports":[{"containerPort":2181}]}]}}"#,
        #"[1, -2, 3.5, -0.25, 1e3, 1.0, 2E-2, 9223372036854775807, 9223372036854775808, true, false, null, "", {}, []]"#,
        #"  {"nested": {"deeper": [[[]], {"x": [null]}]}, "empty": ""}  "#,
        #""escapes: \" \\ \/ \b \f \n \r \t \u00e9 \u4e2d \ud83d\ude00""#,
        #"{"unicode":"zoé 中 😀","cpu":"500m","memory":"1Gi"}"#,
        "0", "-0", "12345678901234567890123", "\"plain\"",
    ])
    func parsesWhatJSONDecoderParsesToTheSameValue(_ text: String) throws {
        #expect(try JSONTextParser.parse(Data(text.utf8)) == (try viaDecoder(text)))
    }

    @Test func numbersAreIntegersWhenIntegral() throws {
        #expect(try JSONValue.parse(Data("[7, 7.0, 7e0, 7.5, -3]".utf8)) == [.int(7), .int(7), .int(7), .double(7.5), .int(-3)])
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "nul", "01x", "1.", "-", "\"unterminated", "\"bad \\x escape\"",
        "\"\\ud83d alone\"", "{\"a\":1} trailing", "\"tab\tinside\"", "[1 2]",
    ])
    func refusesInvalidText(_ text: String) {
        #expect(throws: DecodingError.self) { try JSONTextParser.parse(Data(text.utf8)) }
    }

    @Test func refusesNestingBeyondTheLimitWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: DecodingError.self) { try JSONTextParser.parse(Data(deep.utf8)) }
    }

    @Test func roundTripsThroughSerialization() throws {
        let value: JSONValue = ["a": [1, 2.5, "x\n\"y\""], "b": ["c": nil, "d": true]]
        #expect(try JSONValue.parse(value.serialized()) == value)
    }
}
