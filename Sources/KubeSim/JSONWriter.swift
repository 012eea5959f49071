import Foundation
import KubeModel

/// A fast JSON serializer for responses and watch events: sorted keys (as
/// `JSONValue.serialized()` writes them) without going through `JSONEncoder`, which
/// dominated the cost of large lists.
enum JSONWriter {
    static func data(_ value: JSONValue) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        write(value, into: &bytes)
        return Data(bytes)
    }

    static func write(_ value: JSONValue, into bytes: inout [UInt8]) {
        switch value {
        case .null: bytes += [110, 117, 108, 108]
        case .bool(let flag): bytes += flag ? Array("true".utf8) : Array("false".utf8)
        case .int(let number): bytes += Array(String(number).utf8)
        case .double(let number):
            if number.isFinite, number == number.rounded(), abs(number) < 1e15 {
                bytes += Array(String(Int64(number)).utf8)
            } else if number.isFinite {
                bytes += Array("\(number)".utf8)
            } else {
                bytes += [110, 117, 108, 108]
            }
        case .string(let text): writeString(text, into: &bytes)
        case .array(let items):
            bytes.append(91)
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(44) }
                write(item, into: &bytes)
            }
            bytes.append(93)
        case .object(let members):
            bytes.append(123)
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { bytes.append(44) }
                writeString(key, into: &bytes)
                bytes.append(58)
                // The key comes from the dictionary itself.
                write(members[key] ?? .null, into: &bytes)
            }
            bytes.append(125)
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private static func writeString(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(34)
        for byte in text.utf8 {
            switch byte {
            case 34: bytes += [92, 34]
            case 92: bytes += [92, 92]
            case 10: bytes += [92, 110]
            case 13: bytes += [92, 114]
            case 9: bytes += [92, 116]
            case 8: bytes += [92, 98]
            case 12: bytes += [92, 102]
            case 0..<32: bytes += [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(34)
    }
}
