import KubeModel

/// `printPod` of kubernetes `pkg/printers/internalversion`: READY, STATUS (the reason
/// kubectl shows: `Running`, `ContainerCreating`, `CrashLoopBackOff`, `Init:0/1`,
/// `Terminating`, `Completed`...), RESTARTS (`3 (5m ago)`), AGE, and the wide columns.
enum PodPrinter {
    static let printer = BuiltInPrinters.Printer(columns: [
        BuiltInPrinters.name,
        BuiltInPrinters.column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
        BuiltInPrinters.column("Status", "The aggregate status of the containers in this pod."),
        BuiltInPrinters.column("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        BuiltInPrinters.age,
        BuiltInPrinters.column("IP", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", priority: 1),
        BuiltInPrinters.column("Node", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.", priority: 1),
        BuiltInPrinters.column("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", priority: 1),
        BuiltInPrinters.column("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", priority: 1),
    ], row: row)

    static func row(_ pod: JSONValue, _ now: String) -> (cells: [JSONValue], conditions: [JSONValue]?) {
        let spec = pod["spec"] ?? [:]
        let status = pod["status"] ?? [:]
        let phase = status["phase"]?.stringValue ?? ""
        var reason = phase
        if let statusReason = status["reason"]?.stringValue, !statusReason.isEmpty { reason = statusReason }
        let conditions = status["conditions"]?.arrayValue ?? []
        if conditions.contains(where: { $0["type"]?.stringValue == "PodScheduled" && $0["reason"]?.stringValue == "SchedulingGated" }) {
            reason = "SchedulingGated"
        }
        var rowConditions: [JSONValue]?
        if phase == "Succeeded" {
            rowConditions = [["type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."]]
        } else if phase == "Failed" {
            rowConditions = [["type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."]]
        }

        let initSpecs = spec["initContainers"]?.arrayValue ?? []
        let sidecars = Set(initSpecs.filter { $0["restartPolicy"]?.stringValue == "Always" }.compactMap { $0["name"]?.stringValue })
        var totalContainers = (spec["containers"]?.arrayValue?.count ?? 0) + sidecars.count
        var readyContainers = 0
        var restarts: Int64 = 0
        var sidecarRestarts: Int64 = 0
        var lastRestart: Double?
        var lastSidecarRestart: Double?
        func noteTermination(_ container: JSONValue, into date: inout Double?) {
            if let finished = container[path: ["lastState", "terminated", "finishedAt"]]?.stringValue, let time = HumanTime.parse(finished) {
                date = max(date ?? time, time)
            }
        }
        var initializing = false
        let initStatuses = status["initContainerStatuses"]?.arrayValue ?? []
        for (index, container) in initStatuses.enumerated() {
            restarts += container["restartCount"]?.intValue ?? 0
            noteTermination(container, into: &lastRestart)
            let isSidecar = sidecars.contains(container["name"]?.stringValue ?? "")
            if isSidecar {
                sidecarRestarts += container["restartCount"]?.intValue ?? 0
                noteTermination(container, into: &lastSidecarRestart)
            }
            let terminated = container[path: ["state", "terminated"]]
            let waitingReason = container[path: ["state", "waiting", "reason"]]?.stringValue ?? ""
            if let terminated, terminated["exitCode"]?.intValue == 0 { continue }
            if isSidecar && container["started"]?.boolValue == true {
                if container["ready"]?.boolValue == true { readyContainers += 1 }
                continue
            }
            if let terminated {
                if let terminatedReason = terminated["reason"]?.stringValue, !terminatedReason.isEmpty {
                    reason = "Init:" + terminatedReason
                } else if let signal = terminated["signal"]?.intValue, signal != 0 {
                    reason = "Init:Signal:\(signal)"
                } else {
                    reason = "Init:ExitCode:\(terminated["exitCode"]?.intValue ?? 0)"
                }
            } else if !waitingReason.isEmpty && waitingReason != "PodInitializing" {
                reason = "Init:" + waitingReason
            } else {
                reason = "Init:\(index)/\(initSpecs.count)"
            }
            initializing = true
            break
        }
        let initialized = conditions.contains { $0["type"]?.stringValue == "Initialized" && $0["status"]?.stringValue == "True" }
        if !initializing || initialized {
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            for container in (status["containerStatuses"]?.arrayValue ?? []).reversed() {
                restarts += container["restartCount"]?.intValue ?? 0
                noteTermination(container, into: &lastRestart)
                let state = container["state"] ?? [:]
                if let waiting = state[path: ["waiting", "reason"]]?.stringValue, !waiting.isEmpty {
                    reason = waiting
                } else if let terminated = state["terminated"], terminated != .null {
                    if let terminatedReason = terminated["reason"]?.stringValue, !terminatedReason.isEmpty {
                        reason = terminatedReason
                    } else if let signal = terminated["signal"]?.intValue, signal != 0 {
                        reason = "Signal:\(signal)"
                    } else {
                        reason = "ExitCode:\(terminated["exitCode"]?.intValue ?? 0)"
                    }
                } else if container["ready"]?.boolValue == true, let running = state["running"], running != .null {
                    hasRunning = true
                    readyContainers += 1
                }
            }
            if reason == "Completed" && hasRunning {
                let ready = conditions.contains { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" }
                reason = ready ? "Running" : "NotReady"
            }
        }
        let deleting = pod[path: ["metadata", "deletionTimestamp"]]?.stringValue != nil
        if deleting && status["reason"]?.stringValue == "NodeLost" {
            reason = "Unknown"
        } else if deleting && phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating"
        }
        var restartsText = String(restarts)
        if restarts != 0, let lastRestart, let current = HumanTime.parse(now) {
            restartsText = "\(restarts) (\(HumanTime.humanDuration(seconds: current - lastRestart)) ago)"
        }
        totalContainers = max(totalContainers, 0)

        var podIP = status["podIPs"]?.arrayValue?.first?["ip"]?.stringValue ?? ""
        if podIP.isEmpty { podIP = status["podIP"]?.stringValue ?? "" }
        var readinessGates = "<none>"
        let gates = spec["readinessGates"]?.arrayValue ?? []
        if !gates.isEmpty {
            let trueCount = gates.filter { gate in
                conditions.first { $0["type"] == gate["conditionType"] }?["status"]?.stringValue == "True"
            }.count
            readinessGates = "\(trueCount)/\(gates.count)"
        }
        let cells: [JSONValue] = [
            BuiltInPrinters.name(pod), .string("\(readyContainers)/\(totalContainers)"), .string(reason), .string(restartsText),
            BuiltInPrinters.age(pod, now), .string(BuiltInPrinters.orNone(podIP)),
            .string(BuiltInPrinters.orNone(spec["nodeName"]?.stringValue ?? "")),
            .string(BuiltInPrinters.orNone(status["nominatedNodeName"]?.stringValue ?? "")), .string(readinessGates),
        ]
        return (cells, rowConditions)
    }
}
