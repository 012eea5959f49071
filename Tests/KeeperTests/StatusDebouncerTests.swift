import Foundation
import Testing
@testable import Keeper
import KubeModel

@Suite struct StatusDebouncerTests {
    let key = ObjectKey(namespace: "default", name: "zk")
    let start = Date(timeIntervalSince1970: 1_714_564_800)

    func status(replicas: Int, since: String = "2024-05-01T12:00:00Z") -> ZookeeperClusterStatus {
        ZookeeperClusterStatus(observedGeneration: 1, replicas: replicas,
                               conditions: [Condition(type: "Progressing", status: "True", reason: "WaitingForMembers", message: "waiting", lastTransitionTime: since)])
    }

    func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }

    @Test func aChangeIsWrittenOnceItHasBeenQuietForThePeriod() {
        var debouncer = StatusDebouncer(quietPeriod: 1, maximumDelay: 5)
        #expect(debouncer.decide(key, computed: status(replicas: 1), stored: nil, now: at(0)) == .wait(1))
        #expect(debouncer.decide(key, computed: status(replicas: 1), stored: nil, now: at(0.5)) == .wait(0.5))
        #expect(debouncer.decide(key, computed: status(replicas: 1), stored: nil, now: at(1)) == .write(status(replicas: 1)))
        #expect(debouncer.pendingCount == 0)
    }

    @Test func eachNewChangeRestartsTheQuietPeriodUpToTheMaximumDelay() {
        var debouncer = StatusDebouncer(quietPeriod: 1, maximumDelay: 3)
        for (second, replicas) in [(0.0, 1), (0.8, 2), (1.6, 3), (2.4, 4)] {
            guard case .wait = debouncer.decide(key, computed: status(replicas: replicas), stored: nil, now: at(second)) else {
                Issue.record("wrote at \(second) s")
                return
            }
        }
        // Still changing, but the first difference is 3 s old: the latest status goes out.
        #expect(debouncer.decide(key, computed: status(replicas: 5), stored: nil, now: at(3)) == .write(status(replicas: 5)))
    }

    @Test func whileSettlingAQuietStatusWaitsForTheMaximumDelay() {
        var debouncer = StatusDebouncer(quietPeriod: 1, maximumDelay: 5)
        #expect(debouncer.decide(key, computed: status(replicas: 1), stored: nil, settling: true, now: at(0)) == .wait(5))
        #expect(debouncer.decide(key, computed: status(replicas: 1), stored: nil, settling: true, now: at(2)) == .wait(3))
        // The last pod appeared: the next quiet second writes.
        #expect(debouncer.decide(key, computed: status(replicas: 3), stored: nil, settling: false, now: at(2.5)) == .wait(1))
        #expect(debouncer.decide(key, computed: status(replicas: 3), stored: nil, settling: false, now: at(3.5)) == .write(status(replicas: 3)))
        // Settling forever still writes after the maximum delay.
        _ = debouncer.decide(key, computed: status(replicas: 1), stored: status(replicas: 3), settling: true, now: at(10))
        #expect(debouncer.decide(key, computed: status(replicas: 1), stored: status(replicas: 3), settling: true, now: at(15)) == .write(status(replicas: 1)))
    }

    @Test func settlingMayHoldLongerThanAChangeThatIsOnlyQuiet() {
        var debouncer = StatusDebouncer(quietPeriod: 1, maximumDelay: 5, settlingDelay: 15)
        #expect(debouncer.decide(key, computed: status(replicas: 0), stored: nil, settling: true, now: at(0)) == .wait(15))
        #expect(debouncer.decide(key, computed: status(replicas: 0), stored: nil, settling: true, now: at(9)) == .wait(6))
        // Settled after the maximum delay: no quiet period owed, the status goes out now.
        #expect(debouncer.decide(key, computed: status(replicas: 3), stored: nil, settling: false, now: at(9.5)) == .write(status(replicas: 3)))
        // A controller that never catches up still gets its status written.
        _ = debouncer.decide(key, computed: status(replicas: 1), stored: status(replicas: 3), settling: true, now: at(20))
        let before = debouncer.decide(key, computed: status(replicas: 1), stored: status(replicas: 3), settling: true, now: at(34))
        #expect(before == .wait(1))
        #expect(debouncer.decide(key, computed: status(replicas: 1), stored: status(replicas: 3), settling: true, now: at(35)) == .write(status(replicas: 1)))
    }

    @Test func transitionTimesAloneAreNoChangeAndTheFirstOneIsKept() {
        var debouncer = StatusDebouncer(quietPeriod: 1, maximumDelay: 5)
        _ = debouncer.decide(key, computed: status(replicas: 3, since: "2024-05-01T12:00:00Z"), stored: nil, now: at(0))
        let decision = debouncer.decide(key, computed: status(replicas: 3, since: "2024-05-01T12:00:01Z"), stored: nil, now: at(1))
        #expect(decision == .write(status(replicas: 3, since: "2024-05-01T12:00:00Z")))
    }

    @Test func aStatusBackToTheStoredOneCancelsThePendingWrite() {
        var debouncer = StatusDebouncer(quietPeriod: 1, maximumDelay: 5)
        _ = debouncer.decide(key, computed: status(replicas: 2), stored: status(replicas: 3), now: at(0))
        #expect(debouncer.decide(key, computed: status(replicas: 3), stored: status(replicas: 3), now: at(0.5)) == .upToDate)
        #expect(debouncer.pendingCount == 0)
        // A later change starts a fresh quiet period.
        #expect(debouncer.decide(key, computed: status(replicas: 2), stored: status(replicas: 3), now: at(4)) == .wait(1))
    }

    @Test func aZeroQuietPeriodWritesAtOnce() {
        var debouncer = StatusDebouncer(quietPeriod: 0, maximumDelay: 0)
        #expect(debouncer.decide(key, computed: status(replicas: 1), stored: nil, now: at(0)) == .write(status(replicas: 1)))
    }

    func members(readiness: [Bool]) -> ZookeeperClusterStatus {
        var status = status(replicas: readiness.count)
        status.members = readiness.enumerated().map { MemberStatus(name: "zk-\($0.offset)", id: $0.offset + 1, role: $0.element ? "follower" : "unknown",
                                                                   ready: $0.element, upToDate: true) }
        return status
    }

    @Test func aMemberThatStopsBeingReadyIsWrittenAtOnce() {
        var debouncer = StatusDebouncer(quietPeriod: 1, maximumDelay: 5)
        let stored = members(readiness: [true, true, true])
        #expect(debouncer.decide(key, computed: members(readiness: [false, true, true]), stored: stored, now: at(0))
                == .write(members(readiness: [false, true, true])))
        // Gone from the members altogether counts as not ready.
        #expect(debouncer.decide(key, computed: members(readiness: [true, true]), stored: stored, now: at(0))
                == .write(members(readiness: [true, true])))
        // Becoming ready is not urgent: it waits for the quiet period like any other change.
        #expect(debouncer.decide(key, computed: members(readiness: [true, true, true]), stored: members(readiness: [false, true, true]), now: at(1)) == .wait(1))
    }
}
