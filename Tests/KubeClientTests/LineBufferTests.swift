import Foundation
import Testing
@testable import KubeClient

@Suite struct LineBufferTests {
    @Test func lineSplitAcrossChunks() {
        var buffer = LineBuffer()
        #expect(buffer.append(Data(#"{"type":"ADD"#.utf8)).isEmpty)
        #expect(buffer.append(Data(#"ED","object":{}"#.utf8)).isEmpty)
        #expect(buffer.pendingByteCount > 0)
        #expect(buffer.append(Data("}\n".utf8)) == [Data(#"{"type":"ADDED","object":{}}"#.utf8)])
        #expect(buffer.pendingByteCount == 0)
    }

    @Test func severalLinesInOneChunkAndCRLF() {
        var buffer = LineBuffer()
        let lines = buffer.append(Data("a\r\nb\n\nc\nd".utf8))
        #expect(lines == [Data("a".utf8), Data("b".utf8), Data("c".utf8)])
        #expect(buffer.finish() == Data("d".utf8))
        #expect(buffer.finish() == nil)
    }

    @Test func byteByByteEqualsWhole() {
        let text = (0..<50).map { #"{"n":\#($0),"s":"é–\#(String(repeating: "x", count: $0))"}"# }.joined(separator: "\n") + "\n"
        var whole = LineBuffer()
        let expected = whole.append(Data(text.utf8))
        var pieces = LineBuffer()
        var collected: [Data] = []
        for byte in Data(text.utf8) { collected += pieces.append(Data([byte])) }
        #expect(collected == expected)
        #expect(collected.count == 50)
    }
}
