import Foundation
import KubeModel
import ZooKeeperClient

/// Everything a status is computed from: gathered by the reconciler, turned into a status
/// without I/O.
public struct StatusInput: Sendable {
    public var cluster: ZookeeperCluster
    /// The live StatefulSet, if any.
    public var statefulSet: StatefulSet?
    /// The member pods (any order; other pods are ignored).
    public var pods: [Pod]
    /// The role each pod's `srvr` reported, by pod name.
    public var roles: [String: ZooKeeperRole]
    /// The config hash of the pod template Keeper wants (or the live one while the spec is invalid).
    public var templateConfigHash: String?
    /// `SpecValidator` findings.
    public var specProblems: [String]
    /// Children Keeper failed to write this reconcile, with why.
    public var writeFailures: [String]
    /// Why the StatefulSet controller cannot create missing member pods, if it said so.
    public var podCreationFailure: PodCreationFailure?
    public var now: Date

    public init(cluster: ZookeeperCluster, statefulSet: StatefulSet?, pods: [Pod], roles: [String: ZooKeeperRole], templateConfigHash: String?,
                specProblems: [String] = [], writeFailures: [String] = [], podCreationFailure: PodCreationFailure? = nil, now: Date) {
        self.cluster = cluster
        self.statefulSet = statefulSet
        self.pods = pods
        self.roles = roles
        self.templateConfigHash = templateConfigHash
        self.specProblems = specProblems
        self.writeFailures = writeFailures
        self.podCreationFailure = podCreationFailure
        self.now = now
    }
}

/// Computes a cluster's status from what Keeper observed. Pure: equal inputs give equal
/// statuses, so a status is written only when something really changed.
public enum StatusCalculator {
    public static func status(_ input: StatusInput) -> ZookeeperClusterStatus {
        let names = ClusterNames(input.cluster)
        let spec = ResolvedSpec(input.cluster.spec)
        let members = self.members(input, names: names)
        let leaders = members.filter { $0.role == ZooKeeperRole.leader.rawValue }
        var status = ZookeeperClusterStatus(
            observedGeneration: input.cluster.metadata.generation,
            replicas: members.count,
            readyReplicas: members.filter(\.ready).count,
            selector: names.selectorString,
            leader: leaders.count == 1 ? leaders[0].name : nil,
            members: members,
            clientEndpoint: names.clientEndpoint,
            version: spec.version,
            conditions: input.cluster.status?.conditions ?? []
        )
        var conditions = status.conditions ?? []
        let time = RFC3339.seconds(input.now)
        let generation = input.cluster.metadata.generation
        for (type, (isTrue, reason, message)) in [
            (ConditionSet.available, available(input, members: members, leaders: leaders)),
            (ConditionSet.progressing, progressing(input, members: members, desired: spec.replicas)),
            (ConditionSet.degraded, degraded(input)),
        ] {
            ConditionSet.set(Condition(type: type, status: isTrue ? "True" : "False", reason: reason, message: message,
                                       lastTransitionTime: time, observedGeneration: generation), in: &conditions)
        }
        status.conditions = conditions
        return status
    }

    static func members(_ input: StatusInput, names: ClusterNames) -> [MemberStatus] {
        let updateRevision = input.statefulSet?.status?.updateRevision
        return input.pods.compactMap { pod -> (Int, MemberStatus)? in
            guard let ordinal = names.ordinal(ofPod: pod.name) else { return nil }
            let ready = pod.metadata.deletionTimestamp == nil
                && pod.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
            let revisionCurrent = updateRevision.map { pod.metadata.labels?[Labels.controllerRevisionHash] == $0 } ?? true
            let configCurrent = input.templateConfigHash.map { pod.metadata.annotations?[Labels.configHashAnnotation] == $0 } ?? true
            let role = input.roles[pod.name] ?? .unknown
            return (ordinal, MemberStatus(name: pod.name, id: ordinal + 1, role: role.rawValue, ready: ready, upToDate: revisionCurrent && configCurrent))
        }
        .sorted { $0.0 < $1.0 }
        .map(\.1)
    }

    static func available(_ input: StatusInput, members: [MemberStatus], leaders: [MemberStatus]) -> (Bool, String, String) {
        guard !members.isEmpty else { return (false, "NoMembers", "No member pods exist yet.") }
        let ensembleSize = input.statefulSet?.spec?.replicas ?? ResolvedSpec(input.cluster.spec).replicas
        let quorum = ensembleSize / 2 + 1
        let serving = members.filter { $0.role == ZooKeeperRole.leader.rawValue || $0.role == ZooKeeperRole.follower.rawValue }
        if leaders.count != 1 {
            let detail = leaders.isEmpty ? "no member reports itself as leader" : "\(leaders.count) members report themselves as leader"
            return (false, "NoLeader", "\(detail.prefix(1).uppercased() + detail.dropFirst()); \(serving.count) of \(ensembleSize) members serve.")
        }
        guard serving.count >= quorum else {
            return (false, "NoQuorum", "\(serving.count) of \(ensembleSize) members serve; a quorum needs \(quorum).")
        }
        return (true, "QuorumAvailable", "\(serving.count) of \(ensembleSize) members serve; \(leaders[0].name) leads.")
    }

    static func progressing(_ input: StatusInput, members: [MemberStatus], desired: Int) -> (Bool, String, String) {
        if !input.specProblems.isEmpty {
            return (false, "InvalidSpec", "Keeper changes nothing until the spec is fixed (see Degraded).")
        }
        guard input.statefulSet != nil else { return (true, "Creating", "Creating the StatefulSet.") }
        if members.count < desired {
            if let failure = input.podCreationFailure {
                return (true, "FailedCreate", "\(members.count) of \(desired) member pods exist; the StatefulSet controller reports: \(failure.message)")
            }
            return (true, "WaitingForMembers", "\(members.count) of \(desired) member pods exist.")
        }
        if members.count > desired { return (true, "ScalingDown", "\(members.count) member pods exist, \(desired) wanted.") }
        let outdated = members.filter { !$0.upToDate }.map(\.name)
        if !outdated.isEmpty {
            return (true, "MembersOutdated", "\(outdated.joined(separator: ", ")) \(outdated.count == 1 ? "runs" : "run") an outdated revision and \(outdated.count == 1 ? "waits" : "wait") for a restart.")
        }
        let ready = members.filter(\.ready).count
        if ready < desired { return (true, "WaitingForMembers", "\(ready) of \(desired) members are ready.") }
        return (false, "Converged", "\(desired) of \(desired) members are ready and up to date.")
    }

    static func degraded(_ input: StatusInput) -> (Bool, String, String) {
        if !input.specProblems.isEmpty {
            return (true, "InvalidSpec", input.specProblems.joined(separator: "; "))
        }
        if !input.writeFailures.isEmpty {
            return (true, "ApplyFailed", input.writeFailures.joined(separator: "; "))
        }
        if let failure = input.podCreationFailure, failure.persists(at: input.now) {
            return (true, "FailedCreate", failure.message)
        }
        return (false, "AsExpected", "No problems found.")
    }
}
