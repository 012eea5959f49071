import KubeModel

/// Errors of the client layer.
public enum KubeError: Error, Sendable {
    /// The server answered with a `Status`.
    case api(Status)
    case transport(String)
    case decoding(String)
    case configuration(String)

    public var status: Status? { if case .api(let status) = self { return status } else { return nil } }
    public var isNotFound: Bool { status?.code == 404 }
    public var isConflict: Bool { status?.code == 409 }
    public var isAlreadyExists: Bool { status?.reason == "AlreadyExists" }
    public var isGone: Bool { status?.code == 410 }
    public var isInvalid: Bool { status?.code == 422 }
    public var isTooManyRequests: Bool { status?.code == 429 }
    public var isUnauthorized: Bool { status?.code == 401 }
    public var isForbidden: Bool { status?.code == 403 }
}

extension KubeError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .api(let status): return "API error \(status.code.map(String.init) ?? "?") \(status.reason ?? ""): \(status.message ?? "")"
        case .transport(let message): return "transport error: \(message)"
        case .decoding(let message): return "decoding error: \(message)"
        case .configuration(let message): return "configuration error: \(message)"
        }
    }
}
