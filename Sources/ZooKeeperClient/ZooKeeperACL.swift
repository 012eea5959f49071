/// One access-control entry: permissions granted to an identity (`scheme:id`).
public struct ZooKeeperACL: Sendable, Equatable, JuteEncodable, JuteDecodable {
    /// Permission bits of `org.apache.zookeeper.ZooDefs.Perms`.
    public struct Permissions: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let read = Permissions(rawValue: 1)
        public static let write = Permissions(rawValue: 2)
        public static let create = Permissions(rawValue: 4)
        public static let delete = Permissions(rawValue: 8)
        public static let admin = Permissions(rawValue: 16)
        public static let all: Permissions = [.read, .write, .create, .delete, .admin]
    }

    public var permissions: Permissions
    /// "world", "digest", "ip", "auth", "sasl", ...
    public var scheme: String
    public var id: String

    public init(permissions: Permissions, scheme: String, id: String) {
        self.permissions = permissions
        self.scheme = scheme
        self.id = id
    }

    /// `world:anyone` with every permission (`ZooDefs.Ids.OPEN_ACL_UNSAFE`).
    public static let openUnsafe: [ZooKeeperACL] = [ZooKeeperACL(permissions: .all, scheme: "world", id: "anyone")]
    /// `world:anyone` may read (`ZooDefs.Ids.READ_ACL_UNSAFE`).
    public static let readUnsafe: [ZooKeeperACL] = [ZooKeeperACL(permissions: .read, scheme: "world", id: "anyone")]

    func encode(to encoder: inout JuteEncoder) {
        encoder.write(permissions.rawValue)
        encoder.write(scheme)
        encoder.write(id)
    }

    init(from decoder: inout JuteDecoder) throws(ZooKeeperError) {
        permissions = Permissions(rawValue: try decoder.readInt32())
        scheme = try decoder.readString() ?? ""
        id = try decoder.readString() ?? ""
    }
}

/// How `create` makes a znode (`org.apache.zookeeper.CreateMode` flags).
public enum CreateMode: Int32, Sendable {
    case persistent = 0
    /// Deleted when the creating session ends.
    case ephemeral = 1
    /// The server appends a 10-digit, monotonically increasing counter to the name.
    case persistentSequential = 2
    case ephemeralSequential = 3
    /// Deleted by the server once its last child is gone.
    case container = 4
}
