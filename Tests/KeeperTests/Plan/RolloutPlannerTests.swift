import Foundation
import Testing
@testable import Keeper

@Suite struct RolloutPlannerTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let timeout: TimeInterval = 300
    /// What a member on its new pod still lacks while `srvr` says it does not serve.
    let notServing: [BackCheck] = [.serving, .votersInSync(synced: 1, of: 2)]

    func plan(_ e: Ensemble, record: RestartRecord? = nil, now: Date? = nil) -> RolloutAction {
        RolloutPlanner.plan(e.o, record: record, now: now ?? self.now, memberTimeout: timeout)
    }

    /// A record for `zk-2` restarted `ago` seconds before `now`, from pod `zk-2-a`.
    func record(_ member: String = "zk-2", uid: String = "zk-2-a", revision: String? = Ensemble.revision,
                leaderZxid: Int64? = Ensemble.zxid, ago: TimeInterval = 10) -> RestartRecord {
        RestartRecord(step: RestartStep(member: member, podUID: uid, role: .follower, leaderZxid: leaderZxid),
                      revision: revision, startedAt: now - ago)
    }

    func restarted(_ action: RolloutAction) -> RestartStep? {
        if case .restart(let step) = action { step } else { nil }
    }

    // MARK: Rule 2

    @Test func nothingOutdatedIsDone() {
        #expect(plan(.stable(3, leader: 1)) == .done)
    }

    @Test func aMemberWithoutPodIsNotOutdated() {
        #expect(plan(Ensemble.stable(3, leader: 1).withoutPod(0)) == .done)
    }

    // MARK: Rule 1: the restarted member must be back

    @Test func theOldPodIsNotBack() {
        let e = Ensemble.stable(3, leader: 1).outdated(0, 1, 2)
        #expect(plan(e, record: record()) == .wait(.restartedMemberNotBack("zk-2", missing: [.newPod, .newRevision])))
    }

    @Test func aNewPodOnAnOldRevisionIsNotBack() {
        let e = Ensemble.stable(3, leader: 1).outdated(0, 1).pod(2, uid: "zk-2-b", upToDate: false)
        #expect(plan(e, record: record()) == .wait(.restartedMemberNotBack("zk-2", missing: [.newRevision])))
    }

    @Test func aNewPodNotServingIsNotBack() {
        let e = Ensemble.stable(3, leader: 1).outdated(0, 1).pod(2, uid: "zk-2-b").serving(2, .notServing)
        #expect(plan(e, record: record()) == .wait(.restartedMemberNotBack("zk-2", missing: notServing)))
    }

    @Test func aMemberBehindTheLeaderZxidSampledBeforeIsNotBack() {
        let e = Ensemble.stable(3, leader: 1).outdated(0, 1).pod(2, uid: "zk-2-b").zxid(2, Ensemble.zxid - 1)
        #expect(plan(e, record: record()) ==
            .wait(.restartedMemberNotBack("zk-2", missing: [.caughtUp(memberZxid: Ensemble.zxid - 1, leaderZxid: Ensemble.zxid)])))
    }

    @Test func withoutALeaderZxidInTheRecordTheZxidIsNotCompared() {
        let e = Ensemble.stable(3, leader: 1).outdated(0, 1).pod(2, uid: "zk-2-b").zxid(2, 1)
        #expect(restarted(plan(e, record: record(leaderZxid: nil)))?.member == "zk-0")
    }

    @Test func votersNotAllInSyncIsNotBack() {
        let e = Ensemble.stable(3, leader: 1).outdated(0, 1).pod(2, uid: "zk-2-b")
            .report(LeaderReport(syncedVotingFollowers: 1))
        #expect(plan(e, record: record()) == .wait(.restartedMemberNotBack("zk-2", missing: [.votersInSync(synced: 1, of: 2)])))
    }

    @Test func backPlansOn() {
        let e = Ensemble.stable(3, leader: 1).outdated(0, 1).pod(2, uid: "zk-2-b")
        #expect(plan(e, record: record()) ==
            .restart(RestartStep(member: "zk-0", podUID: "zk-0-a", role: .follower, leaderZxid: Ensemble.zxid)))
    }

    @Test func backAndNothingOutdatedIsDone() {
        #expect(plan(Ensemble.stable(3, leader: 1).pod(2, uid: "zk-2-b"), record: record()) == .done)
    }

    @Test func notBackWithinTheTimeoutHalts() {
        let e = Ensemble.stable(3, leader: 1).outdated(0, 1).pod(2, uid: "zk-2-b").serving(2, .notServing)
        let wait = RolloutWait.restartedMemberNotBack("zk-2", missing: notServing)
        #expect(plan(e, record: record(ago: timeout)) == .wait(wait))
        #expect(plan(e, record: record(ago: timeout + 1)) == .halt(member: "zk-2", wait))
    }

    @Test func anUnreadableStartTimeWaitsWithoutHalting() {
        let e = Ensemble.stable(3, leader: 1).outdated(0, 1).pod(2, uid: "zk-2-b").serving(2, .notServing)
        var r = record(ago: 3600)
        r.startedAt = "yesterday"
        #expect(plan(e, record: r) == .wait(.restartedMemberNotBack("zk-2", missing: notServing)))
    }

    @Test func startTimesParseWithFractionalSeconds() throws {
        var r = record()
        r.startedAt = "2023-11-14T22:13:10.250Z"
        let date = try #require(r.startedAtDate)
        #expect(date.timeIntervalSince1970 == 1_699_999_990.25)
        #expect(record().startedAt == "2023-11-14T22:13:10Z")
    }

    /// The spec changed since the restart: the halt ends and the broken member (not serving)
    /// is restarted onto the new revision first.
    @Test func aRecordForAnotherRevisionIsIgnored() {
        let e = Ensemble.stable(3, leader: 1).allOutdated().pod(2, uid: "zk-2-b", upToDate: false).serving(2, .notServing)
        #expect(plan(e, record: record(revision: "zk-rev1", ago: 3600)) ==
            .restart(RestartStep(member: "zk-2", podUID: "zk-2-b", role: .notServing, leaderZxid: Ensemble.zxid)))
    }

    @Test func theRecordIsKeptOnlyWhileTheMemberIsNotBack() {
        let notBack = RolloutWait.restartedMemberNotBack("zk-2", missing: [.serving])
        #expect(RolloutAction.wait(notBack).keepsRecord)
        #expect(RolloutAction.halt(member: "zk-2", notBack).keepsRecord)
        #expect(!RolloutAction.done.keepsRecord)
        #expect(!RolloutAction.wait(.noLeader).keepsRecord)
        #expect(!RolloutAction.restart(RestartStep(member: "zk-0", podUID: "u", role: .follower, leaderZxid: nil)).keepsRecord)
    }

    // MARK: Rule 3: one at a time

    @Test func aTerminatingMemberWaits() {
        let e = Ensemble.stable(3, leader: 1).outdated(0, 2).terminating(1)
        #expect(plan(e) == .wait(.memberTerminating("zk-1")))
        // Even an outdated member that does not serve waits for it.
        #expect(plan(e.serving(2, .notServing)) == .wait(.memberTerminating("zk-1")))
    }

    // MARK: Rule 4: members that do not serve first

    @Test func outdatedMembersNotServingGoFirstHighestOrdinalFirst() {
        let e = Ensemble.stable(5, leader: 4).allOutdated().serving(1, .notServing).serving(2, .unreachable)
        #expect(plan(e) == .restart(RestartStep(member: "zk-2", podUID: "zk-2-a", role: .notServing, leaderZxid: Ensemble.zxid)))
    }

    @Test func aMemberNotServingIsRestartedWithoutLeaderOrQuorum() {
        let e = Ensemble.stable(3, leader: nil).allOutdated().serving(0, .notServing).serving(1, .notServing)
            .serving(2, .notServing).committed(nil)
        #expect(plan(e) == .restart(RestartStep(member: "zk-2", podUID: "zk-2-a", role: .notServing, leaderZxid: nil)))
    }

    // MARK: Rule 5: serving members

    @Test func servingMembersNeedALeader() {
        let e = Ensemble.stable(3, leader: nil).allOutdated()
        #expect(plan(e) == .wait(.noLeader))
        #expect(plan(e.serving(0, .leader).serving(2, .leader)) == .wait(.multipleLeaders(["zk-0", "zk-2"])))
    }

    @Test func servingMembersNeedTheCommittedConfigAndTheLeaderReport() {
        let e = Ensemble.stable(3, leader: 1).allOutdated()
        #expect(plan(e.committed(nil)) == .wait(.noCommittedConfig))
        #expect(plan(e.report(nil)) == .wait(.noLeaderReport(leader: "zk-1")))
    }

    @Test func everyOtherServingVoterMustBeInSync() {
        let e = Ensemble.stable(5, leader: 0).allOutdated()
        #expect(plan(e.report(LeaderReport(syncedVotingFollowers: 3))) == .wait(.followersNotInSync(synced: 3, of: 4)))
        // A voter that does not serve (and is up to date) is not waited for.
        let down = Ensemble.stable(5, leader: 0).outdated(0, 1, 2, 3).serving(4, .unreachable)
        #expect(restarted(plan(down))?.member == "zk-3")
    }

    @Test func aRestartMustLeaveAQuorumServing() {
        let e = Ensemble.stable(3, leader: 1).outdated(0, 1).serving(2, .unreachable)
        #expect(plan(e) == .wait(.quorumWouldBreak(serving: 2, quorum: 2)))
        let five = Ensemble.stable(5, leader: 1).outdated(0, 1, 2).serving(3, .unreachable)
        #expect(restarted(plan(five))?.member == "zk-2")
        #expect(plan(five.serving(4, .unreachable)) == .wait(.quorumWouldBreak(serving: 3, quorum: 3)))
    }

    @Test func followersGoBeforeTheLeaderWhichHandsOffFirst() {
        let e = Ensemble.stable(3, leader: 2).outdated(0, 2)
        #expect(plan(e) == .restart(RestartStep(member: "zk-0", podUID: "zk-0-a", role: .follower, leaderZxid: Ensemble.zxid)))
        // The restart that follows the reconfig at once: the observer has no vote to lose.
        #expect(plan(Ensemble.stable(3, leader: 2).outdated(2)) == .handOff(RoleChange(member: "zk-2", id: 3, fromVersion: 0x1_0000_0000),
                                                                          then: RestartStep(member: "zk-2", podUID: "zk-2-a", role: .handedOff, leaderZxid: Ensemble.zxid)))
        // Two voters: the one left leads alone (a quorum of one) instead of both stopping.
        #expect(plan(Ensemble.stable(2, leader: 1).outdated(1)) == .handOff(RoleChange(member: "zk-1", id: 2, fromVersion: 0x1_0000_0000),
                                                                          then: RestartStep(member: "zk-1", podUID: "zk-1-a", role: .handedOff, leaderZxid: Ensemble.zxid)))
    }

    // MARK: Rule 8: the leader's hand-off

    @Test func theHandOffNeedsAQuorumOfTheVotersLeft() {
        // zk-0 is down: without zk-2's vote, zk-1 alone is not a quorum of {1, 2}.
        let e = Ensemble.stable(3, leader: 2).outdated(2).serving(0, .unreachable)
        #expect(plan(e) == .wait(.quorumWouldBreak(serving: 2, quorum: 2)))
    }

    @Test func theLeaderHandedOffIsRestartedOnceAnotherMemberLeads() {
        let handedOff = Ensemble.stable(3, leader: 2).outdated(2).handedOff(2, to: 1)
        #expect(plan(handedOff) == .restart(RestartStep(member: "zk-2", podUID: "zk-2-a", role: .handedOff, leaderZxid: Ensemble.zxid)))
        // Before ZooKeeper has a new leader: wait.
        #expect(plan(handedOff.serving(1, .follower)) == .wait(.noLeader))
        #expect(plan(handedOff.terminating(2)) == .wait(.memberTerminating("zk-2")))
    }

    @Test func theLeaderHandedOffIsBackAsAnObserverThenVotesAgain() {
        let back = Ensemble.stable(3, leader: 2).handedOff(2, to: 1).pod(2, uid: "zk-2-b").serving(2, .observer)
        let record = record(leaderZxid: Ensemble.zxid)
        // Back: serving as the observer the committed configuration has it, caught up.
        #expect(RolloutPlanner.missingChecks(back.o, record: record) == [])
        let rejoin = plan(back, record: record)
        #expect(rejoin == .rejoin(RoleChange(member: "zk-2", id: 3, fromVersion: 0x1_0000_0001)))
        #expect(rejoin.keepsRecord)
        // Not in sync yet (the leader counts no synced observer, or it is behind): wait.
        let unsynced = back.report(LeaderReport(syncedVotingFollowers: 1))
        #expect(plan(unsynced, record: record) == .wait(.handedOffMemberNotSynced("zk-2")))
        #expect(plan(back.zxid(2, Ensemble.zxid - 1)) == .wait(.handedOffMemberNotSynced("zk-2")))
        #expect(plan(unsynced).keepsRecord)
        // Back without its volume, it follows without a vote instead of observing: as good.
        let following = back.serving(2, .follower)
        #expect(following.o.leaderReport?.syncedNonVotingFollowers == 1)
        #expect(plan(following, record: record) == .rejoin(RoleChange(member: "zk-2", id: 3, fromVersion: 0x1_0000_0001)))
    }

    @Test func anObserverTheStatefulSetNoLongerKeepsIsNotAHandOff() {
        let e = Ensemble.stable(3, leader: 2).handedOff(2, to: 1).replicas(2)
        #expect(RolloutPlanner.handedOffMember(e.o) == nil)
        #expect(plan(e) == .done)
    }

    /// Five members with zk-1 leading restart zk-4, zk-3, zk-2, zk-0, then zk-1 as soon as it
    /// has handed leadership off: one change of leader, and zk-1 votes again at the end.
    @Test func fiveMembersRollInOrderWithOneElection() {
        var sim = EnsembleSimulator(Ensemble.stable(5, leader: 1).allOutdated())
        var actions: [String] = []
        for _ in 0..<20 {
            let action = RolloutPlanner.plan(sim.o, record: sim.record, now: sim.now, memberTimeout: timeout)
            if action == .done { break }
            sim.apply(action)
            switch action {
            case .restart(let step):
                actions.append("restart \(step.member)")
                // Right after the restart, the member is not back: nothing else may happen.
                let during = RolloutPlanner.plan(sim.o, record: sim.record, now: sim.now, memberTimeout: timeout)
                #expect(during.keepsRecord, "\(during)")
                sim.settle()
            case .handOff(let change, then: let step):
                actions.append("hand off and restart \(change.member)")
                #expect(step.member == change.member)
                let during = RolloutPlanner.plan(sim.o, record: sim.record, now: sim.now, memberTimeout: timeout)
                #expect(during.keepsRecord, "\(during)")
                sim.settle()
            case .rejoin(let change): actions.append("rejoin \(change.member)")
            default: Issue.record("expected a step, got \(action)"); return
            }
        }
        #expect(actions == ["restart zk-4", "restart zk-3", "restart zk-2", "restart zk-0", "hand off and restart zk-1", "rejoin zk-1"])
        #expect(sim.elections == 1)
        #expect(sim.o.members.allSatisfy { !$0.isOutdated })
        #expect(sim.o.committed?.voters == [1, 2, 3, 4, 5])
        #expect(sim.o.committed?.observers == [])
    }

    /// A revision that cannot start halts after the first member; a fixed spec restarts that
    /// member first and completes.
    @Test func aBadRevisionHaltsAndAFixResumes() {
        var sim = EnsembleSimulator(Ensemble.stable(3, leader: 1).allOutdated())
        let first = RolloutPlanner.plan(sim.o, record: sim.record, now: sim.now, memberTimeout: timeout)
        #expect(restarted(first)?.member == "zk-2")
        sim.apply(first)
        sim.ensemble = sim.ensemble.serving(2, .notServing)  // it crashes on the bad revision
        sim.now += timeout + 1
        let halted = RolloutPlanner.plan(sim.o, record: sim.record, now: sim.now, memberTimeout: timeout)
        #expect(halted == .halt(member: "zk-2", .restartedMemberNotBack("zk-2", missing: [
            .serving, .caughtUp(memberZxid: nil, leaderZxid: Ensemble.zxid), .votersInSync(synced: 1, of: 2),
        ])))
        // The spec is fixed: a new update revision, every pod outdated again.
        sim.ensemble = sim.ensemble.allOutdated()
        sim.ensemble.o.updateRevision = "zk-rev3"
        let fix = RolloutPlanner.plan(sim.o, record: sim.record, now: sim.now, memberTimeout: timeout)
        #expect(fix == .restart(RestartStep(member: "zk-2", podUID: sim.o.member(named: "zk-2")?.pod?.uid ?? "", role: .notServing,
                                            leaderZxid: Ensemble.zxid)))
    }

    /// Keeper killed right after an eviction: the record in the status stops it from
    /// restarting another member (or the same one again) before the first is back.
    @Test func aRestartedKeeperDoesNotRestartTwice() {
        var sim = EnsembleSimulator(Ensemble.stable(3, leader: 1).allOutdated())
        sim.apply(RolloutPlanner.plan(sim.o, record: sim.record, now: sim.now, memberTimeout: timeout))
        let record = sim.record
        #expect(record?.member == "zk-2")
        for _ in 0..<3 {
            #expect(RolloutPlanner.plan(sim.o, record: record, now: sim.now, memberTimeout: timeout).keepsRecord)
        }
    }

    // MARK: Rule 6: one voter

    @Test func theOnlyMemberIsRestartedAndTheOutageSaidUnavoidable() {
        let action = plan(Ensemble.stable(1, leader: 0).allOutdated())
        #expect(action == .restart(RestartStep(member: "zk-0", podUID: "zk-0-a", role: .onlyMember, leaderZxid: nil)))
        #expect(action.message.contains("unavoidable"))
    }

    // MARK: Rule 7: joiners are not voters

    @Test func aServingJoinerIsNotAVoter() {
        // zk-0 (a voter) is down: zk-1 and zk-2 are exactly a quorum, but zk-3 has no vote.
        let e = Ensemble.stable(3, leader: 1).joiner(3).serving(0, .unreachable).outdated(3)
        #expect(e.o.leaderReport == LeaderReport(syncedVotingFollowers: 1, syncedNonVotingFollowers: 1))
        #expect(plan(e) == .restart(RestartStep(member: "zk-3", podUID: "zk-3-a", role: .follower, leaderZxid: Ensemble.zxid)))
    }
}
