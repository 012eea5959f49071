import Foundation
import Testing
@testable import Controller

@Suite struct LeaderElectionStateTests {
    let t0 = ContinuousClock.now
    let wall = Date(timeIntervalSince1970: 1_800_000_000.25)

    func held(by holder: String, transitions: Int = 0, renew: String = "r1") -> LeaseRecord {
        LeaseRecord(holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: "a", renewTime: renew, leaseTransitions: transitions)
    }

    @Test func createsAMissingLeaseAndLeadsOnSuccess() {
        var state = LeaderElectionState(identity: "me")
        guard case .create(let record) = state.decide(current: nil, now: t0, wallNow: wall) else {
            Issue.record("expected create"); return
        }
        #expect(record.holderIdentity == "me")
        #expect(record.leaseDurationSeconds == 15)
        #expect(record.leaseTransitions == 0)
        #expect(record.renewTime == "2027-01-15T08:00:00.250000Z")
        #expect(!state.isLeader)
        let started = state.writeSucceeded(record, now: t0)
        #expect(started)
        #expect(state.isLeader)
    }

    @Test func waitsWhileAnotherHolderRenewsAndTakesOverAfterExpiry() {
        var state = LeaderElectionState(identity: "me")
        var decision = state.decide(current: held(by: "other", transitions: 3), now: t0, wallNow: wall)
        #expect(decision == .wait)
        // The holder renews at 10 s: validity restarts from when we saw the change.
        decision = state.decide(current: held(by: "other", transitions: 3, renew: "r2"), now: t0 + .seconds(10), wallNow: wall)
        #expect(decision == .wait)
        decision = state.decide(current: held(by: "other", transitions: 3, renew: "r2"), now: t0 + .seconds(24), wallNow: wall)
        #expect(decision == .wait)
        // 15 s after the last change without a renewal, the lease is ours to take.
        guard case .update(let record) = state.decide(current: held(by: "other", transitions: 3, renew: "r2"), now: t0 + .seconds(25), wallNow: wall) else {
            Issue.record("expected update"); return
        }
        #expect(record.holderIdentity == "me")
        #expect(record.leaseTransitions == 4)
        #expect(record.acquireTime == record.renewTime)
    }

    @Test func aReleasedLeaseIsTakenAtOnce() {
        var state = LeaderElectionState(identity: "me")
        let released = LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, leaseTransitions: 2)
        guard case .update(let record) = state.decide(current: released, now: t0, wallNow: wall) else {
            Issue.record("expected update"); return
        }
        #expect(record.leaseTransitions == 3)
    }

    @Test func renewingKeepsAcquireTimeAndTransitions() {
        var state = LeaderElectionState(identity: "me")
        let mine = LeaseRecord(holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: "first", renewTime: "r1", leaseTransitions: 5)
        guard case .update(let record) = state.decide(current: mine, now: t0, wallNow: wall) else {
            Issue.record("expected update"); return
        }
        #expect(record.acquireTime == "first")
        #expect(record.leaseTransitions == 5)
        #expect(record.renewTime != "r1")
        _ = state.writeSucceeded(record, now: t0)
        let renewal = state.renewalWithoutRead(wallNow: wall.addingTimeInterval(2))
        #expect(renewal?.acquireTime == "first")
        #expect(renewal?.renewTime == "2027-01-15T08:00:02.250000Z")
    }

    @Test func renewalFailuresPastTheDeadlineEndLeadership() {
        var state = LeaderElectionState(identity: "me")
        let first = state.decide(current: nil, now: t0, wallNow: wall)
        guard case .create(let record) = first else {
            Issue.record("expected create, got \(first)"); return
        }
        _ = state.writeSucceeded(record, now: t0)
        let lostAt2 = state.attemptFailed(now: t0 + .seconds(2))
        let lostAt10 = state.attemptFailed(now: t0 + .seconds(10))
        #expect(!lostAt2 && !lostAt10)
        #expect(state.isLeader)
        let lostAfter10 = state.attemptFailed(now: t0 + .seconds(10) + .milliseconds(1))
        #expect(lostAfter10)
        #expect(!state.isLeader)
        // Not leading: failures are just failures.
        let lostLater = state.attemptFailed(now: t0 + .seconds(30))
        #expect(!lostLater)
    }

    @Test func seeingAnotherValidHolderWhileLeadingStepsDown() {
        var state = LeaderElectionState(identity: "me")
        let first = state.decide(current: nil, now: t0, wallNow: wall)
        guard case .create(let record) = first else {
            Issue.record("expected create, got \(first)"); return
        }
        _ = state.writeSucceeded(record, now: t0)
        let decision = state.decide(current: held(by: "thief"), now: t0 + .seconds(2), wallNow: wall)
        #expect(decision == .stepDown)
        #expect(!state.isLeader)
    }

    @Test func releaseClearsTheHolderOnlyWhenLeading() {
        var state = LeaderElectionState(identity: "me")
        #expect(state.releaseRecord(wallNow: wall) == nil)
        let mine = LeaseRecord(holderIdentity: "me", leaseDurationSeconds: 15, leaseTransitions: 7)
        let first = state.decide(current: mine, now: t0, wallNow: wall)
        guard case .update(let record) = first else {
            Issue.record("expected update, got \(first)"); return
        }
        _ = state.writeSucceeded(record, now: t0)
        let release = state.releaseRecord(wallNow: wall)
        #expect(release?.holderIdentity == "")
        #expect(release?.leaseDurationSeconds == 1)
        #expect(release?.leaseTransitions == 7)
    }

    @Test func leaseRecordRoundTripsThroughALeaseObject() {
        let record = LeaseRecord(holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: "a", renewTime: "b", leaseTransitions: 2)
        var lease = record.applied(to: nil, name: "keeper", namespace: "ops")
        #expect(lease["kind"] == "Lease")
        #expect(lease["apiVersion"] == "coordination.k8s.io/v1")
        #expect(lease[path: ["metadata", "name"]] == "keeper")
        #expect(LeaseRecord(lease: lease) == record)
        lease[path: ["metadata", "resourceVersion"]] = "42"
        let updated = LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, leaseTransitions: 2).applied(to: lease, name: "keeper", namespace: "ops")
        #expect(updated[path: ["metadata", "resourceVersion"]] == "42")
        #expect(updated[path: ["spec", "holderIdentity"]] == "")
    }
}
