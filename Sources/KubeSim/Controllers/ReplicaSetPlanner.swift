import Foundation
import KubeModel

/// One pass of the ReplicaSet controller's `syncReplicaSet`, without I/O
/// (`pkg/controller/replicaset/replica_set.go` `manageReplicas`, `replica_set_utils.go`
/// `calculateStatus`, v1.32): how many pods to create, which to delete, and the status.
/// Pods are the set's by controller reference only; adopting or releasing pods by selector
/// (`ClaimPods`) is not modelled.
enum ReplicaSetPlanner {
    /// `burstReplicas`: at most this many creates or deletes per pass.
    static let burstReplicas = 500

    enum Action: Equatable {
        /// A new pod from the template (`GetPodFromTemplate`; the server completes `generateName`).
        case createPod(JSONValue)
        case deletePod(String)
    }

    /// `manageReplicas`: `diff = active pods - spec.replicas`; create the missing pods, or
    /// delete the surplus ones ranked by `getPodsToDelete`.
    static func plan(replicaSet: JSONValue, pods: [JSONValue]) -> [Action] {
        let active = pods.filter(isActive)
        let wanted = Int(replicaSet[path: ["spec", "replicas"]]?.intValue ?? 1)
        let diff = active.count - wanted
        if diff < 0 {
            return Array(repeating: Action.createPod(newPod(replicaSet)), count: min(-diff, burstReplicas))
        }
        guard diff > 0 else { return [] }
        return podsToDelete(active, count: min(diff, burstReplicas)).map { .deletePod($0[path: ["metadata", "name"]]?.stringValue ?? "") }
    }

    /// `controller.FilterActivePods`: not terminating, not Succeeded or Failed.
    static func isActive(_ pod: JSONValue) -> Bool {
        !StatefulSetPods.isTerminating(pod) && !StatefulSetPods.isFinished(pod)
    }

    /// `GetPodFromTemplate`: the template's labels, annotations and finalizers, `generateName`
    /// `<set>-`, a controller reference to the set.
    static func newPod(_ replicaSet: JSONValue) -> JSONValue {
        let template = replicaSet[path: ["spec", "template"]] ?? [:]
        let name = replicaSet[path: ["metadata", "name"]]?.stringValue ?? ""
        var metadata: JSONValue = ["generateName": .string(name + "-"), "namespace": replicaSet[path: ["metadata", "namespace"]] ?? "default",
                                   "ownerReferences": [StatefulSetPods.controllerRef(to: replicaSet, apiVersion: "apps/v1", kind: "ReplicaSet")]]
        for field in ["labels", "annotations", "finalizers"] {
            if let value = template[path: ["metadata", field]] { metadata[field] = value }
        }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template["spec"] ?? [:]]
    }

    /// `getPodsToDelete` with `controller.ActivePods` ordering (`controller_utils.go`): the
    /// pods least worth keeping first: unscheduled before scheduled, Pending before Unknown
    /// before Running, not ready before ready, more container restarts first, newer first.
    /// (The rank by co-located pods and the readiness duration are not modelled.)
    static func podsToDelete(_ pods: [JSONValue], count: Int) -> [JSONValue] {
        Array(pods.sorted(by: lessWorthKeeping).prefix(count))
    }

    static func lessWorthKeeping(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let scheduledA = !(a[path: ["spec", "nodeName"]]?.stringValue ?? "").isEmpty
        let scheduledB = !(b[path: ["spec", "nodeName"]]?.stringValue ?? "").isEmpty
        if scheduledA != scheduledB { return !scheduledA }
        let phaseRank = ["Pending": 0, "Unknown": 1, "Running": 2]
        let rankA = phaseRank[StatefulSetPods.phase(a)] ?? 0, rankB = phaseRank[StatefulSetPods.phase(b)] ?? 0
        if rankA != rankB { return rankA < rankB }
        let readyA = isReady(a), readyB = isReady(b)
        if readyA != readyB { return !readyA }
        let restartsA = restarts(a), restartsB = restarts(b)
        if restartsA != restartsB { return restartsA > restartsB }
        let createdA = a[path: ["metadata", "creationTimestamp"]]?.stringValue ?? ""
        let createdB = b[path: ["metadata", "creationTimestamp"]]?.stringValue ?? ""
        if createdA != createdB { return createdA > createdB }
        return (a[path: ["metadata", "name"]]?.stringValue ?? "") > (b[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    /// `podutil.IsPodReady`: the Ready condition is True (whatever the phase).
    static func isReady(_ pod: JSONValue) -> Bool { StatefulSetPods.readyCondition(pod)?["status"] == "True" }

    private static func restarts(_ pod: JSONValue) -> Int64 {
        (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) }
    }

    /// The status fields this controller owns.
    static let statusFields = ["replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas", "observedGeneration"]

    /// `calculateStatus`: counts over the active pods; zero counts the real type omits are absent
    /// (`replicas` is always there).
    static func status(replicaSet: JSONValue, pods: [JSONValue], now: Date) -> JSONValue {
        let active = pods.filter(isActive)
        let templateLabels = replicaSet[path: ["spec", "template", "metadata", "labels"]]?.objectValue ?? [:]
        let minReadySeconds = Int(replicaSet[path: ["spec", "minReadySeconds"]]?.intValue ?? 0)
        var labelled = 0, ready = 0, available = 0
        for pod in active {
            let labels = pod[path: ["metadata", "labels"]]?.objectValue ?? [:]
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { labelled += 1 }
            if isReady(pod) {
                ready += 1
                if StatefulSetPods.isAvailable(pod, minReadySeconds: minReadySeconds, now: now) { available += 1 }
            }
        }
        var status: JSONValue = ["replicas": .int(Int64(active.count))]
        if labelled > 0 { status["fullyLabeledReplicas"] = .int(Int64(labelled)) }
        if ready > 0 { status["readyReplicas"] = .int(Int64(ready)) }
        if available > 0 { status["availableReplicas"] = .int(Int64(available)) }
        if let generation = replicaSet[path: ["metadata", "generation"]]?.intValue { status["observedGeneration"] = .int(generation) }
        return status
    }
}
