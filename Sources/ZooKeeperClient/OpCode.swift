/// Request types of `org.apache.zookeeper.ZooDefs.OpCode` used by this client.
enum OpCode: Int32 {
    case create = 1
    case delete = 2
    case exists = 3
    case getData = 4
    case setData = 5
    case getACL = 6
    case getChildren2 = 12
    case sync = 9
    case ping = 11
    case create2 = 15
    case reconfig = 16
    case auth = 100
    case closeSession = -11
}

/// Reserved xids of `org.apache.zookeeper.ClientCnxn`.
enum ReservedXid {
    /// A watch notification from the server.
    static let notification: Int32 = -1
    static let ping: Int32 = -2
    static let auth: Int32 = -4
}
