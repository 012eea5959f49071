import Foundation
import Testing
@testable import Keeper

@Suite struct ScalingPlannerTests {
    func plan(_ e: Ensemble, _ d: Int) -> ScalingAction { ScalingPlanner.plan(e.o, desiredReplicas: d) }
    var version: Int64 { Ensemble.stable(1, leader: 0).o.committed?.version ?? -1 }

    @Test func preconditions() {
        #expect(plan(.stable(3, leader: 1), 0) == .wait(.invalidReplicas(0)))
        #expect(plan(Ensemble.stable(3, leader: 1).committed(nil), 5) == .wait(.noCommittedConfig))
        #expect(plan(Ensemble.stable(3, leader: 1).replicas(nil), 5) == .wait(.noStatefulSet))
    }

    @Test func theDesiredVotersAndPodsAreDone() {
        #expect(plan(.stable(3, leader: 1), 3) == .done)
        #expect(plan(.stable(1, leader: 0), 1) == .done)
    }

    // MARK: Scale down

    @Test func theHighestVoterAboveTheDesiredSizeIsRemovedFirst() {
        #expect(plan(.stable(5, leader: 0), 3) == .removeMember(id: 5, name: "zk-4", fromVersion: version))
        // The leader too: ZooKeeper hands leadership off.
        #expect(plan(.stable(5, leader: 4), 3) == .removeMember(id: 5, name: "zk-4", fromVersion: version))
        // A voter that does not serve can be removed.
        #expect(plan(Ensemble.stable(5, leader: 0).serving(4, .unreachable), 3) == .removeMember(id: 5, name: "zk-4", fromVersion: version))
    }

    @Test func removingNeedsASingleLeader() {
        #expect(plan(.stable(5, leader: nil), 3) == .wait(.noLeader))
        #expect(plan(Ensemble.stable(5, leader: 0).serving(3, .leader), 3) == .wait(.multipleLeaders(["zk-0", "zk-3"])))
    }

    @Test func removingMustLeaveAQuorumOfTheNewVotersServing() {
        // 5 → 4 voters: quorum 3; zk-1 and zk-2 are down, so zk-0 and zk-3 alone would serve.
        let e = Ensemble.stable(5, leader: 0).serving(1, .unreachable).serving(2, .unreachable)
        #expect(plan(e, 3) == .wait(.quorumWouldBreak(serving: 2, quorum: 3)))
    }

    @Test func removingNeedsAQuorumOfTheCurrentVotersServing() {
        // 4 → 3 voters: the new voters {1, 2, 3} have 2 serving (a quorum of 3), but the
        // current 4 need 3 to commit the change.
        let e = Ensemble.stable(4, leader: 0).serving(2, .unreachable).serving(3, .unreachable)
        #expect(plan(e, 3) == .wait(.quorumWouldBreak(serving: 2, quorum: 3)))
    }

    @Test func aPodNoLongerWantedIsStoppedOneAtATime() {
        // zk-4 was removed from the voters: its pod goes next.
        let removed = Ensemble.stable(5, leader: 0).voters([1, 2, 3, 4])
        #expect(plan(removed, 3) == .setReplicas(4, .shrink("zk-4")))
        // It is still terminating: nothing else happens, not even the next removal.
        #expect(plan(removed.replicas(4).terminating(4), 3) == .wait(.podLeaving("zk-4")))
        // Gone: the next voter is removed.
        var gone = removed.replicas(4)
        gone.o.members.removeAll { $0.ordinal == 4 }
        #expect(plan(gone, 3) == .removeMember(id: 4, name: "zk-3", fromVersion: version + 1))
    }

    @Test func anObserverIsNotStopped() {
        let e = Ensemble.stable(3, leader: 0).joiner(3, serving: .observer).replicas(4)
            .committed(CommittedMembership(version: 9, voters: [1, 2, 3], observers: [4]))
        #expect(plan(e, 3) == .wait(.observerInTheWay("zk-3")))
    }

    @Test func aJoinerNoLongerWantedIsStopped() {
        #expect(plan(Ensemble.stable(3, leader: 0).joiner(3).replicas(4), 3) == .setReplicas(3, .shrink("zk-3")))
    }

    // MARK: Scale up

    @Test func theStatefulSetGrowsByOneForTheLowestMissingVoter() {
        #expect(plan(.stable(3, leader: 1), 5) == .setReplicas(4, .grow("zk-3")))
        #expect(plan(.stable(1, leader: 0), 3) == .setReplicas(2, .grow("zk-1")))
    }

    @Test func aVoterWithoutPodGetsItBackFirst() {
        // The StatefulSet was scaled down behind Keeper's back.
        let e = Ensemble.stable(3, leader: 0).withoutPod(2).replicas(2)
        #expect(plan(e, 3) == .setReplicas(3, .grow("zk-2")))
    }

    @Test func aSyncedJoinerIsAdded() {
        let e = Ensemble.stable(3, leader: 1).joiner(3).replicas(4)
        #expect(plan(e, 5) == .addMember(id: 4, name: "zk-3", fromVersion: version))
    }

    @Test func aJoinerNotSyncedWaits() {
        let starting = Ensemble.stable(3, leader: 1).joiner(3, serving: .unreachable, ready: false).replicas(4)
        #expect(plan(starting, 5) == .wait(.joinerNotSynced("zk-3", missing: [
            .ready, .following, .caughtUp(memberZxid: nil, leaderZxid: Ensemble.zxid), .syncedByLeader,
        ])))
        let noPod = Ensemble.stable(3, leader: 1).replicas(4)
        #expect(plan(noPod, 5) == .wait(.joinerNotSynced("zk-3", missing: [
            .pod, .following, .caughtUp(memberZxid: nil, leaderZxid: Ensemble.zxid), .syncedByLeader,
        ])))
        let behind = Ensemble.stable(3, leader: 1).joiner(3).replicas(4).zxid(3, Ensemble.zxid - 1)
        #expect(plan(behind, 5) == .wait(.joinerNotSynced("zk-3", missing: [
            .caughtUp(memberZxid: Ensemble.zxid - 1, leaderZxid: Ensemble.zxid),
        ])))
        let unsynced = Ensemble.stable(3, leader: 1).joiner(3).replicas(4).report(LeaderReport(syncedVotingFollowers: 2))
        #expect(plan(unsynced, 5) == .wait(.joinerNotSynced("zk-3", missing: [.syncedByLeader])))
        let observing = Ensemble.stable(3, leader: 1).joiner(3, serving: .observer).replicas(4)
        #expect(plan(observing, 5) == .wait(.joinerNotSynced("zk-3", missing: [
            .following, .caughtUp(memberZxid: nil, leaderZxid: Ensemble.zxid), .syncedByLeader,
        ])))
    }

    @Test func addingNeedsALeaderAndAQuorumOfTheNewVoters() {
        let e = Ensemble.stable(3, leader: 1).joiner(3).replicas(4)
        #expect(plan(e.serving(1, .follower), 5) == .wait(.noLeader))
        // Not every voter needs to serve: zk-0 is down, zk-1, zk-2 and zk-3 make 3 of 4.
        #expect(plan(e.serving(0, .unreachable), 5) == .addMember(id: 4, name: "zk-3", fromVersion: version))
        #expect(plan(e.serving(0, .unreachable).serving(2, .unreachable), 5) == .wait(.quorumWouldBreak(serving: 2, quorum: 3)))
    }

    @Test func aGapInTheVotersIsFilledFirst() {
        let e = Ensemble.stable(4, leader: 0).voters([1, 2, 4])
        #expect(plan(e, 4) == .addMember(id: 3, name: "zk-2", fromVersion: version + 1))
    }

    @Test func namesFollowTheCluster() {
        var e = Ensemble.stable(2, leader: 0)
        for i in e.o.members.indices { e.o.members[i].name = "my-zk-\(i)" }
        #expect(plan(e, 3) == .setReplicas(3, .grow("my-zk-2")))
    }

    // MARK: Sequences

    /// 3 → 5 → 3 → 1 → 3, each action carried out and observed right after (nothing more
    /// may happen) and once settled: the voters are the desired ones at each stable point,
    /// adding costs no election, removing a leader one hand-off.
    @Test func threeFiveThreeOneThree() {
        var sim = EnsembleSimulator(.stable(3, leader: 1))
        for (d, addedIDs, removedIDs, elections) in [(5, [4, 5], [Int](), 0), (3, [], [5, 4], 0), (1, [], [3, 2], 1), (3, [2, 3], [], 1)] {
            sim.added = []
            sim.removed = []
            var steps = 0
            while steps < 30 {
                let action = ScalingPlanner.plan(sim.o, desiredReplicas: d)
                if action == .done { break }
                if case .wait = action { Issue.record("\(d): unexpected \(action)"); return }
                sim.apply(action)
                if case .setReplicas = action {
                    let during = ScalingPlanner.plan(sim.o, desiredReplicas: d)
                    guard case .wait = during else { Issue.record("\(d): \(during) while \(action) is under way"); return }
                }
                sim.settle()
                steps += 1
            }
            #expect(sim.o.committed?.voters == Set(1...d))
            #expect(sim.o.statefulSetReplicas == d)
            #expect(sim.o.members.map(\.name) == (0..<d).map { "zk-\($0)" })
            #expect(sim.o.members.allSatisfy { $0.serving.isServing })
            #expect(sim.added == addedIDs)
            #expect(sim.removed == removedIDs)
            #expect(sim.elections == elections)
            // One grow/shrink and one reconfig per member.
            #expect(steps == 2 * (addedIDs.count + removedIDs.count))
        }
    }

    /// Keeper killed between the `reconfig -add` and its next reconcile: the joiner is a voter
    /// already, so the next member is started, not the same one added again.
    @Test func anInterruptedAddIsNotRepeated() {
        let e = Ensemble.stable(3, leader: 1).joiner(3).replicas(4)
        var sim = EnsembleSimulator(e)
        sim.apply(ScalingPlanner.plan(sim.o, desiredReplicas: 5))
        #expect(sim.added == [4])
        #expect(ScalingPlanner.plan(sim.o, desiredReplicas: 5) == .setReplicas(5, .grow("zk-4")))
    }
}

@Suite struct PodDisruptionBudgetPolicyTests {
    @Test func maxUnavailableFollowsTheVoters() {
        #expect([1, 2, 3, 4, 5, 6, 7, 9].map { PodDisruptionBudgetPolicy.maxUnavailable(voters: $0) } == [1, 1, 1, 1, 1, 1, 2, 3])
    }
}
