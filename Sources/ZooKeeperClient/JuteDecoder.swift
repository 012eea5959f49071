/// Reads Jute records (see `JuteEncoder`); any truncated or inconsistent field is a
/// `ZooKeeperError.protocolError`, never a crash.
struct JuteDecoder {
    private let bytes: [UInt8]
    private(set) var offset: Int = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset >= bytes.count }

    private mutating func take(_ count: Int, for field: String) throws(ZooKeeperError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else {
            throw .protocolError("truncated \(field): need \(count) bytes, have \(remaining)")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func readInt32() throws(ZooKeeperError) -> Int32 {
        let slice = try take(4, for: "int")
        let bits = slice.reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
        return Int32(bitPattern: bits)
    }

    mutating func readInt64() throws(ZooKeeperError) -> Int64 {
        let high = Int64(try readInt32())
        let low = Int64(UInt32(bitPattern: try readInt32()))
        return (high << 32) | low
    }

    mutating func readBool() throws(ZooKeeperError) -> Bool {
        try take(1, for: "boolean").first != 0
    }

    /// A buffer; length -1 reads as nil.
    mutating func readBuffer() throws(ZooKeeperError) -> [UInt8]? {
        let length = try readInt32()
        if length < 0 { return nil }
        return Array(try take(Int(length), for: "buffer"))
    }

    /// A string; length -1 reads as nil.
    mutating func readString() throws(ZooKeeperError) -> String? {
        try readBuffer().map { String(decoding: $0, as: UTF8.self) }
    }

    /// A vector; count -1 reads as nil.
    mutating func readVector<Element>(_ readElement: (inout JuteDecoder) throws(ZooKeeperError) -> Element) throws(ZooKeeperError) -> [Element]? {
        let count = try readInt32()
        if count < 0 { return nil }
        // Each element takes at least one byte: a count beyond that is corrupt, not a reason to allocate.
        guard Int(count) <= remaining else { throw .protocolError("vector count \(count) exceeds packet") }
        var elements: [Element] = []
        elements.reserveCapacity(Int(count))
        for _ in 0..<count { elements.append(try readElement(&self)) }
        return elements
    }

    mutating func read<Record: JuteDecodable>(_ type: Record.Type) throws(ZooKeeperError) -> Record {
        try Record(from: &self)
    }
}

/// A record that can be read from Jute.
protocol JuteDecodable {
    init(from decoder: inout JuteDecoder) throws(ZooKeeperError)
}
