import Foundation

/// Plans a rolling restart, one member at a time, from one `EnsembleObservation`: the members
/// that do not serve first, then the followers (highest ordinal first), the leader last (made
/// an observer first, so leadership is handed off rather than elected), each step gated on the
/// member restarted before being back and in sync.
///
/// Pure: no I/O, no clock (the caller passes `now`). All rollout state is in the cluster: the
/// pods' revisions and the `RestartRecord` in the status, so a Keeper killed mid-rollout and
/// started again continues where it was and restarts no member twice.
public enum RolloutPlanner {
    /// The one rollout action for this reconcile.
    /// - Parameters:
    ///   - o: the ensemble as observed in this reconcile (after the last restart).
    ///   - record: the restart Keeper is waiting on, from the status.
    ///   - now: the current time, to judge `memberTimeout`.
    ///   - memberTimeout: how long a restarted member may take to be back before the rollout halts.
    public static func plan(_ o: EnsembleObservation, record: RestartRecord?, now: Date,
                            memberTimeout: TimeInterval) -> RolloutAction {
        // Rule 1: a record for the current update revision holds everything until its member is
        // back. A record for another revision (the spec changed since) is ignored: that is how
        // a fixed spec ends a halt.
        if let record, record.revision == o.updateRevision {
            let missing = missingChecks(o, record: record)
            if !missing.isEmpty {
                let wait = RolloutWait.restartedMemberNotBack(record.member, missing: missing)
                if let started = record.startedAtDate, now.timeIntervalSince(started) > memberTimeout {
                    return .halt(member: record.member, wait)
                }
                return .wait(wait)
            }
        }
        // Rule 8: a leader handed off (now an observer) is restarted before anything else, then
        // made a voter again once it is back.
        if let action = finishHandOff(o) { return action }
        // Rule 2.
        let outdated = o.members.compactMap { member in member.pod.flatMap { $0.upToDate ? nil : (member: member, pod: $0) } }
        guard let lastOutdated = outdated.last else { return .done }
        // Rule 3: one at a time.
        if let terminating = o.members.first(where: \.isTerminating) {
            return .wait(.memberTerminating(terminating.name))
        }
        let leaderZxid = o.leader?.zxid
        // Rule 4: outdated members that do not serve go first, highest ordinal first. Their
        // restart cannot lower the serving count, and it is how a bad revision gets fixed.
        if let broken = outdated.last(where: { !$0.member.serving.isServing }) {
            return .restart(RestartStep(member: broken.member.name, podUID: broken.pod.uid, role: .notServing,
                                        leaderZxid: leaderZxid))
        }
        // Rule 5: serving members need a single leader, the committed configuration, every
        // other serving voter in sync, and a quorum still serving after the restart.
        let leaders = o.leaders
        guard leaders.count == 1, let leader = leaders.first else {
            return .wait(leaders.isEmpty ? .noLeader : .multipleLeaders(leaders.map(\.name)))
        }
        guard let committed = o.committed else { return .wait(.noCommittedConfig) }
        guard let report = o.leaderReport else { return .wait(.noLeaderReport(leader: leader.name)) }
        let servingVoters = o.servingVoters
        if report.syncedVotingFollowers < servingVoters.count - 1 {
            return .wait(.followersNotInSync(synced: report.syncedVotingFollowers, of: servingVoters.count - 1))
        }
        // Followers first, highest ordinal first; the leader only when it is the last one.
        let (next, pod) = outdated.last { $0.member.serving != .leader } ?? lastOutdated
        let isLeader = next.ordinal == leader.ordinal
        let isServingVoter = committed.voters.contains(next.id)  // it serves: rule 4 took the others
        // Rule 6: a 1-voter ensemble restarts its only voter; the outage is unavoidable.
        if committed.voters.count == 1 && isServingVoter {
            return .restart(RestartStep(member: next.name, podUID: pod.uid, role: .onlyMember,
                                        leaderZxid: isLeader ? nil : leaderZxid))
        }
        // Rule 7: a serving member that is not a committed voter (a joiner) costs no vote.
        let servingAfter = servingVoters.count - (isServingVoter ? 1 : 0)
        // Rule 8: the leader hands off first (to an observer), so its restart costs no election.
        // The configuration without its vote must have a quorum serving (with two voters, the
        // other leads alone rather than both stopping).
        if isLeader && committed.voters.count >= 2 {
            let quorumAfter = (committed.voters.count - 1) / 2 + 1
            if servingAfter < quorumAfter { return .wait(.quorumWouldBreak(serving: servingVoters.count, quorum: committed.quorum)) }
            return .handOff(RoleChange(member: next.name, id: next.id, fromVersion: committed.version),
                            then: RestartStep(member: next.name, podUID: pod.uid, role: .handedOff, leaderZxid: leader.zxid))
        }
        if servingAfter < committed.quorum {
            return .wait(.quorumWouldBreak(serving: servingVoters.count, quorum: committed.quorum))
        }
        return .restart(RestartStep(member: next.name, podUID: pod.uid, role: isLeader ? .leader : .follower,
                                    leaderZxid: isLeader ? nil : leaderZxid))
    }

    /// Rule 8's second half: a committed observer with a pod the StatefulSet keeps is a leader
    /// handed off (Keeper makes no other observers). Outdated, it is restarted once another
    /// member leads (it has no vote to lose); on the update revision, it is made a voter again
    /// once it observes (or follows without a vote) in sync, caught up with the leader. Nil when
    /// there is none.
    static func finishHandOff(_ o: EnsembleObservation) -> RolloutAction? {
        guard let committed = o.committed, let member = handedOffMember(o), let pod = member.pod else { return nil }
        let leaders = o.leaders
        guard leaders.count == 1, let leader = leaders.first else {
            return .wait(leaders.isEmpty ? .noLeader : .multipleLeaders(leaders.map(\.name)))
        }
        if !pod.upToDate {
            if pod.terminating { return .wait(.memberTerminating(member.name)) }
            return .restart(RestartStep(member: member.name, podUID: pod.uid, role: .handedOff, leaderZxid: leader.zxid))
        }
        let caughtUp = member.zxid.map { zxid in leader.zxid.map { zxid >= $0 } ?? false } ?? false
        // A member that lost its volume starts from the seed plus itself as a participant and
        // follows without a vote instead of observing: as good a start for voting again.
        let synced = switch member.serving {
        case .observer: (o.leaderReport?.syncedObservers ?? 0) >= 1
        case .follower: (o.leaderReport?.syncedNonVotingFollowers ?? 0) >= 1
        default: false
        }
        guard caughtUp, synced else {
            return .wait(.handedOffMemberNotSynced(member.name))
        }
        return .rejoin(RoleChange(member: member.name, id: member.id, fromVersion: committed.version))
    }

    /// The leader handed off and not a voter again yet: a committed observer with a pod the
    /// StatefulSet keeps.
    public static func handedOffMember(_ o: EnsembleObservation) -> MemberObservation? {
        guard let committed = o.committed else { return nil }
        return o.members.first { committed.observers.contains($0.id) && $0.pod != nil && $0.ordinal < (o.statefulSetReplicas ?? 0) }
    }

    /// What the member of `record` still lacks to be back, from this observation (taken after
    /// the restart: the health seen just before it may lag). Empty when it is back.
    static func missingChecks(_ o: EnsembleObservation, record: RestartRecord) -> [BackCheck] {
        let member = o.member(named: record.member)
        var missing: [BackCheck] = []
        let pod = member?.pod
        if pod == nil || pod?.uid == record.podUID { missing.append(.newPod) }
        if pod?.upToDate != true { missing.append(.newRevision) }
        // A member handed off is back as the observer the committed configuration has it.
        let observes = member?.serving == .observer && member.map { o.committed?.observers.contains($0.id) == true } == true
        if member?.serving.isServing != true && !observes { missing.append(.serving) }
        if let leaderZxid = record.leaderZxid {
            let zxid = member?.zxid
            if zxid.map({ $0 < leaderZxid }) ?? true { missing.append(.caughtUp(memberZxid: zxid, leaderZxid: leaderZxid)) }
        }
        if !o.allVotersInSync {
            missing.append(.votersInSync(synced: o.leaderReport?.syncedVotingFollowers,
                                         of: o.committed.map { $0.voters.count - 1 }))
        }
        return missing
    }
}
