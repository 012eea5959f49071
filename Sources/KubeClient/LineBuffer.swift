import Foundation

/// Splits a byte stream into lines. A watch stream is one JSON event per line, but the
/// network delivers arbitrary chunks: an event may arrive in pieces, several in one chunk.
public struct LineBuffer: Sendable {
    private var bytes: [UInt8] = []
    /// Bytes before this index hold no newline: a long line split into many chunks is
    /// scanned once, not once per chunk.
    private var scanned = 0

    public init() {}

    /// Adds a chunk; returns the lines it completed, without `\n` (and `\r`), skipping empty ones.
    public mutating func append(_ chunk: Data) -> [Data] {
        bytes.append(contentsOf: chunk)
        var lines: [Data] = []
        var lineStart = 0
        var position = scanned
        while position < bytes.count {
            if bytes[position] == UInt8(ascii: "\n") {
                var end = position
                if end > lineStart, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                if end > lineStart { lines.append(Data(bytes[lineStart..<end])) }
                lineStart = position + 1
            }
            position += 1
        }
        if lineStart > 0 { bytes.removeFirst(lineStart) }
        scanned = bytes.count
        return lines
    }

    /// The unterminated last line, if any, at the end of the stream.
    public mutating func finish() -> Data? {
        defer { bytes = []; scanned = 0 }
        let line = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...]
        return line.isEmpty ? nil : Data(line)
    }

    /// Bytes held for an unfinished line.
    public var pendingByteCount: Int { bytes.count }
}
