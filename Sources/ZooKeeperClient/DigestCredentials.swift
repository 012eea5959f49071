/// Credentials of ZooKeeper's `digest` scheme: a client authenticates with "user:password";
/// the server compares `user:base64(sha1("user:password"))` with ACL ids and with the
/// superuser set by the system property `zookeeper.DigestAuthenticationProvider.superDigest`.
public struct DigestCredentials: Sendable, Equatable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// What `addAuth` sends: "user:password".
    public var authText: String { "\(user):\(password)" }

    /// The hashed id, "user:base64(sha1(user:password))", as `superDigest` and digest ACLs
    /// take it (what `DigestAuthenticationProvider.generateDigest` prints).
    public var digest: String { "\(user):" + base64(SHA1.hash(Array(authText.utf8))) }

    /// The JVM flag that makes these credentials the ensemble's superuser.
    public var superDigestJVMFlag: String { "-Dzookeeper.DigestAuthenticationProvider.superDigest=\(digest)" }

    private func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[Int((value >> (18 - 6 * UInt32(position))) & 63)] : "=")
            }
            index += 3
        }
        return out
    }
}
