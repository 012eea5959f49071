/// Writes Jute, ZooKeeper's record serialization: big-endian integers, one-byte booleans,
/// length-prefixed buffers and strings (length -1 for null), count-prefixed vectors.
struct JuteEncoder {
    private(set) var bytes: [UInt8] = []

    init() {}

    mutating func write(_ value: Int32) {
        let bits = UInt32(bitPattern: value)
        bytes += [UInt8(truncatingIfNeeded: bits >> 24), UInt8(truncatingIfNeeded: bits >> 16),
                  UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits)]
    }

    mutating func write(_ value: Int64) {
        write(Int32(truncatingIfNeeded: value >> 32))
        write(Int32(truncatingIfNeeded: value))
    }

    mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// A buffer; nil is written as length -1.
    mutating func write(buffer: [UInt8]?) {
        guard let buffer else { return write(Int32(-1)) }
        write(Int32(buffer.count))
        bytes += buffer
    }

    /// A UTF-8 string; nil is written as length -1.
    mutating func write(_ string: String?) { write(buffer: string.map { Array($0.utf8) }) }

    /// A vector; nil is written as count -1.
    mutating func write<Element>(vector: [Element]?, _ writeElement: (inout JuteEncoder, Element) -> Void) {
        guard let vector else { return write(Int32(-1)) }
        write(Int32(vector.count))
        for element in vector { writeElement(&self, element) }
    }

    mutating func write(_ record: some JuteEncodable) { record.encode(to: &self) }

    /// The bytes with the 4-byte length prefix that frames every packet on the wire.
    var framed: [UInt8] {
        var frame = JuteEncoder()
        frame.write(Int32(bytes.count))
        return frame.bytes + bytes
    }
}

/// A record that can be written as Jute.
protocol JuteEncodable: Sendable {
    func encode(to encoder: inout JuteEncoder)
}
