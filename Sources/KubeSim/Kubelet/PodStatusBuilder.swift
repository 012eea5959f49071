import Foundation
import KubeModel

/// Builds a pod's `status` from what the runtime reports, keeping the transition times of
/// conditions that did not change. Pure.
public enum PodStatusBuilder {
    /// The status to write for `runtime`, given the pod's `previous` status.
    public static func status(runtime status: PodRuntimeStatus, previous: PodStatus?, hostIP: String, now: Date) -> PodStatus {
        let nowTime = RFC3339.seconds(now)
        var conditions: [PodCondition] = []
        func condition(_ type: String, _ value: Bool, reason: String? = nil) {
            let status = value ? "True" : "False"
            let old = previous?.conditions?.first { $0.type == type }
            let since = old?.status == status ? (old?.lastTransitionTime ?? nowTime) : nowTime
            conditions.append(PodCondition(type: type, status: status, lastTransitionTime: since, reason: value ? nil : reason))
        }
        let initialized = status.initialized
        let containersReady = status.containersReady && !status.terminating
        condition("PodReadyToStartContainers", true)
        condition("Initialized", initialized, reason: "ContainersNotInitialized")
        condition("Ready", containersReady, reason: "ContainersNotReady")
        condition("ContainersReady", containersReady, reason: "ContainersNotReady")
        condition("PodScheduled", true)
        let phase = status.phase
        return PodStatus(
            phase: phase.rawValue, conditions: conditions, hostIP: hostIP, hostIPs: [HostIP(ip: hostIP)],
            podIP: status.podIP, podIPs: [PodIP(ip: status.podIP)], startTime: previous?.startTime ?? RFC3339.seconds(status.startTime),
            initContainerStatuses: status.initContainerStatuses.isEmpty ? nil : status.initContainerStatuses.map(containerStatus),
            containerStatuses: status.containerStatuses.map(containerStatus),
            qosClass: previous?.qosClass ?? "BestEffort")
    }

    /// The status of a pod the kubelet accepted but cannot start yet (a missing ConfigMap,
    /// an unbound claim): Pending, with the reason on every container.
    public static func waitingStatus(pod: Pod, reason: String, message: String, podIP: String?, hostIP: String, now: Date) -> PodStatus {
        let previous = pod.status
        let containers = (pod.spec?.containers ?? []).map {
            ContainerStatus(name: $0.name, state: ContainerState(waiting: ContainerStateWaiting(reason: reason, message: message)),
                            ready: false, started: false, restartCount: 0, image: $0.image, imageID: "")
        }
        let scheduled = PodCondition(type: "PodScheduled", status: "True",
                                     lastTransitionTime: previous?.conditions?.first { $0.type == "PodScheduled" }?.lastTransitionTime ?? RFC3339.seconds(now))
        return PodStatus(phase: "Pending", conditions: [scheduled], hostIP: hostIP, hostIPs: [HostIP(ip: hostIP)],
                         podIP: podIP, podIPs: podIP.map { [PodIP(ip: $0)] }, startTime: previous?.startTime ?? RFC3339.seconds(now),
                         containerStatuses: containers, qosClass: "BestEffort")
    }

    static func containerStatus(_ status: ContainerRuntimeStatus) -> ContainerStatus {
        ContainerStatus(name: status.name, state: state(status.state), lastState: status.lastState.map(state) ?? ContainerState(),
                        ready: status.ready, started: status.started, restartCount: status.restartCount,
                        image: status.image, imageID: status.imageID, containerID: status.containerID)
    }

    static func state(_ state: RuntimeContainerState) -> ContainerState {
        switch state {
        case .waiting(let reason, let message):
            return ContainerState(waiting: ContainerStateWaiting(reason: reason, message: message))
        case .running(let startedAt):
            return ContainerState(running: ContainerStateRunning(startedAt: RFC3339.seconds(startedAt)))
        case .terminated(let exitCode, let signal, let reason, let message, let startedAt, let finishedAt):
            return ContainerState(terminated: ContainerStateTerminated(
                exitCode: Int(exitCode), signal: signal.map(Int.init), reason: reason, message: message,
                startedAt: RFC3339.seconds(startedAt), finishedAt: RFC3339.seconds(finishedAt)))
        }
    }
}
