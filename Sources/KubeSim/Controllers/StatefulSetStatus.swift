import Foundation
import KubeModel

/// `computeReplicaStatus` and `completeRollingUpdate` of the StatefulSet controller.
enum StatefulSetStatus {
    /// The status fields the controller owns (others, such as conditions, are kept).
    static let fields = ["observedGeneration", "replicas", "readyReplicas", "availableReplicas", "currentReplicas",
                         "updatedReplicas", "currentRevision", "updateRevision", "collisionCount"]

    /// The status for `set` given the pods it controls. Zero counts that the real type
    /// omits (`omitempty`) are absent; `replicas` and `availableReplicas` are always there.
    static func compute(set: JSONValue, pods: [JSONValue], currentRevision: String, updateRevision: String,
                        collisionCount: Int64, now: Date) -> JSONValue {
        let minReadySeconds = Int(set[path: ["spec", "minReadySeconds"]]?.intValue ?? 0)
        var replicas = 0, ready = 0, available = 0, current = 0, updated = 0
        for pod in pods {
            let created = StatefulSetPods.isCreated(pod)
            if created { replicas += 1 }
            if StatefulSetPods.isRunningAndReady(pod) {
                ready += 1
                if StatefulSetPods.isAvailable(pod, minReadySeconds: minReadySeconds, now: now) { available += 1 }
            }
            if created && !StatefulSetPods.isTerminating(pod) {
                let revision = StatefulSetPods.revision(pod)
                if revision == currentRevision { current += 1 }
                if revision == updateRevision { updated += 1 }
            }
        }
        var currentName = currentRevision
        let wanted = StatefulSetPods.replicas(set)
        if set[path: ["spec", "updateStrategy", "type"]]?.stringValue == "RollingUpdate",
           updated == wanted, ready == wanted, replicas == wanted {
            current = updated
            currentName = updateRevision
        }
        var status: JSONValue = ["replicas": .int(Int64(replicas)), "availableReplicas": .int(Int64(available)),
                                 "currentRevision": .string(currentName), "updateRevision": .string(updateRevision),
                                 "collisionCount": .int(collisionCount)]
        if let generation = set[path: ["metadata", "generation"]]?.intValue { status["observedGeneration"] = .int(generation) }
        if ready > 0 { status["readyReplicas"] = .int(Int64(ready)) }
        if current > 0 { status["currentReplicas"] = .int(Int64(current)) }
        if updated > 0 { status["updatedReplicas"] = .int(Int64(updated)) }
        return status
    }
}
