import Foundation
@testable import Keeper

/// Observations for planner tests: `Ensemble.stable(3, leader: 1)` is three members `zk-0..2`
/// on the update revision, all committed voters, `zk-1` leading, every follower in sync; the
/// modifiers change one thing each.
struct Ensemble {
    static let revision = "zk-rev2"
    static let zxid: Int64 = 0x1_0000_0010
    var o: EnsembleObservation

    /// `n` members, all voters, `leader` (an ordinal) leading; nil leader: no member leads.
    static func stable(_ n: Int, leader: Int?) -> Ensemble {
        let members = (0..<n).map { ordinal in
            MemberObservation(ordinal: ordinal, name: "zk-\(ordinal)", pod: PodObservation(uid: "zk-\(ordinal)-a", ready: true),
                              serving: ordinal == leader ? .leader : .follower, zxid: zxid)
        }
        var ensemble = Ensemble(o: EnsembleObservation(
            members: members, committed: CommittedMembership(version: 0x1_0000_0000, voters: Set(1...n)),
            statefulSetReplicas: n, updateRevision: revision))
        ensemble.resync()
        return ensemble
    }

    /// Sets the leader's report as `mntr` would: synced voting and non-voting followers.
    mutating func resync() {
        guard o.leader != nil else { o.leaderReport = nil; return }
        let voters = o.committed?.voters ?? []
        let following = o.members.filter { $0.serving == .follower }
        o.leaderReport = LeaderReport(syncedVotingFollowers: following.filter { voters.contains($0.id) }.count,
                                      syncedNonVotingFollowers: following.filter { !voters.contains($0.id) }.count,
                                      syncedObservers: o.members.filter { $0.serving == .observer }.count)
    }

    private func with(_ ordinal: Int, _ change: (inout MemberObservation) -> Void) -> Ensemble {
        var copy = self
        if let index = copy.o.members.firstIndex(where: { $0.ordinal == ordinal }) { change(&copy.o.members[index]) }
        return copy
    }

    func outdated(_ ordinals: Int...) -> Ensemble {
        ordinals.reduce(self) { e, ordinal in e.with(ordinal) { $0.pod?.upToDate = false } }
    }
    func allOutdated() -> Ensemble {
        var copy = self
        for index in copy.o.members.indices { copy.o.members[index].pod?.upToDate = false }
        return copy
    }
    /// Changes what `srvr` says; the leader's report follows.
    func serving(_ ordinal: Int, _ role: ServingRole) -> Ensemble {
        var copy = with(ordinal) { $0.serving = role }
        copy.resync()
        return copy
    }
    func terminating(_ ordinal: Int) -> Ensemble { with(ordinal) { $0.pod?.terminating = true } }
    func zxid(_ ordinal: Int, _ zxid: Int64?) -> Ensemble { with(ordinal) { $0.zxid = zxid } }
    func pod(_ ordinal: Int, uid: String, upToDate: Bool = true) -> Ensemble {
        with(ordinal) { $0.pod = PodObservation(uid: uid, ready: true, upToDate: upToDate) }
    }
    func withoutPod(_ ordinal: Int) -> Ensemble { with(ordinal) { $0.pod = nil; $0.serving = .unreachable; $0.zxid = nil } }
    func report(_ report: LeaderReport?) -> Ensemble { var copy = self; copy.o.leaderReport = report; return copy }
    func committed(_ committed: CommittedMembership?) -> Ensemble {
        var copy = self
        copy.o.committed = committed
        copy.resync()
        return copy
    }
    func voters(_ voters: Set<Int>) -> Ensemble {
        committed(CommittedMembership(version: (o.committed?.version ?? 0) + 1, voters: voters))
    }
    /// Member `ordinal` made an observer by a committed `reconfig` (a leader handed off), and
    /// `successor` (an ordinal) leading.
    func handedOff(_ ordinal: Int, to successor: Int) -> Ensemble {
        guard var committed = o.committed else { return self }
        committed.voters.remove(ordinal + 1)
        committed.observers.insert(ordinal + 1)
        committed.version += 1
        return self.committed(committed).serving(ordinal, .observer).serving(successor, .leader)
    }
    func replicas(_ replicas: Int?) -> Ensemble { var copy = self; copy.o.statefulSetReplicas = replicas; return copy }
    /// Adds member `ordinal` (not a committed voter) with a pod, following and caught up.
    func joiner(_ ordinal: Int, serving: ServingRole = .follower, ready: Bool = true) -> Ensemble {
        var copy = self
        copy.o.members.append(MemberObservation(ordinal: ordinal, name: "zk-\(ordinal)",
                                                pod: PodObservation(uid: "zk-\(ordinal)-a", ready: ready),
                                                serving: serving, zxid: serving.isServing ? o.leader?.zxid : nil))
        copy.o = EnsembleObservation(members: copy.o.members, committed: copy.o.committed, leaderReport: copy.o.leaderReport,
                                     statefulSetReplicas: copy.o.statefulSetReplicas, updateRevision: copy.o.updateRevision)
        copy.resync()
        return copy
    }
}
