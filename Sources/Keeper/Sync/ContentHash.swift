import KubeModel

/// A short, stable hash of text or JSON (64-bit FNV-1a, 16 hex digits). Not cryptographic:
/// it detects change, nothing more, and needs no library beyond the standard one.
public enum ContentHash {
    public static func of(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The hash of a JSON value's canonical (sorted-key) serialization.
    public static func of(_ json: JSONValue) -> String {
        of(String(decoding: json.serialized(), as: UTF8.self))
    }
}
