import Foundation
import KubeModel

/// The Deployment controller's status (`pkg/controller/deployment/sync.go` `calculateStatus`,
/// `progress.go` `syncRolloutStatus`): counts summed over the Deployment's ReplicaSets, the
/// `Available` and `Progressing` conditions. Progress deadlines (`ProgressDeadlineExceeded`)
/// are not modelled.
enum DeploymentStatus {
    static let fields = ["observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
                         "unavailableReplicas", "conditions"]

    static func compute(deployment: JSONValue, replicaSets: [JSONValue], now: String) -> JSONValue {
        let sets = replicaSets.map(DeploymentPlanner.ReplicaSet.init)
        let wanted = DeploymentPlanner.templateIgnoringHash(deployment[path: ["spec", "template"]])
        let newSet = sets.sorted(by: DeploymentPlanner.olderFirst).first {
            DeploymentPlanner.templateIgnoringHash($0.object[path: ["spec", "template"]]) == wanted
        }
        let replicas = Int(deployment[path: ["spec", "replicas"]]?.intValue ?? 1)
        let available = sets.reduce(0) { $0 + $1.available }
        let total = sets.reduce(0) { $0 + $1.replicas }
        let actual = sets.reduce(0) { $0 + $1.statusReplicas }
        var status: JSONValue = ["replicas": .int(Int64(actual))]
        if let generation = deployment[path: ["metadata", "generation"]]?.intValue { status["observedGeneration"] = .int(generation) }
        let updated = newSet?.statusReplicas ?? 0
        let ready = sets.reduce(0) { $0 + $1.ready }
        if updated > 0 { status["updatedReplicas"] = .int(Int64(updated)) }
        if ready > 0 { status["readyReplicas"] = .int(Int64(ready)) }
        if available > 0 { status["availableReplicas"] = .int(Int64(available)) }
        if total - available > 0 { status["unavailableReplicas"] = .int(Int64(total - available)) }

        var conditions = deployment[path: ["status", "conditions"]]?.arrayValue ?? []
        if available >= replicas - DeploymentPlanner.maxUnavailable(deployment) {
            set(&conditions, type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", now: now)
        } else {
            set(&conditions, type: "Available", status: "False", reason: "MinimumReplicasUnavailable",
                message: "Deployment does not have minimum availability.", now: now)
        }
        if let newSet {
            let complete = newSet.statusReplicas == replicas && newSet.available == replicas && actual == replicas
            if complete {
                set(&conditions, type: "Progressing", status: "True", reason: "NewReplicaSetAvailable",
                    message: "ReplicaSet \"\(newSet.name)\" has successfully progressed.", now: now)
            } else {
                set(&conditions, type: "Progressing", status: "True", reason: "ReplicaSetUpdated",
                    message: "ReplicaSet \"\(newSet.name)\" is progressing.", now: now)
            }
        }
        status["conditions"] = .array(conditions)
        if let collisions = deployment[path: ["status", "collisionCount"]] { status["collisionCount"] = collisions }
        return status
    }

    /// `SetDeploymentCondition`: `lastTransitionTime` kept while the status stays, `lastUpdateTime`
    /// moves when anything changes.
    static func set(_ conditions: inout [JSONValue], type: String, status: String, reason: String, message: String, now: String) {
        let existing = conditions.firstIndex { $0["type"]?.stringValue == type }
        if let existing, conditions[existing]["status"]?.stringValue == status, conditions[existing]["reason"]?.stringValue == reason,
           conditions[existing]["message"]?.stringValue == message {
            return
        }
        var transition: JSONValue = .string(now)
        if let existing, conditions[existing]["status"]?.stringValue == status, let kept = conditions[existing]["lastTransitionTime"] {
            transition = kept
        }
        let condition: JSONValue = ["type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
                                    "lastUpdateTime": .string(now), "lastTransitionTime": transition]
        if let existing { conditions[existing] = condition } else { conditions.append(condition) }
    }
}
