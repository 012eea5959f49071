import Foundation

/// Plans a resize one member at a time from one `EnsembleObservation`, so that the committed
/// voters become `{1...desired}` (server id = ordinal + 1) and the StatefulSet has `desired`
/// replicas.
///
/// Scale down: remove the highest voter above `desired` (`reconfig -remove`), shrink the
/// StatefulSet by one to stop its pod, wait for the pod to go, then the next. Scale up: grow
/// the StatefulSet by one, wait until the new member follows caught up (a non-voting
/// follower: it started from the committed configuration plus itself, as ZooKeeper's dynamic
/// reconfiguration guide asks), then `reconfig -add` it as a participant. Every `reconfig` is
/// conditional on the version read, and every step is recomputed from the live configuration,
/// so an interrupted step is repaired, not repeated.
public enum ScalingPlanner {
    /// The one scaling action for this reconcile.
    /// - Parameters:
    ///   - o: the ensemble as observed in this reconcile.
    ///   - d: the desired number of voters (`spec.replicas`).
    public static func plan(_ o: EnsembleObservation, desiredReplicas d: Int) -> ScalingAction {
        guard d >= 1 else { return .wait(.invalidReplicas(d)) }
        // A new ensemble: the reconciler creates it with `spec.replicas` pods.
        guard let committed = o.committed else { return .wait(.noCommittedConfig) }
        guard let replicas = o.statefulSetReplicas else { return .wait(.noStatefulSet) }
        // One step at a time: the pod of the previous shrink must be gone first.
        if let leaving = o.members.last(where: { $0.pod != nil && $0.ordinal >= replicas }) {
            return .wait(.podLeaving(leaving.name))
        }
        let highestVoter = committed.voters.max() ?? 0
        // A pod no voter and no desired member needs (a removed member's, or a joiner no longer
        // wanted): shrink by one. Its member was removed first, so this costs no vote.
        if replicas > max(d, highestVoter) {
            let name = memberName(o, ordinal: replicas - 1)
            if committed.observers.contains(replicas) { return .wait(.observerInTheWay(name)) }
            return .setReplicas(replicas - 1, .shrink(name))
        }
        // Scale down: the highest voter above `d` goes first (the leader too: it hands
        // leadership off to a member of the new configuration, `Leader.getDesignatedLeader`).
        if let id = committed.voters.filter({ $0 > d }).max() {
            if let wait = leaderWait(o) { return .wait(wait) }
            let serving = o.servingVoters
            if serving.count < committed.quorum {
                return .wait(.quorumWouldBreak(serving: serving.count, quorum: committed.quorum))
            }
            let servingAfter = serving.filter { $0.id != id }.count
            let quorumAfter = Self.quorum(committed.voters.count - 1)
            if servingAfter < quorumAfter { return .wait(.quorumWouldBreak(serving: servingAfter, quorum: quorumAfter)) }
            return .removeMember(id: id, name: memberName(o, ordinal: id - 1), fromVersion: committed.version)
        }
        // Scale up: the lowest desired id that is not a voter. The StatefulSet grows by one
        // until it has a pod for it (and for every voter).
        let joining = (1...d).first { !committed.voters.contains($0) }
        if replicas < max(highestVoter, joining ?? 0) {
            return .setReplicas(replicas + 1, .grow(memberName(o, ordinal: replicas)))
        }
        guard let id = joining else { return .done }
        if let wait = leaderWait(o) { return .wait(wait) }
        let name = memberName(o, ordinal: id - 1)
        let missing = joinerChecks(o, id: id)
        if !missing.isEmpty { return .wait(.joinerNotSynced(name, missing: missing)) }
        // The joiner follows, so it serves the new configuration's quorum at once.
        let servingAfter = o.servingVoters.count + 1
        let quorumAfter = Self.quorum(committed.voters.count + 1)
        if servingAfter < quorumAfter { return .wait(.quorumWouldBreak(serving: servingAfter, quorum: quorumAfter)) }
        return .addMember(id: id, name: name, fromVersion: committed.version)
    }

    /// What member `id` still lacks to be added: a Ready pod, following the leader with its
    /// zxid (the leader's `srvr` is read first, so a caught-up member's is at least as high),
    /// and the leader counting a synced non-voting follower
    /// (`zk_synced_non_voting_followers`, `Leader.getNonVotingFollowers`).
    static func joinerChecks(_ o: EnsembleObservation, id: Int) -> [JoinerCheck] {
        let member = o.member(id: id)
        var missing: [JoinerCheck] = []
        if member?.pod == nil { missing.append(.pod) } else if member?.pod?.ready != true { missing.append(.ready) }
        if member?.serving != .follower { missing.append(.following) }
        let zxid = member?.zxid, leaderZxid = o.leader?.zxid
        if let zxid, let leaderZxid, zxid >= leaderZxid {} else {
            missing.append(.caughtUp(memberZxid: zxid, leaderZxid: leaderZxid))
        }
        if (o.leaderReport?.syncedNonVotingFollowers ?? 0) < 1 { missing.append(.syncedByLeader) }
        return missing
    }

    /// Nil when exactly one member leads.
    static func leaderWait(_ o: EnsembleObservation) -> ScalingWait? {
        let leaders = o.leaders
        if leaders.count == 1 { return nil }
        return leaders.isEmpty ? .noLeader : .multipleLeaders(leaders.map(\.name))
    }

    /// Votes a majority of `voters` needs (`QuorumMaj.containsQuorum`: more than half).
    public static func quorum(_ voters: Int) -> Int { voters / 2 + 1 }

    /// The pod name of `ordinal`: `<cluster>-<ordinal>`, the cluster name taken from any
    /// observed member (there is one whenever a committed configuration was read).
    static func memberName(_ o: EnsembleObservation, ordinal: Int) -> String {
        if let member = o.members.first(where: { $0.ordinal == ordinal }) { return member.name }
        guard let any = o.members.first else { return "\(ordinal)" }
        return String(any.name.dropLast("-\(any.ordinal)".count)) + "-\(ordinal)"
    }
}
