import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct MergePatchTests {
    /// The examples from RFC 7386 appendix A.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"a":1,"e":null}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func rfcExamples(original: String, patch: String, expected: String) throws {
        let result = MergePatch.apply(try parse(patch), to: try parse(original))
        #expect(result == (try parse(expected)))
    }

    @Test func diffRoundTrips() throws {
        let old = try parse(#"{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"replicas":3,"ports":[1,2]}}"#)
        let new = try parse(#"{"metadata":{"labels":{"a":"1","c":"3"}},"spec":{"replicas":3,"ports":[2]}}"#)
        let patch = MergePatch.diff(from: old, to: new)
        #expect(patch == (try parse(#"{"metadata":{"labels":{"b":null,"c":"3"}},"spec":{"ports":[2]}}"#)))
        #expect(MergePatch.apply(patch, to: old) == new)
    }
}

func parse(_ text: String) throws -> JSONValue {
    try JSONValue.parse(Data(text.utf8))
}
