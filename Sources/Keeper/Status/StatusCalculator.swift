import Foundation
import KubeModel

/// Everything a status is computed from: gathered by the reconciler, turned into a status
/// without I/O.
public struct StatusInput: Sendable {
    public var cluster: ZookeeperCluster
    /// The live StatefulSet, if any.
    public var statefulSet: StatefulSet?
    /// The reconcile's one observation of the ensemble.
    public var observation: EnsembleObservation
    /// What the planners do now (nil: nothing to do).
    public var progress: EnsembleProgress?
    /// The restart a rollout waits on (kept in the status, see `RestartRecord`).
    public var restart: RestartRecord?
    /// Set when the rollout halted: why.
    public var halted: String?
    /// `SpecValidator` findings.
    public var specProblems: [String]
    /// Children or actions Keeper failed to carry out this reconcile, with why.
    public var writeFailures: [String]
    /// Why the StatefulSet controller cannot create missing member pods, if it said so.
    public var podCreationFailure: PodCreationFailure?
    public var now: Date

    public init(cluster: ZookeeperCluster, statefulSet: StatefulSet?, observation: EnsembleObservation, progress: EnsembleProgress? = nil,
                restart: RestartRecord? = nil, halted: String? = nil, specProblems: [String] = [], writeFailures: [String] = [],
                podCreationFailure: PodCreationFailure? = nil, now: Date) {
        self.cluster = cluster
        self.statefulSet = statefulSet
        self.observation = observation
        self.progress = progress
        self.restart = restart
        self.halted = halted
        self.specProblems = specProblems
        self.writeFailures = writeFailures
        self.podCreationFailure = podCreationFailure
        self.now = now
    }
}

/// Computes a cluster's status from what Keeper observed. Pure: equal inputs give equal
/// statuses, so a status is written only when something really changed.
///
/// Membership is the committed configuration's: "3 of 5 voters serve" counts participants of
/// the committed configuration whose `srvr` says leader or follower, never pods.
public enum StatusCalculator {
    public static func status(_ input: StatusInput) -> ZookeeperClusterStatus {
        let names = ClusterNames(input.cluster)
        let spec = ResolvedSpec(input.cluster.spec)
        let members = self.members(input.observation)
        let withPods = input.observation.members.filter { $0.pod != nil }
        var status = ZookeeperClusterStatus(
            observedGeneration: input.cluster.metadata.generation,
            replicas: withPods.count,
            readyReplicas: withPods.filter { $0.pod?.ready == true }.count,
            selector: names.selectorString,
            leader: input.observation.leader?.name,
            members: members,
            clientEndpoint: names.clientEndpoint,
            version: spec.version,
            conditions: input.cluster.status?.conditions ?? [],
            restart: input.restart
        )
        status.voters = input.observation.committed?.voters.count
        var conditions = status.conditions ?? []
        let time = RFC3339.seconds(input.now)
        let generation = input.cluster.metadata.generation
        let available = self.available(input.observation)
        let progressing = self.progressing(input)
        let degraded = self.degraded(input)
        for (type, state, reason, message) in [
            (ConditionSet.available, available.state, available.reason.rawValue, available.message),
            (ConditionSet.progressing, progressing.isTrue ? "True" : "False", progressing.reason.rawValue, progressing.message),
            (ConditionSet.degraded, degraded.isTrue ? "True" : "False", degraded.reason.rawValue, degraded.message),
        ] {
            ConditionSet.set(Condition(type: type, status: state, reason: reason, message: message,
                                       lastTransitionTime: time, observedGeneration: generation), in: &conditions)
        }
        status.conditions = conditions
        return status
    }

    static func members(_ observation: EnsembleObservation) -> [MemberStatus] {
        observation.members.map { member in
            var membership: String?
            if let committed = observation.committed {
                membership = committed.voters.contains(member.id) ? "participant" : committed.observers.contains(member.id) ? "observer" : "none"
            }
            let role: String
            switch member.serving {
            case .leader, .follower, .observer: role = member.serving.rawValue
            case .notServing, .unreachable: role = "unknown"
            }
            return MemberStatus(name: member.name, id: member.id, role: role, ready: member.pod?.ready ?? false,
                                upToDate: member.pod.map(\.upToDate) ?? false, membership: membership)
        }
    }

    static func available(_ observation: EnsembleObservation) -> (state: String, reason: AvailableReason, message: String) {
        guard !observation.members.isEmpty else { return ("False", .noMembers, "No member pods exist yet.") }
        let leaders = observation.leaders
        let serving = observation.members.filter { $0.serving.isServing }.count
        guard leaders.count == 1 else {
            let detail = leaders.isEmpty ? "No member reports itself as leader" : "\(leaders.count) members report themselves as leader"
            return ("False", .noLeader, "\(detail); \(serving) of \(observation.members.count) members serve.")
        }
        guard let committed = observation.committed else {
            return ("Unknown", .membershipUnknown, "\(leaders[0].name) leads, but did not tell its committed configuration; \(serving) members serve.")
        }
        let servingVoters = observation.servingVoters.count
        guard servingVoters >= committed.quorum else {
            return ("False", .noQuorum, "\(servingVoters) of \(committed.voters.count) voters serve; a quorum needs \(committed.quorum).")
        }
        return ("True", .quorumAvailable, "\(servingVoters) of \(committed.voters.count) voters serve; \(leaders[0].name) leads.")
    }

    static func progressing(_ input: StatusInput) -> (isTrue: Bool, reason: ProgressingReason, message: String) {
        if !input.specProblems.isEmpty {
            return (false, .invalidSpec, "Keeper changes nothing until the spec is fixed (see Degraded).")
        }
        guard let statefulSet = input.statefulSet else { return (true, .creating, "Creating the StatefulSet.") }
        if let progress = input.progress { return (true, progress.reason, progress.message) }
        let observation = input.observation
        let withPods = observation.members.filter { $0.pod != nil }
        let replicas = statefulSet.spec?.replicas ?? 1
        if withPods.count < replicas {
            if let failure = input.podCreationFailure {
                return (true, .failedCreate, "\(withPods.count) of \(replicas) member pods exist; the StatefulSet controller reports: \(failure.message)")
            }
            return (true, .waitingForPods, "\(withPods.count) of \(replicas) member pods exist; \(waitingForPods(input, members: withPods.count)).")
        }
        let outdated = observation.members.filter(\.isOutdated).map(\.name)
        if !outdated.isEmpty {
            return (true, .membersOutdated, "\(outdated.joined(separator: ", ")) \(outdated.count == 1 ? "runs" : "run") an outdated revision.")
        }
        let ready = withPods.filter { $0.pod?.ready == true }.count
        if ready < withPods.count { return (true, .waitingForMembers, "\(ready) of \(withPods.count) members are ready.") }
        guard let committed = observation.committed else {
            return (true, .waitingForMembers, "Waiting to read the committed configuration from a single leader.")
        }
        let desired = ResolvedSpec(input.cluster.spec).replicas
        if committed.voters.count != desired {
            return (true, committed.voters.count < desired ? .scalingUp : .scalingDown,
                    "\(committed.voters.count) voters, \(desired) wanted.")
        }
        return (false, .converged, "\(committed.voters.count) of \(desired) voters serve the desired revision.")
    }

    /// What the missing pods wait for, from the StatefulSet controller's progress.
    static func waitingForPods(_ input: StatusInput, members: Int) -> String {
        switch PodCreation.of(input.statefulSet, memberPods: members) {
        case .controllerBehind: return "the StatefulSet controller has not acted on the StatefulSet's latest change yet"
        case .stalled: return "the StatefulSet controller has not created the rest"
        case .complete: return "the StatefulSet asks for \(input.statefulSet?.spec?.replicas ?? 0)"
        }
    }

    static func degraded(_ input: StatusInput) -> (isTrue: Bool, reason: DegradedReason, message: String) {
        if !input.specProblems.isEmpty {
            return (true, .invalidSpec, input.specProblems.joined(separator: "; "))
        }
        if let halted = input.halted {
            return (true, .rolloutHalted, halted)
        }
        if !input.writeFailures.isEmpty {
            return (true, .applyFailed, input.writeFailures.joined(separator: "; "))
        }
        if let failure = input.podCreationFailure, failure.persists(at: input.now) {
            return (true, .failedCreate, failure.message)
        }
        if input.progress == nil, let mismatch = membershipMismatch(input.observation) {
            return (true, .membershipMismatch, mismatch)
        }
        return (false, .asExpected, "No problems found.")
    }

    /// Running members outside the committed configuration, and voters without a pod, when no
    /// scaling step explains them (e.g. an ensemble changed behind Keeper's back).
    static func membershipMismatch(_ observation: EnsembleObservation) -> String? {
        guard let committed = observation.committed else { return nil }
        var problems: [String] = []
        let outsiders = observation.members.filter { $0.pod != nil && !committed.voters.contains($0.id) && !committed.observers.contains($0.id) }
        if !outsiders.isEmpty {
            problems.append("\(outsiders.map(\.name).joined(separator: ", ")) \(outsiders.count == 1 ? "runs" : "run") but \(outsiders.count == 1 ? "is" : "are") not in the committed configuration")
        }
        let podless = observation.members.filter { $0.pod == nil && committed.voters.contains($0.id) }
        if !podless.isEmpty {
            problems.append("voter\(podless.count == 1 ? "" : "s") \(podless.map(\.name).joined(separator: ", ")) \(podless.count == 1 ? "has" : "have") no pod")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ") + "."
    }
}
