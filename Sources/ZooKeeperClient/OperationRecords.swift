/// Request and response bodies of the operations this client sends (`zookeeper.jute`).
struct CreateRequest: JuteEncodable {
    var path: String
    var data: [UInt8]
    var acl: [ZooKeeperACL]
    var mode: CreateMode

    func encode(to encoder: inout JuteEncoder) {
        encoder.write(path)
        encoder.write(buffer: data)
        encoder.write(vector: acl) { $0.write($1) }
        encoder.write(mode.rawValue)
    }
}

/// `DeleteRequest`: version -1 deletes whatever the version.
struct DeleteRequest: JuteEncodable {
    var path: String
    var version: Int32

    func encode(to encoder: inout JuteEncoder) {
        encoder.write(path)
        encoder.write(version)
    }
}

struct SetDataRequest: JuteEncodable {
    var path: String
    var data: [UInt8]
    var version: Int32

    func encode(to encoder: inout JuteEncoder) {
        encoder.write(path)
        encoder.write(buffer: data)
        encoder.write(version)
    }
}

/// `ExistsRequest`, `GetDataRequest` and `GetChildren2Request` share this shape.
struct PathWatchRequest: JuteEncodable {
    var path: String
    var watch: Bool = false

    func encode(to encoder: inout JuteEncoder) {
        encoder.write(path)
        encoder.write(watch)
    }
}

/// `SyncRequest`, `SyncResponse` and `CreateResponse` are a path alone.
struct PathRecord: JuteEncodable, JuteDecodable {
    var path: String

    init(path: String) { self.path = path }

    func encode(to encoder: inout JuteEncoder) { encoder.write(path) }

    init(from decoder: inout JuteDecoder) throws(ZooKeeperError) {
        path = try decoder.readString() ?? ""
    }
}

/// `ReconfigRequest`: incremental (joining/leaving) or bulk (newMembers); nil fields are
/// sent as null. `currentConfigId` -1 skips the version check.
struct ReconfigRequest: JuteEncodable {
    var joiningServers: String?
    var leavingServers: String?
    var newMembers: String?
    var currentConfigId: Int64

    func encode(to encoder: inout JuteEncoder) {
        encoder.write(joiningServers)
        encoder.write(leavingServers)
        encoder.write(newMembers)
        encoder.write(currentConfigId)
    }
}

/// `GetDataResponse`, also the answer to `reconfig` (the new configuration).
struct GetDataResponse: JuteDecodable {
    var data: [UInt8]
    var stat: ZooKeeperStat

    init(from decoder: inout JuteDecoder) throws(ZooKeeperError) {
        data = try decoder.readBuffer() ?? []
        stat = try decoder.read(ZooKeeperStat.self)
    }
}

struct GetChildren2Response: JuteDecodable {
    var children: [String]
    var stat: ZooKeeperStat

    init(from decoder: inout JuteDecoder) throws(ZooKeeperError) {
        children = try decoder.readVector { (decoder: inout JuteDecoder) throws(ZooKeeperError) in try decoder.readString() ?? "" } ?? []
        stat = try decoder.read(ZooKeeperStat.self)
    }
}

/// `CreateResponse` of `create2`: the actual path (with a sequence suffix) and its stat.
struct Create2Response: JuteDecodable {
    var path: String
    var stat: ZooKeeperStat

    init(from decoder: inout JuteDecoder) throws(ZooKeeperError) {
        path = try decoder.readString() ?? ""
        stat = try decoder.read(ZooKeeperStat.self)
    }
}

/// `SetDataResponse` and `ExistsResponse` are a stat alone.
struct StatResponse: JuteDecodable {
    var stat: ZooKeeperStat

    init(from decoder: inout JuteDecoder) throws(ZooKeeperError) {
        stat = try decoder.read(ZooKeeperStat.self)
    }
}
