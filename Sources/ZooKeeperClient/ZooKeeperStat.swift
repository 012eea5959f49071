/// A znode's metadata (`org.apache.zookeeper.data.Stat`).
public struct ZooKeeperStat: Sendable, Equatable, JuteDecodable {
    /// The zxid of the change that created the znode.
    public var czxid: Int64
    /// The zxid of the last data change.
    public var mzxid: Int64
    /// Creation time, milliseconds since the epoch.
    public var ctime: Int64
    /// Last modification time, milliseconds since the epoch.
    public var mtime: Int64
    /// Data version: the `version` argument of setData/delete must match it.
    public var version: Int32
    /// Children version.
    public var cversion: Int32
    /// ACL version.
    public var aversion: Int32
    /// The owning session of an ephemeral znode, 0 otherwise.
    public var ephemeralOwner: Int64
    public var dataLength: Int32
    public var numChildren: Int32
    /// The zxid of the last change to the children.
    public var pzxid: Int64

    init(from decoder: inout JuteDecoder) throws(ZooKeeperError) {
        czxid = try decoder.readInt64()
        mzxid = try decoder.readInt64()
        ctime = try decoder.readInt64()
        mtime = try decoder.readInt64()
        version = try decoder.readInt32()
        cversion = try decoder.readInt32()
        aversion = try decoder.readInt32()
        ephemeralOwner = try decoder.readInt64()
        dataLength = try decoder.readInt32()
        numChildren = try decoder.readInt32()
        pzxid = try decoder.readInt64()
    }
}
