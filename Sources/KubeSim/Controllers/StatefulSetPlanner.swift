import Foundation
import KubeModel

/// One pass of the StatefulSet controller's `updateStatefulSet`, without I/O: given the set,
/// its pods and claims and its current and update revisions, the writes to make in order.
/// Ported from `pkg/controller/statefulset/stateful_set_control.go` (maxUnavailable 1).
enum StatefulSetPlanner {
    /// What the planner sees.
    struct Input {
        var set: JSONValue
        /// Pods the set controls (controller reference), any ordinal.
        var pods: [JSONValue]
        /// Existing claims in the set's namespace, by name.
        var claims: [String: JSONValue]
        var currentRevision: String
        var currentTemplate: JSONValue
        var updateRevision: String
        var updateTemplate: JSONValue
        /// `status.currentReplicas` as last written (used by RollingUpdate without `rollingUpdate`).
        var statusCurrentReplicas: Int = 0
    }

    /// One write.
    enum Action: Equatable {
        case createClaim(JSONValue)
        /// The claim with new owner references (retention policy).
        case updateClaim(JSONValue)
        case createPod(JSONValue)
        /// Deletes a pod by name (graceful, as the controller does).
        case deletePod(String)
    }

    struct Plan: Equatable {
        var actions: [Action] = []
        /// Why the pass stopped early (OrderedReady waiting for a predecessor, a rollout
        /// waiting for a pod), or nil when it went through.
        var waitingFor: String?
    }

    static func plan(_ input: Input) -> Plan {
        var plan = Plan()
        let set = input.set
        let setName = set[path: ["metadata", "name"]]?.stringValue ?? ""
        let start = StatefulSetPods.startOrdinal(set)
        let end = start + StatefulSetPods.replicas(set)
        let monotonic = set[path: ["spec", "podManagementPolicy"]]?.stringValue != "Parallel"
        var byOrdinal: [Int: JSONValue] = [:]
        var condemned: [(ordinal: Int, pod: JSONValue)] = []
        for pod in input.pods {
            guard let ordinal = StatefulSetPods.ordinal(ofPod: pod[path: ["metadata", "name"]]?.stringValue ?? "", set: setName) else { continue }
            if ordinal >= start && ordinal < end { byOrdinal[ordinal] = pod } else { condemned.append((ordinal, pod)) }
        }
        condemned.sort { $0.ordinal > $1.ordinal }

        // Claims of existing pods follow the retention policy (condemned pods' claims first
        // become theirs, so deleting the pod deletes them).
        for (ordinal, pod) in byOrdinal.sorted(by: { $0.key < $1.key }) {
            plan.actions += claimOwnerUpdates(set: set, pod: pod, ordinal: ordinal, scaledDown: false, claims: input.claims)
        }
        for entry in condemned {
            plan.actions += claimOwnerUpdates(set: set, pod: entry.pod, ordinal: entry.ordinal, scaledDown: true, claims: input.claims)
        }

        for ordinal in start..<max(start, end) {
            var pod = byOrdinal[ordinal]
            if let existing = pod, StatefulSetPods.isFinished(existing), !StatefulSetPods.isTerminating(existing) {
                // A failed (or completed) pod is deleted and recreated.
                plan.actions.append(.deletePod(existing[path: ["metadata", "name"]]?.stringValue ?? ""))
                pod = nil
            }
            guard let pod else {
                plan.actions += missingClaims(set: set, ordinal: ordinal, claims: input.claims)
                plan.actions.append(.createPod(versionedPod(input, ordinal: ordinal, start: start)))
                if monotonic {
                    plan.waitingFor = "pod \(StatefulSetPods.podName(set: setName, ordinal: ordinal)) to be Running and Ready"
                    return plan
                }
                continue
            }
            let name = pod[path: ["metadata", "name"]]?.stringValue ?? ""
            if StatefulSetPods.phase(pod) == "Pending" {
                plan.actions += missingClaims(set: set, ordinal: ordinal, claims: input.claims)
            }
            if StatefulSetPods.isTerminating(pod) {
                if monotonic {
                    plan.waitingFor = "pod \(name) to terminate"
                    return plan
                }
                continue
            }
            if monotonic && !StatefulSetPods.isRunningAndReady(pod) {
                plan.waitingFor = "pod \(name) to be Running and Ready"
                return plan
            }
        }

        // Scale down from the highest ordinal; OrderedReady one at a time.
        for entry in condemned {
            let name = entry.pod[path: ["metadata", "name"]]?.stringValue ?? ""
            if StatefulSetPods.isTerminating(entry.pod) {
                if monotonic {
                    plan.waitingFor = "pod \(name) to terminate"
                    return plan
                }
                continue
            }
            plan.actions.append(.deletePod(name))
            if monotonic {
                plan.waitingFor = "pod \(name) to terminate"
                return plan
            }
        }

        // OnDelete leaves pods alone; RollingUpdate replaces the highest outdated ordinal at
        // or above the partition, once everything above it is healthy.
        guard set[path: ["spec", "updateStrategy", "type"]]?.stringValue != "OnDelete" else { return plan }
        let partition = Int(set[path: ["spec", "updateStrategy", "rollingUpdate", "partition"]]?.intValue ?? 0)
        for ordinal in stride(from: end - 1, through: start + max(0, partition), by: -1) {
            guard let pod = byOrdinal[ordinal] else { continue }
            let name = pod[path: ["metadata", "name"]]?.stringValue ?? ""
            if StatefulSetPods.revision(pod) != input.updateRevision && !StatefulSetPods.isTerminating(pod) {
                plan.actions.append(.deletePod(name))
                plan.waitingFor = "pod \(name) to be replaced at revision \(input.updateRevision)"
                return plan
            }
            if !StatefulSetPods.isHealthy(pod) {
                plan.waitingFor = "pod \(name) to be Running and Ready"
                return plan
            }
        }
        return plan
    }

    /// `newVersionedStatefulSetPod`, including its operator precedence: with a
    /// `rollingUpdate` block, ordinals below the partition get the current revision
    /// whatever the strategy; else RollingUpdate keeps the first currentReplicas current.
    static func versionedPod(_ input: Input, ordinal: Int, start: Int) -> JSONValue {
        let strategy = input.set[path: ["spec", "updateStrategy"]]
        let rollingUpdate = strategy?["rollingUpdate"]
        let isRolling = strategy?["type"]?.stringValue == "RollingUpdate"
        let partition = Int(rollingUpdate?["partition"]?.intValue ?? 0)
        let useCurrent = (isRolling && rollingUpdate == nil && ordinal < start + input.statusCurrentReplicas)
            || (rollingUpdate != nil && ordinal < start + partition)
        if useCurrent {
            return StatefulSetPods.newPod(set: input.set, template: input.currentTemplate, revision: input.currentRevision, ordinal: ordinal)
        }
        return StatefulSetPods.newPod(set: input.set, template: input.updateTemplate, revision: input.updateRevision, ordinal: ordinal)
    }

    private static func missingClaims(set: JSONValue, ordinal: Int, claims: [String: JSONValue]) -> [Action] {
        StatefulSetPods.claims(of: set, ordinal: ordinal).compactMap { entry in
            let name = entry.claim[path: ["metadata", "name"]]?.stringValue ?? ""
            guard claims[name] == nil else { return nil }
            var claim = entry.claim
            let owners = retentionOwners(current: [], set: set, pod: nil, scaledDown: false)
            if !owners.isEmpty { claim[path: ["metadata", "ownerReferences"]] = .array(owners) }
            return .createClaim(claim)
        }
    }

    private static func claimOwnerUpdates(set: JSONValue, pod: JSONValue, ordinal: Int, scaledDown: Bool, claims: [String: JSONValue]) -> [Action] {
        StatefulSetPods.claims(of: set, ordinal: ordinal).compactMap { entry in
            let name = entry.claim[path: ["metadata", "name"]]?.stringValue ?? ""
            guard var claim = claims[name], claim[path: ["metadata", "deletionTimestamp"]] == nil else { return nil }
            let current = claim[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
            let wanted = retentionOwners(current: current, set: set, pod: pod, scaledDown: scaledDown)
            guard wanted != current else { return nil }
            claim[path: ["metadata", "ownerReferences"]] = wanted.isEmpty ? nil : .array(wanted)
            return .updateClaim(claim)
        }
    }

    /// `updateClaimOwnerRefForSetAndPod`: scrub references to the set and the pod, then add
    /// the set (whenDeleted: Delete, pod in range) or the pod (whenScaled: Delete, pod
    /// scaled down) as controller. A claim another controller owns is only scrubbed.
    static func retentionOwners(current: [JSONValue], set: JSONValue, pod: JSONValue?, scaledDown: Bool) -> [JSONValue] {
        let setUID = set[path: ["metadata", "uid"]]?.stringValue ?? ""
        let podUID = pod?[path: ["metadata", "uid"]]?.stringValue
        func isOurs(_ reference: JSONValue) -> Bool {
            let uid = reference["uid"]?.stringValue
            return uid == setUID || (podUID != nil && uid == podUID)
        }
        let unexpectedController = current.contains { $0["controller"]?.boolValue == true && !isOurs($0) }
        var owners = current.filter { !isOurs($0) }
        if unexpectedController { return owners }
        let policy = set[path: ["spec", "persistentVolumeClaimRetentionPolicy"]]
        let whenDeleted = policy?["whenDeleted"]?.stringValue ?? "Retain"
        let whenScaled = policy?["whenScaled"]?.stringValue ?? "Retain"
        let podRef = pod.map { StatefulSetPods.controllerRef(to: $0, apiVersion: "v1", kind: "Pod") }
        let setRef = StatefulSetPods.controllerRef(to: set, apiVersion: "apps/v1", kind: "StatefulSet")
        switch (whenScaled, whenDeleted) {
        case ("Delete", "Delete"): owners.append(scaledDown ? (podRef ?? setRef) : setRef)
        case ("Delete", _): if scaledDown, let podRef { owners.append(podRef) }
        case (_, "Delete"): owners.append(setRef)
        default: break
        }
        return owners
    }
}
