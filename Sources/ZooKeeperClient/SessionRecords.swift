/// The records of session setup and framing (`zookeeper.jute`, package `proto`).
/// `ConnectRequest`: the first packet of every connection; a reconnect presents the same
/// session id and password to resume the session on another server.
struct ConnectRequest: JuteEncodable {
    var protocolVersion: Int32 = 0
    var lastZxidSeen: Int64
    var timeout: Int32
    var sessionId: Int64
    var password: [UInt8]
    var readOnly: Bool

    func encode(to encoder: inout JuteEncoder) {
        encoder.write(protocolVersion)
        encoder.write(lastZxidSeen)
        encoder.write(timeout)
        encoder.write(sessionId)
        encoder.write(buffer: password)
        encoder.write(readOnly)
    }
}

/// `ConnectResponse`: a timeout <= 0 means the session has expired.
struct ConnectResponse: JuteDecodable {
    var protocolVersion: Int32
    var timeout: Int32
    var sessionId: Int64
    var password: [UInt8]
    /// Servers before 3.4 omit this field.
    var readOnly: Bool

    init(from decoder: inout JuteDecoder) throws(ZooKeeperError) {
        protocolVersion = try decoder.readInt32()
        timeout = try decoder.readInt32()
        sessionId = try decoder.readInt64()
        password = try decoder.readBuffer() ?? []
        readOnly = decoder.isAtEnd ? false : try decoder.readBool()
    }
}

struct RequestHeader: JuteEncodable {
    var xid: Int32
    var type: OpCode

    func encode(to encoder: inout JuteEncoder) {
        encoder.write(xid)
        encoder.write(type.rawValue)
    }
}

struct ReplyHeader: JuteDecodable {
    var xid: Int32
    var zxid: Int64
    var error: Int32

    init(from decoder: inout JuteDecoder) throws(ZooKeeperError) {
        xid = try decoder.readInt32()
        zxid = try decoder.readInt64()
        error = try decoder.readInt32()
    }
}

/// `AuthPacket`: adds an identity to the connection (e.g. scheme "digest", auth "user:pw").
struct AuthPacket: JuteEncodable {
    var type: Int32 = 0
    var scheme: String
    var auth: [UInt8]

    func encode(to encoder: inout JuteEncoder) {
        encoder.write(type)
        encoder.write(scheme)
        encoder.write(buffer: auth)
    }
}
