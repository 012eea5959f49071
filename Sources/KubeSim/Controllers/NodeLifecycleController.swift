import Foundation
import KubeModel
import Synchronization

/// The part of kube-controller-manager's node lifecycle controller that a silent kubelet
/// meets: a node whose Lease in `kube-node-lease` and Ready heartbeat have not changed for
/// longer than the grace period gets its conditions set to Unknown ("Kubelet stopped
/// posting node status."), the `node.kubernetes.io/unreachable` taints, and its pods'
/// Ready condition set to False. Like the real one it times silence by when it last saw a
/// heartbeat change, not by the timestamps the kubelet wrote, so clock skew cannot matter.
/// Pods are not evicted (the taint-eviction controller's job, not simulated).
final class NodeLifecycleController: SimController {
    static let manager = "kube-controller-manager"
    static let unreachableTaint = "node.kubernetes.io/unreachable"
    /// The conditions the real controller turns Unknown.
    static let monitoredConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]

    /// `--node-monitor-grace-period`.
    let gracePeriod: TimeInterval
    /// `--node-monitor-period`: how often silence is checked.
    let monitorPeriod: TimeInterval

    private struct Observation {
        var heartbeat: String
        var seenAt: Date
    }

    private struct State {
        var observations: [String: Observation] = [:]
        var ticker: ControllerTicker?
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - gracePeriod: how long a node may stay silent before it is NotReady (40 s by default).
    ///   - monitorPeriod: how often to look; by default 5 s, or an eighth of a short grace period.
    ///   - clock: the time (tests pass a clock they move).
    init(gracePeriod: TimeInterval = 40, monitorPeriod: TimeInterval? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.gracePeriod = gracePeriod
        self.clock = clock
        self.monitorPeriod = monitorPeriod ?? min(5, max(0.02, gracePeriod / 8))
    }

    func isInterested(in change: WatchRecord) -> Bool {
        [ResourceType.nodes, .leases, .pods].contains { $0.groupResource == change.storageKey }
    }

    func sync(_ server: APIServer) {
        startTicking(server)
        let now = clock()
        let leases = server.store.list(ResourceType.leases.groupResource, namespace: "kube-node-lease").items
        let renewals = Dictionary(leases.map { ($0.key.name, $0.object[path: ["spec", "renewTime"]]?.stringValue ?? "") },
                                  uniquingKeysWith: { first, _ in first })
        let nodes = server.store.list(ResourceType.nodes.groupResource, namespace: nil).items.map(\.object)
        var unready: Set<String> = []
        for node in nodes {
            guard let name = node[path: ["metadata", "name"]]?.stringValue else { continue }
            let heartbeat = (Self.condition(node, "Ready")?["lastHeartbeatTime"]?.stringValue ?? "") + "|" + (renewals[name] ?? "")
            let seenAt = state.withLock { state -> Date in
                if let observation = state.observations[name], observation.heartbeat == heartbeat { return observation.seenAt }
                state.observations[name] = Observation(heartbeat: heartbeat, seenAt: now)
                return now
            }
            var current = node
            if now.timeIntervalSince(seenAt) > gracePeriod {
                current = markUnknown(server, node, now: now)
            } else if Self.condition(node, "Ready")?["status"] == "True" {
                current = removeUnreachableTaints(server, node)
            }
            if Self.condition(current, "Ready")?["status"]?.stringValue != "True" && Self.condition(current, "Ready") != nil {
                unready.insert(name)
            }
        }
        let present = Set(nodes.compactMap { $0[path: ["metadata", "name"]]?.stringValue })
        state.withLock { state in state.observations = state.observations.filter { present.contains($0.key) } }
        if !unready.isEmpty { markPodsNotReady(server, nodes: unready, now: now) }
    }

    static func condition(_ node: JSONValue, _ type: String) -> JSONValue? {
        (node[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"]?.stringValue == type }
    }

    private func startTicking(_ server: APIServer) {
        state.withLock { state in
            guard state.ticker == nil else { return }
            state.ticker = ControllerTicker(interval: monitorPeriod) { [weak server] in
                guard let server else { return false }
                server.controllers.kick { $0 is NodeLifecycleController }
                return true
            }
        }
    }

    /// `tryUpdateNodeHealth` for a node past its grace period: Unknown conditions and taints.
    private func markUnknown(_ server: APIServer, _ node: JSONValue, now: Date) -> JSONValue {
        let timestamp = APIServer.timestamp(now)
        var conditions = node[path: ["status", "conditions"]]?.arrayValue ?? []
        for type in Self.monitoredConditions {
            if let index = conditions.firstIndex(where: { $0["type"]?.stringValue == type }) {
                guard conditions[index]["status"] != "Unknown" else { continue }
                conditions[index]["status"] = "Unknown"
                conditions[index]["reason"] = "NodeStatusUnknown"
                conditions[index]["message"] = "Kubelet stopped posting node status."
                conditions[index]["lastTransitionTime"] = .string(timestamp)
            } else {
                conditions.append(["type": .string(type), "status": "Unknown", "reason": "NodeStatusNeverUpdated",
                                   "message": "Kubelet never posted node status.",
                                   "lastHeartbeatTime": node[path: ["metadata", "creationTimestamp"]] ?? .string(timestamp),
                                   "lastTransitionTime": .string(timestamp)])
            }
        }
        var current = node
        if conditions != (node[path: ["status", "conditions"]]?.arrayValue ?? []) {
            var updated = node
            updated[path: ["status", "conditions"]] = .array(conditions)
            if let written = try? server.storage.update(.nodes, updated, subresource: "status", fieldManager: Self.manager) {
                current = written
                recordEvent(server, node, reason: "NodeNotReady", message: "Node \(node[path: ["metadata", "name"]]?.stringValue ?? "") status is now: NodeNotReady")
            }
        }
        var taints = current[path: ["spec", "taints"]]?.arrayValue ?? []
        let before = taints.count
        for effect in ["NoSchedule", "NoExecute"] where !taints.contains(where: { $0["key"]?.stringValue == Self.unreachableTaint && $0["effect"]?.stringValue == effect }) {
            var taint: JSONValue = ["key": .string(Self.unreachableTaint), "effect": .string(effect)]
            if effect == "NoExecute" { taint["timeAdded"] = .string(timestamp) }
            taints.append(taint)
        }
        if taints.count != before {
            var tainted = current
            tainted[path: ["spec", "taints"]] = .array(taints)
            if let written = try? server.storage.update(.nodes, tainted, fieldManager: Self.manager) { current = written }
        }
        return current
    }

    /// A node that is Ready again loses the unreachable taints.
    private func removeUnreachableTaints(_ server: APIServer, _ node: JSONValue) -> JSONValue {
        let taints = node[path: ["spec", "taints"]]?.arrayValue ?? []
        let kept = taints.filter { $0["key"]?.stringValue != Self.unreachableTaint }
        guard kept.count != taints.count else { return node }
        var updated = node
        updated[path: ["spec", "taints"]] = kept.isEmpty ? nil : .array(kept)
        return (try? server.storage.update(.nodes, updated, fieldManager: Self.manager)) ?? node
    }

    /// `MarkPodsNotReady`: the Ready condition of every pod on these nodes turns False.
    private func markPodsNotReady(_ server: APIServer, nodes: Set<String>, now: Date) {
        for item in server.store.list(ResourceType.pods.groupResource, namespace: nil).items {
            var pod = item.object
            guard let node = pod[path: ["spec", "nodeName"]]?.stringValue, nodes.contains(node),
                  var conditions = pod[path: ["status", "conditions"]]?.arrayValue,
                  let index = conditions.firstIndex(where: { $0["type"] == "Ready" }),
                  conditions[index]["status"] != "False" else { continue }
            conditions[index]["status"] = "False"
            conditions[index]["lastTransitionTime"] = .string(APIServer.timestamp(now))
            pod[path: ["status", "conditions"]] = .array(conditions)
            if (try? server.storage.update(.pods, pod, subresource: "status", fieldManager: Self.manager)) != nil {
                recordEvent(server, pod, reason: "NodeNotReady", message: "Node is not ready", type: "Warning")
            }
        }
    }

    private func recordEvent(_ server: APIServer, _ object: JSONValue, reason: String, message: String, type: String = "Normal") {
        let now = APIServer.timestamp()
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? "default"
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string("\(name).\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"), "namespace": .string(namespace)],
            "involvedObject": ["apiVersion": object["apiVersion"] ?? "v1", "kind": object["kind"] ?? "", "name": .string(name),
                               "namespace": object[path: ["metadata", "namespace"]] ?? .null, "uid": object[path: ["metadata", "uid"]] ?? ""],
            "reason": .string(reason), "message": .string(message), "type": .string(type), "count": 1,
            "source": ["component": "node-controller"], "firstTimestamp": .string(now), "lastTimestamp": .string(now),
        ]
        _ = try? server.storage.create(.events, event, fieldManager: Self.manager)
    }
}
