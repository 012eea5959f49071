import Foundation
import Testing
@testable import Keeper

@Suite struct EnsemblePlannerTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func plan(_ e: Ensemble, _ d: Int, record: RestartRecord? = nil, valid: Bool = true) -> EnsembleAction {
        EnsemblePlanner.plan(e.o, desiredReplicas: d, record: record, now: now, memberTimeout: 300, specIsValid: valid)
    }

    /// zk-2 restarted from pod zk-2-a and not back yet (the pod is the old one).
    var pending: RestartRecord {
        RestartRecord(member: "zk-2", podUID: "zk-2-a", revision: Ensemble.revision, leaderZxid: Ensemble.zxid,
                      startedAt: "2023-11-14T22:13:00Z")
    }
    let notBack = RolloutAction.wait(.restartedMemberNotBack("zk-2", missing: [.newPod, .newRevision]))

    @Test func convergedIsIdle() {
        #expect(plan(.stable(3, leader: 1), 3) == .idle(.converged))
    }

    @Test func anInvalidSpecStartsNothingButReportsAPendingRestart() {
        let e = Ensemble.stable(3, leader: 1).allOutdated()
        #expect(plan(e, 5, valid: false) == .idle(.invalidSpec))
        #expect(plan(e, 5, record: pending, valid: false) == .rollout(notBack))
        #expect(plan(e, 5, record: pending, valid: false).keepsRecord)
    }

    @Test func aRestartInFlightComesBeforeScaling() {
        let e = Ensemble.stable(5, leader: 1).allOutdated()
        #expect(plan(e, 3, record: pending) == .rollout(notBack))
    }

    @Test func aScalingStepInFlightComesBeforeARollout() {
        // A joiner's pod runs while 5 are desired.
        let growing = Ensemble.stable(3, leader: 1).joiner(3).replicas(4).outdated(0, 1, 2)
        #expect(plan(growing, 5) == .scale(.addMember(id: 4, name: "zk-3", fromVersion: 0x1_0000_0000)))
        // A voter above the desired size.
        let shrinking = Ensemble.stable(5, leader: 1).allOutdated()
        #expect(plan(shrinking, 3) == .scale(.removeMember(id: 5, name: "zk-4", fromVersion: 0x1_0000_0000)))
        // A StatefulSet larger than the desired size.
        let removed = Ensemble.stable(4, leader: 1).voters([1, 2, 3]).allOutdated()
        #expect(plan(removed, 3) == .scale(.setReplicas(3, .shrink("zk-3"))))
    }

    /// The leader made an observer looks like a member to add; the rollout restarts it and
    /// makes it a voter again, even while the spec is invalid.
    @Test func aHandOffInFlightComesBeforeScaling() {
        let e = Ensemble.stable(3, leader: 2).outdated(2).handedOff(2, to: 1)
        let restart = EnsembleAction.rollout(.restart(RestartStep(member: "zk-2", podUID: "zk-2-a", role: .handedOff, leaderZxid: Ensemble.zxid)))
        #expect(plan(e, 3) == restart)
        #expect(plan(e, 5) == restart)
        #expect(plan(e, 3, valid: false) == restart)
    }

    @Test func outdatedMembersRollBeforeAResizeStarts() {
        let e = Ensemble.stable(3, leader: 1).outdated(0)
        #expect(plan(e, 5) == .rollout(.restart(RestartStep(member: "zk-0", podUID: "zk-0-a", role: .follower, leaderZxid: Ensemble.zxid))))
        #expect(plan(.stable(3, leader: 1), 5) == .scale(.setReplicas(4, .grow("zk-3"))))
    }

    /// The joiner crashes on a bad revision and the spec was fixed: the resize waits on it, so
    /// restarting it onto the new revision goes first.
    @Test func aBrokenMemberBlockingAResizeIsRestarted() {
        let e = Ensemble.stable(3, leader: 1).joiner(3, serving: .notServing).replicas(4).outdated(3)
        #expect(ScalingPlanner.plan(e.o, desiredReplicas: 5) == .wait(.joinerNotSynced("zk-3", missing: [
            .following, .caughtUp(memberZxid: nil, leaderZxid: Ensemble.zxid), .syncedByLeader,
        ])))
        #expect(plan(e, 5) == .rollout(.restart(RestartStep(member: "zk-3", podUID: "zk-3-a", role: .notServing,
                                                             leaderZxid: Ensemble.zxid))))
        // A resize that waits on something a restart cannot fix keeps waiting.
        let noLeader = Ensemble.stable(3, leader: nil).joiner(3).replicas(4).outdated(0)
        #expect(plan(noLeader, 5) == .scale(.wait(.noLeader)))
    }

    /// Outdated members and a resize together: the rollout finishes, then the resize runs;
    /// never both in one reconcile.
    @Test func aRolloutThenAResize() {
        var sim = EnsembleSimulator(Ensemble.stable(3, leader: 1).allOutdated())
        var kinds: [String] = []
        for _ in 0..<40 {
            let action = EnsemblePlanner.plan(sim.o, desiredReplicas: 5, record: sim.record, now: sim.now, memberTimeout: 300,
                                              specIsValid: true)
            switch action {
            case .idle(.converged): break
            case .rollout(let rollout):
                switch rollout {
                case .restart, .handOff: kinds.append("restart")
                default: break
                }
                sim.apply(rollout)
            case .scale(let scaling):
                sim.record = nil
                if case .wait = scaling {} else { kinds.append("scale") }
                sim.apply(scaling)
            case .idle: Issue.record("unexpected \(action)")
            }
            if action == .idle(.converged) { break }
            sim.settle()
        }
        #expect(kinds == ["restart", "restart", "restart", "scale", "scale", "scale", "scale"])
        #expect(sim.o.committed?.voters == [1, 2, 3, 4, 5])
    }
}
