/// `core/v1 Probe`: one handler plus timings.
public struct Probe: Codable, Hashable, Sendable {
    public var exec: ExecAction?
    public var tcpSocket: TCPSocketAction?
    public var httpGet: HTTPGetAction?
    public var grpc: GRPCAction?
    public var initialDelaySeconds: Int?
    public var timeoutSeconds: Int?
    public var periodSeconds: Int?
    public var successThreshold: Int?
    public var failureThreshold: Int?
    public var terminationGracePeriodSeconds: Int64?

    public init(exec: ExecAction? = nil, tcpSocket: TCPSocketAction? = nil, httpGet: HTTPGetAction? = nil, grpc: GRPCAction? = nil, initialDelaySeconds: Int? = nil, timeoutSeconds: Int? = nil, periodSeconds: Int? = nil, successThreshold: Int? = nil, failureThreshold: Int? = nil, terminationGracePeriodSeconds: Int64? = nil) {
        self.exec = exec
        self.tcpSocket = tcpSocket
        self.httpGet = httpGet
        self.grpc = grpc
        self.initialDelaySeconds = initialDelaySeconds
        self.timeoutSeconds = timeoutSeconds
        self.periodSeconds = periodSeconds
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }
}

/// `core/v1 ExecAction`: a command run in the container; exit 0 is success.
public struct ExecAction: Codable, Hashable, Sendable {
    public var command: [String]?

    public init(command: [String]? = nil) {
        self.command = command
    }
}

/// `core/v1 TCPSocketAction`.
public struct TCPSocketAction: Codable, Hashable, Sendable {
    public var port: IntOrString?
    public var host: String?

    public init(port: IntOrString? = nil, host: String? = nil) {
        self.port = port
        self.host = host
    }
}

/// `core/v1 HTTPGetAction`.
public struct HTTPGetAction: Codable, Hashable, Sendable {
    public var path: String?
    public var port: IntOrString?
    public var host: String?
    public var scheme: String?
    public var httpHeaders: [HTTPHeader]?

    public init(path: String? = nil, port: IntOrString? = nil, host: String? = nil, scheme: String? = nil, httpHeaders: [HTTPHeader]? = nil) {
        self.path = path
        self.port = port
        self.host = host
        self.scheme = scheme
        self.httpHeaders = httpHeaders
    }
}

/// `core/v1 HTTPHeader`.
public struct HTTPHeader: Codable, Hashable, Sendable {
    public var name: String?
    public var value: String?

    public init(name: String? = nil, value: String? = nil) {
        self.name = name
        self.value = value
    }
}

/// `core/v1 GRPCAction`.
public struct GRPCAction: Codable, Hashable, Sendable {
    public var port: Int?
    public var service: String?

    public init(port: Int? = nil, service: String? = nil) {
        self.port = port
        self.service = service
    }
}

/// `core/v1 Lifecycle`: hooks run after start and before stop.
public struct Lifecycle: Codable, Hashable, Sendable {
    public var postStart: LifecycleHandler?
    public var preStop: LifecycleHandler?

    public init(postStart: LifecycleHandler? = nil, preStop: LifecycleHandler? = nil) {
        self.postStart = postStart
        self.preStop = preStop
    }
}

/// `core/v1 LifecycleHandler`: exactly one action.
public struct LifecycleHandler: Codable, Hashable, Sendable {
    public var exec: ExecAction?
    public var httpGet: HTTPGetAction?
    public var tcpSocket: TCPSocketAction?
    public var sleep: SleepAction?

    public init(exec: ExecAction? = nil, httpGet: HTTPGetAction? = nil, tcpSocket: TCPSocketAction? = nil, sleep: SleepAction? = nil) {
        self.exec = exec
        self.httpGet = httpGet
        self.tcpSocket = tcpSocket
        self.sleep = sleep
    }
}

/// `core/v1 SleepAction`.
public struct SleepAction: Codable, Hashable, Sendable {
    public var seconds: Int64?

    public init(seconds: Int64? = nil) {
        self.seconds = seconds
    }
}
