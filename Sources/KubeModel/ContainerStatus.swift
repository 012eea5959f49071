/// `core/v1 ContainerStatus`.
public struct ContainerStatus: Codable, Hashable, Sendable {
    public var name: String?
    public var state: ContainerState?
    public var lastState: ContainerState?
    public var ready: Bool?
    public var started: Bool?
    public var restartCount: Int?
    public var image: String?
    public var imageID: String?
    public var containerID: String?

    public init(name: String? = nil, state: ContainerState? = nil, lastState: ContainerState? = nil, ready: Bool? = nil, started: Bool? = nil, restartCount: Int? = nil, image: String? = nil, imageID: String? = nil, containerID: String? = nil) {
        self.name = name
        self.state = state
        self.lastState = lastState
        self.ready = ready
        self.started = started
        self.restartCount = restartCount
        self.image = image
        self.imageID = imageID
        self.containerID = containerID
    }
}

/// `core/v1 ContainerState`: at most one of the three is set.
public struct ContainerState: Codable, Hashable, Sendable {
    public var waiting: ContainerStateWaiting?
    public var running: ContainerStateRunning?
    public var terminated: ContainerStateTerminated?

    public init(waiting: ContainerStateWaiting? = nil, running: ContainerStateRunning? = nil, terminated: ContainerStateTerminated? = nil) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}

/// `core/v1 ContainerStateWaiting`.
public struct ContainerStateWaiting: Codable, Hashable, Sendable {
    public var reason: String?
    public var message: String?

    public init(reason: String? = nil, message: String? = nil) {
        self.reason = reason
        self.message = message
    }
}

/// `core/v1 ContainerStateRunning`.
public struct ContainerStateRunning: Codable, Hashable, Sendable {
    public var startedAt: Time?

    public init(startedAt: Time? = nil) {
        self.startedAt = startedAt
    }
}

/// `core/v1 ContainerStateTerminated`.
public struct ContainerStateTerminated: Codable, Hashable, Sendable {
    public var exitCode: Int?
    public var signal: Int?
    public var reason: String?
    public var message: String?
    public var startedAt: Time?
    public var finishedAt: Time?
    public var containerID: String?

    public init(exitCode: Int? = nil, signal: Int? = nil, reason: String? = nil, message: String? = nil, startedAt: Time? = nil, finishedAt: Time? = nil, containerID: String? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.containerID = containerID
    }
}
