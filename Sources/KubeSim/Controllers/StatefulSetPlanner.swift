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
        /// The clock `minReadySeconds` is judged by.
        var now = Date()
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

    /// Why a pass stopped early, with the pod (or claim) it waits for; the messages are the
    /// real controller's log lines in `stateful_set_control.go`.
    enum Wait: Equatable, CustomStringConvertible {
        /// `processReplica`, OrderedReady: "waiting for Pod to be Running and Ready" (also
        /// right after creating it).
        case runningAndReady(String)
        /// `processReplica`/`processCondemned`, OrderedReady: Ready, not yet for `minReadySeconds`.
        case available(String)
        /// `processReplica`/`processCondemned`, OrderedReady: "waiting for Pod to Terminate".
        case termination(String)
        /// `processReplica`: a Failed or Succeeded pod was deleted; "New pod should be
        /// generated on the next sync after the current pod is removed from etcd."
        case removal(String)
        /// `PodClaimIsStale`: a claim of the pod to create still belongs to an older pod.
        case staleClaim(String)
        /// `createPersistentVolumeClaims`: "pvc %s is being deleted" (an error: the pass stops).
        case claimDeletion(String)
        /// The rolling update: "waiting for Pod to update" (replaced, or not yet healthy).
        case update(String)

        var description: String {
            switch self {
            case .runningAndReady(let pod): "pod \(pod) to be Running and Ready"
            case .available(let pod): "pod \(pod) to be available for minReadySeconds"
            case .termination(let pod): "pod \(pod) to terminate"
            case .removal(let pod): "pod \(pod) to be removed before it is recreated"
            case .staleClaim(let pod): "the claims of pod \(pod) to lose their stale owner"
            case .claimDeletion(let claim): "claim \(claim) to be deleted"
            case .update(let pod): "pod \(pod) to be updated and healthy"
            }
        }
    }

    struct Plan: Equatable {
        var actions: [Action] = []
        /// Why the pass stopped early, or nil when it went through.
        var waitingFor: Wait?
    }

    /// `updateStatefulSet` with the `MaxUnavailableStatefulSet` gate off (its default through
    /// v1.33): `replicas` holds, for every ordinal in range, the live pod or the pod
    /// `newVersionedStatefulSetPod` creates for it, so a pod created in this pass (not yet
    /// Running and Ready) holds up the rolling update like any unhealthy one.
    static func plan(_ input: Input) -> Plan {
        var plan = Plan()
        let set = input.set
        let setName = set[path: ["metadata", "name"]]?.stringValue ?? ""
        let start = StatefulSetPods.startOrdinal(set)
        let end = start + StatefulSetPods.replicas(set)
        let monotonic = set[path: ["spec", "podManagementPolicy"]]?.stringValue != "Parallel"
        let minReadySeconds = Int(set[path: ["spec", "minReadySeconds"]]?.intValue ?? 0)
        var byOrdinal: [Int: JSONValue] = [:]
        var condemned: [(ordinal: Int, pod: JSONValue)] = []
        for pod in input.pods {
            guard let ordinal = StatefulSetPods.ordinal(ofPod: pod[path: ["metadata", "name"]]?.stringValue ?? "", set: setName) else { continue }
            if ordinal >= start && ordinal < end { byOrdinal[ordinal] = pod } else { condemned.append((ordinal, pod)) }
        }
        condemned.sort { $0.ordinal > $1.ordinal }
        let ordinals = Array(start..<max(start, end))
        var replicas = ordinals.map { byOrdinal[$0] ?? versionedPod(input, ordinal: $0, start: start) }
        // The first unhealthy pod: replicas in ordinal order, then condemned from the lowest.
        let firstUnhealthy = (replicas + condemned.reversed().map(\.pod)).first { !StatefulSetPods.isHealthy($0) }
            .flatMap { $0[path: ["metadata", "name"]]?.stringValue }
        func stop(_ wait: Wait) -> Plan {
            plan.waitingFor = wait
            return plan
        }

        // processReplica, for each ordinal in order; OrderedReady stops at the first that
        // blocks, Parallel (`slowStartBatch`) goes on past them.
        for (index, ordinal) in ordinals.enumerated() {
            let pod = replicas[index]
            let name = StatefulSetPods.podName(set: setName, ordinal: ordinal)
            if StatefulSetPods.isFinished(pod) {
                if !StatefulSetPods.isTerminating(pod) {
                    plan.actions.append(.deletePod(name))
                    // Deleted now: the update loop below must not delete it again (the real
                    // one would, and ignore the NotFound), and it is not healthy.
                    replicas[index][path: ["metadata", "deletionTimestamp"]] = .string(APIServer.timestamp(input.now))
                }
                if monotonic { return stop(.removal(name)) }
                continue
            }
            if byOrdinal[ordinal] == nil {
                if hasStaleClaim(set: set, podName: name, ordinal: ordinal, claims: input.claims) {
                    if monotonic { return stop(.staleClaim(name)) }
                    continue
                }
                let claims = claimsToCreate(set: set, ordinal: ordinal, claims: input.claims)
                if let deleting = claims.deleting { return stop(.claimDeletion(deleting)) }
                plan.actions += claims.missing
                plan.actions.append(.createPod(pod))
                if monotonic { return stop(.runningAndReady(name)) }
                continue
            }
            if StatefulSetPods.phase(pod) == "Pending" {
                let claims = claimsToCreate(set: set, ordinal: ordinal, claims: input.claims)
                if let deleting = claims.deleting { return stop(.claimDeletion(deleting)) }
                plan.actions += claims.missing
            }
            if monotonic && StatefulSetPods.isTerminating(pod) { return stop(.termination(name)) }
            if monotonic && !StatefulSetPods.isRunningAndReady(pod) { return stop(.runningAndReady(name)) }
            if monotonic && !StatefulSetPods.isAvailable(pod, minReadySeconds: minReadySeconds, now: input.now) {
                return stop(.available(name))
            }
            // ClaimsMatchRetentionPolicy / UpdatePodClaimForRetentionPolicy.
            plan.actions += claimOwnerUpdates(set: set, pod: pod, ordinal: ordinal, scaledDown: false, claims: input.claims)
        }

        // fixPodClaim: condemned pods' claims become theirs, so deleting the pod deletes them.
        for entry in condemned {
            plan.actions += claimOwnerUpdates(set: set, pod: entry.pod, ordinal: entry.ordinal, scaledDown: true, claims: input.claims)
        }

        // processCondemned, from the highest ordinal; OrderedReady one at a time, and only
        // the first unhealthy pod may go while unhealthy.
        for entry in condemned {
            let pod = entry.pod
            let name = pod[path: ["metadata", "name"]]?.stringValue ?? ""
            if StatefulSetPods.isTerminating(pod) {
                if monotonic { return stop(.termination(name)) }
                continue
            }
            if monotonic && name != firstUnhealthy {
                if !StatefulSetPods.isRunningAndReady(pod) { return stop(.runningAndReady(firstUnhealthy ?? name)) }
                if !StatefulSetPods.isAvailable(pod, minReadySeconds: minReadySeconds, now: input.now) {
                    return stop(.available(firstUnhealthy ?? name))
                }
            }
            plan.actions.append(.deletePod(name))
            if monotonic { return stop(.termination(name)) }
        }

        // OnDelete leaves pods alone. RollingUpdate replaces the pod with the largest ordinal
        // not at the update revision, at or above the partition, and waits for every pod it
        // passes (created in this pass included) to be healthy ("wait for unhealthy Pods on update").
        guard set[path: ["spec", "updateStrategy", "type"]]?.stringValue != "OnDelete" else { return plan }
        let partition = Int(set[path: ["spec", "updateStrategy", "rollingUpdate", "partition"]]?.intValue ?? 0)
        for index in stride(from: replicas.count - 1, through: max(0, partition), by: -1) {
            let pod = replicas[index]
            let name = pod[path: ["metadata", "name"]]?.stringValue ?? ""
            if StatefulSetPods.revision(pod) != input.updateRevision && !StatefulSetPods.isTerminating(pod) {
                plan.actions.append(.deletePod(name))
                return stop(.update(name))
            }
            if !StatefulSetPods.isHealthy(pod) { return stop(.update(name)) }
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

    /// `createPersistentVolumeClaims`: the claims of `ordinal` to create, and the first one
    /// found being deleted (which fails the pod's creation).
    private static func claimsToCreate(set: JSONValue, ordinal: Int, claims: [String: JSONValue]) -> (missing: [Action], deleting: String?) {
        var missing: [Action] = []
        for entry in StatefulSetPods.claims(of: set, ordinal: ordinal) {
            let name = entry.claim[path: ["metadata", "name"]]?.stringValue ?? ""
            if let existing = claims[name] {
                if existing[path: ["metadata", "deletionTimestamp"]] != nil { return (missing, name) }
                continue
            }
            var claim = entry.claim
            let owners = retentionOwners(current: [], set: set, pod: nil, scaledDown: false)
            if !owners.isEmpty { claim[path: ["metadata", "ownerReferences"]] = .array(owners) }
            missing.append(.createClaim(claim))
        }
        return (missing, nil)
    }

    /// `PodClaimIsStale`: with `whenScaled: Delete`, a claim of the pod about to be created
    /// that names a pod of that name as owner belongs to an older pod (`hasStaleOwnerRef`; the
    /// new pod has no UID yet), and blocks the creation until the garbage collector is done.
    private static func hasStaleClaim(set: JSONValue, podName: String, ordinal: Int, claims: [String: JSONValue]) -> Bool {
        guard set[path: ["spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"]]?.stringValue == "Delete" else { return false }
        return StatefulSetPods.claims(of: set, ordinal: ordinal).contains { entry in
            let claim = claims[entry.claim[path: ["metadata", "name"]]?.stringValue ?? ""]
            return (claim?[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains {
                $0["kind"]?.stringValue == "Pod" && $0["name"]?.stringValue == podName
            }
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
