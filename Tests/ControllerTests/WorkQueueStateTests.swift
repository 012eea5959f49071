import Testing
@testable import Controller

@Suite struct WorkQueueStateTests {
    let t0 = ContinuousClock.now

    @Test func aKeyQueuedTwiceIsHandedOutOnce() {
        var queue = WorkQueueState<String>()
        queue.add("a")
        queue.add("b")
        queue.add("a")
        #expect(queue.next(now: t0) == "a")
        #expect(queue.next(now: t0) == "b")
        #expect(queue.next(now: t0) == nil)
    }

    @Test func aKeyInFlightIsNotHandedOutAgainUntilDone() {
        var queue = WorkQueueState<String>()
        queue.add("a")
        #expect(queue.next(now: t0) == "a")
        queue.add("a")
        queue.add("a")
        #expect(queue.next(now: t0) == nil)
        #expect(queue.isQueued("a"))
        queue.done("a")
        #expect(queue.next(now: t0) == "a")
        queue.done("a")
        #expect(queue.next(now: t0) == nil)
    }

    @Test func delayedKeysBecomeReadyAtTheirTime() {
        var queue = WorkQueueState<String>()
        queue.add("a", after: .seconds(10), now: t0)
        queue.add("b", after: .seconds(5), now: t0)
        #expect(queue.nextDeadline == t0 + .seconds(5))
        #expect(queue.next(now: t0 + .seconds(4)) == nil)
        #expect(queue.next(now: t0 + .seconds(5)) == "b")
        #expect(queue.next(now: t0 + .seconds(9)) == nil)
        #expect(queue.next(now: t0 + .seconds(10)) == "a")
        #expect(queue.nextDeadline == nil)
    }

    @Test func theEarlierTimeWinsAndAnImmediateAddReplacesADelay() {
        var queue = WorkQueueState<String>()
        queue.add("a", after: .seconds(10), now: t0)
        queue.add("a", after: .seconds(3), now: t0)
        queue.add("a", after: .seconds(20), now: t0)
        #expect(queue.nextDeadline == t0 + .seconds(3))
        queue.add("a")
        #expect(!queue.isScheduled("a"))
        #expect(queue.next(now: t0) == "a")
        queue.done("a")
        // Nothing comes back later: the delayed entry was consumed by the immediate run.
        #expect(queue.next(now: t0 + .seconds(30)) == nil)
        // A delay for a key already queued to run now is dropped.
        queue.add("b")
        queue.add("b", after: .seconds(1), now: t0)
        #expect(queue.scheduledCount == 0)
    }

    @Test func failuresBackOffExponentiallyUpToTheCapAndSuccessForgets() {
        var queue = WorkQueueState<String>(backoff: Backoff(base: .milliseconds(100), cap: .seconds(1)))
        var delays: [Duration] = []
        for _ in 0..<6 {
            queue.add("a")
            #expect(queue.next(now: t0) == "a")
            queue.done("a")
            delays.append(queue.failed("a", now: t0))
        }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
        #expect(queue.failureCount("a") == 6)
        queue.forget("a")
        #expect(queue.failureCount("a") == 0)
        #expect(queue.failed("a", now: t0) == .milliseconds(100))
    }

    @Test func aFailedKeyReturnsAfterItsBackoff() {
        var queue = WorkQueueState<String>(backoff: Backoff(base: .seconds(1), cap: .seconds(60)))
        queue.add("a")
        _ = queue.next(now: t0)
        queue.done("a")
        queue.failed("a", now: t0)
        #expect(queue.next(now: t0 + .milliseconds(999)) == nil)
        #expect(queue.next(now: t0 + .seconds(1)) == "a")
    }

    @Test func aDelayDueWhileInFlightWaitsForDone() {
        var queue = WorkQueueState<String>()
        queue.add("a")
        _ = queue.next(now: t0)
        queue.add("a", after: .seconds(1), now: t0)
        #expect(queue.next(now: t0 + .seconds(2)) == nil)
        queue.done("a")
        #expect(queue.next(now: t0 + .seconds(2)) == "a")
    }

    @Test func shutDownStopsHandingOutButLetsInFlightFinish() {
        var queue = WorkQueueState<String>()
        queue.add("a")
        queue.add("b")
        #expect(queue.next(now: t0) == "a")
        queue.add("a")
        queue.shutDown()
        #expect(queue.next(now: t0) == nil)
        #expect(queue.processingCount == 1)
        queue.done("a")
        #expect(queue.processingCount == 0)
        queue.add("c")
        #expect(queue.next(now: t0) == nil)
        #expect(queue.readyCount == 0)
    }

    @Test func backoffDelays() {
        let backoff = Backoff(base: .milliseconds(5), cap: .seconds(300))
        #expect(backoff.delay(afterFailures: 0) == .zero)
        #expect(backoff.delay(afterFailures: 1) == .milliseconds(5))
        #expect(backoff.delay(afterFailures: 3) == .milliseconds(20))
        #expect(backoff.delay(afterFailures: 1000) == .seconds(300))
    }
}
