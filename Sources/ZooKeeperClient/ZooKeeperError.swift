/// Errors of the ZooKeeper client layer: transport failures, protocol violations, and the
/// error codes a server puts in its reply headers.
public enum ZooKeeperError: Error, Sendable, Equatable {
    /// The TCP connection could not be made or broke (DNS failure, reset, closed early).
    case connectionFailed(String)
    /// Nothing listens on the address (ECONNREFUSED): the process is down or not yet up.
    case connectionRefused(String)
    /// No answer within the deadline.
    case timeout
    /// The server answered something this client cannot decode.
    case protocolError(String)
    /// A four-letter word the server refuses because `4lw.commands.whitelist` omits it.
    case notWhitelisted(String)
    /// The client was closed by its owner.
    case closed
    /// A ZooKeeper error code from a reply header (e.g. -101 NoNode).
    case server(code: Int32, path: String?)

    /// The server code, when this is a server error.
    public var serverCode: Int32? {
        if case .server(let code, _) = self { return code }
        return nil
    }

    /// True for an error code `code` (see `ZooKeeperErrorCode`).
    public func hasCode(_ code: Int32) -> Bool { serverCode == code }

    public var isNoNode: Bool { hasCode(ZooKeeperErrorCode.noNode) }
    public var isNodeExists: Bool { hasCode(ZooKeeperErrorCode.nodeExists) }
    public var isBadVersion: Bool { hasCode(ZooKeeperErrorCode.badVersion) }
    public var isNoAuth: Bool { hasCode(ZooKeeperErrorCode.noAuth) }
    public var isSessionExpired: Bool { hasCode(ZooKeeperErrorCode.sessionExpired) }
    /// True when the outcome of a request is unknown because its connection broke
    /// (ConnectionLoss); a write may or may not have been applied.
    public var isConnectionLoss: Bool { hasCode(ZooKeeperErrorCode.connectionLoss) }
    /// True when a reconfiguration may succeed if retried later (a joiner not yet synced,
    /// another reconfiguration still running).
    public var isRetryableReconfig: Bool {
        hasCode(ZooKeeperErrorCode.newConfigNoQuorum) || hasCode(ZooKeeperErrorCode.reconfigInProgress)
    }
}

extension ZooKeeperError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .connectionFailed(let why): "ZooKeeper connection failed: \(why)"
        case .connectionRefused(let address): "ZooKeeper connection refused by \(address)"
        case .timeout: "ZooKeeper request timed out"
        case .protocolError(let why): "ZooKeeper protocol error: \(why)"
        case .notWhitelisted(let word): "four-letter word '\(word)' is not in the server's 4lw.commands.whitelist"
        case .closed: "ZooKeeper client is closed"
        case .server(let code, let path):
            "ZooKeeper error \(ZooKeeperErrorCode.name(of: code)) (\(code))" + (path.map { " on \($0)" } ?? "")
        }
    }
}

/// The error codes of `org.apache.zookeeper.KeeperException.Code` that a reply header carries.
public enum ZooKeeperErrorCode {
    public static let systemError: Int32 = -1
    public static let runtimeInconsistency: Int32 = -2
    public static let dataInconsistency: Int32 = -3
    public static let connectionLoss: Int32 = -4
    public static let marshallingError: Int32 = -5
    public static let unimplemented: Int32 = -6
    public static let operationTimeout: Int32 = -7
    public static let badArguments: Int32 = -8
    public static let unknownSession: Int32 = -12
    public static let newConfigNoQuorum: Int32 = -13
    public static let reconfigInProgress: Int32 = -14
    public static let apiError: Int32 = -100
    public static let noNode: Int32 = -101
    public static let noAuth: Int32 = -102
    public static let badVersion: Int32 = -103
    public static let noChildrenForEphemerals: Int32 = -108
    public static let nodeExists: Int32 = -110
    public static let notEmpty: Int32 = -111
    public static let sessionExpired: Int32 = -112
    public static let invalidCallback: Int32 = -113
    public static let invalidACL: Int32 = -114
    public static let authFailed: Int32 = -115
    public static let sessionMoved: Int32 = -118
    public static let notReadOnly: Int32 = -119
    public static let ephemeralOnLocalSession: Int32 = -120
    public static let noWatcher: Int32 = -121
    public static let requestTimeout: Int32 = -122
    public static let reconfigDisabled: Int32 = -123
    public static let sessionClosedRequireSaslAuth: Int32 = -124
    public static let quotaExceeded: Int32 = -125
    public static let throttled: Int32 = -127

    private static let names: [Int32: String] = [
        systemError: "SystemError", runtimeInconsistency: "RuntimeInconsistency",
        dataInconsistency: "DataInconsistency", connectionLoss: "ConnectionLoss",
        marshallingError: "MarshallingError", unimplemented: "Unimplemented",
        operationTimeout: "OperationTimeout", badArguments: "BadArguments",
        unknownSession: "UnknownSession", newConfigNoQuorum: "NewConfigNoQuorum",
        reconfigInProgress: "ReconfigInProgress", apiError: "APIError", noNode: "NoNode",
        noAuth: "NoAuth", badVersion: "BadVersion", noChildrenForEphemerals: "NoChildrenForEphemerals",
        nodeExists: "NodeExists", notEmpty: "NotEmpty", sessionExpired: "SessionExpired",
        invalidCallback: "InvalidCallback", invalidACL: "InvalidACL", authFailed: "AuthFailed",
        sessionMoved: "SessionMoved", notReadOnly: "NotReadOnly",
        ephemeralOnLocalSession: "EphemeralOnLocalSession", noWatcher: "NoWatcher",
        requestTimeout: "RequestTimeout", reconfigDisabled: "ReconfigDisabled",
        sessionClosedRequireSaslAuth: "SessionClosedRequireSaslAuth", quotaExceeded: "QuotaExceeded",
        throttled: "Throttled",
    ]

    /// The Java client's name for `code` (e.g. "NoNode"), or "Unknown".
    public static func name(of code: Int32) -> String { names[code] ?? "Unknown" }
}
