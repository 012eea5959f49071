import Foundation

/// A container's state, as `containerStatuses[].state` reports it.
public enum RuntimeContainerState: Sendable, Equatable {
    case waiting(reason: String, message: String?)
    case running(startedAt: Date)
    case terminated(exitCode: Int32, signal: Int32?, reason: String, message: String?, startedAt: Date, finishedAt: Date)

    public var isRunning: Bool {
        if case .running = self { return true }
        return false
    }

    /// The waiting reason (`ContainerCreating`, `CrashLoopBackOff`, `ErrImagePull`, ...), if waiting.
    public var waitingReason: String? {
        if case .waiting(let reason, _) = self { return reason }
        return nil
    }

    /// The exit code, if terminated.
    public var exitCode: Int32? {
        if case .terminated(let code, _, _, _, _, _) = self { return code }
        return nil
    }
}

/// One container's status, the runtime's side of `status.containerStatuses[]`.
public struct ContainerRuntimeStatus: Sendable, Equatable {
    public var name: String
    public var image: String
    public var imageID: String
    /// `kube-sim://<pod uid>/<name>/<restart count>`; nil before the first start.
    public var containerID: String?
    public var state: RuntimeContainerState
    public var lastState: RuntimeContainerState?
    public var ready: Bool
    /// False until the startup probe (if any) has succeeded.
    public var started: Bool
    public var restartCount: Int

    public init(name: String, image: String) {
        self.name = name
        self.image = image
        self.imageID = "kube-sim://\(image)"
        self.state = .waiting(reason: "ContainerCreating", message: nil)
        self.ready = false
        self.started = false
        self.restartCount = 0
    }
}

/// `status.phase`.
public enum PodPhase: String, Sendable, Equatable {
    case pending = "Pending", running = "Running", succeeded = "Succeeded", failed = "Failed", unknown = "Unknown"
}

/// What the runtime knows about one pod: the basis of its `status`.
public struct PodRuntimeStatus: Sendable, Equatable {
    public var uid: String
    public var podIP: String
    public var startTime: Date
    public var restartPolicy: RestartPolicy
    public var initContainerStatuses: [ContainerRuntimeStatus]
    public var containerStatuses: [ContainerRuntimeStatus]
    /// True once a graceful stop began.
    public var terminating: Bool

    /// Every init container completed.
    public var initialized: Bool {
        initContainerStatuses.allSatisfy { $0.state.exitCode == 0 }
    }

    /// Every container ready.
    public var containersReady: Bool {
        !containerStatuses.isEmpty && containerStatuses.allSatisfy(\.ready)
    }

    /// The phase, by the kubelet's rules: Failed/Succeeded once no container runs or will
    /// restart, Running once all were started and one runs, else Pending.
    public var phase: PodPhase {
        if initContainerStatuses.contains(where: { ($0.state.exitCode ?? 0) != 0 }) && restartPolicy == .never {
            return .failed
        }
        guard initialized else { return .pending }
        let states = containerStatuses.map(\.state)
        if states.contains(where: \.isRunning) { return .running }
        let terminated = states.compactMap(\.exitCode)
        if terminated.count == states.count, !states.isEmpty {
            switch restartPolicy {
            case .never: return terminated.allSatisfy { $0 == 0 } ? .succeeded : .failed
            case .onFailure: if terminated.allSatisfy({ $0 == 0 }) { return .succeeded }
            case .always: break
            }
        }
        // Containers waiting for a restart after having run count as Running, as in Kubernetes.
        if containerStatuses.contains(where: { $0.restartCount > 0 || $0.lastState != nil }) { return .running }
        return .pending
    }
}
