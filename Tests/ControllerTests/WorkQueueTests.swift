import Testing
@testable import Controller

@Suite struct WorkQueueTests {
    @Test func aWaitingWorkerGetsAKeyAddedLater() async {
        let queue = WorkQueue<String>()
        async let key = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        queue.add("a")
        #expect(await key == "a")
    }

    @Test func requeueAfterComesBackAfterTheDelay() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        #expect(await queue.next() == "a")
        let start = ContinuousClock.now
        queue.finish("a", outcome: .requeue(after: .milliseconds(100)))
        #expect(queue.snapshot.scheduled == 1)
        #expect(await queue.next() == "a")
        #expect(ContinuousClock.now - start >= .milliseconds(100))
    }

    @Test func failureRetriesAfterBackoffAndSuccessForgets() async {
        let queue = WorkQueue<String>(backoff: Backoff(base: .milliseconds(20), cap: .seconds(1)))
        queue.add("a")
        #expect(await queue.next() == "a")
        queue.finish("a", outcome: .failure)
        #expect(queue.failureCount("a") == 1)
        #expect(await queue.next() == "a")
        queue.finish("a", outcome: .failure)
        #expect(queue.failureCount("a") == 2)
        #expect(await queue.next() == "a")
        queue.finish("a", outcome: .success)
        #expect(queue.failureCount("a") == 0)
        #expect(queue.snapshot == .init(ready: 0, scheduled: 0, processing: 0, isShutDown: false))
    }

    @Test func shutDownWakesWaitersWithNil() async {
        let queue = WorkQueue<String>()
        async let first = queue.next()
        async let second = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        queue.shutDown()
        #expect(await first == nil)
        #expect(await second == nil)
        queue.add("a")
        #expect(await queue.next() == nil)
    }

    @Test func cancellingAWaitingWorkerReturnsNil() async {
        let queue = WorkQueue<String>()
        let worker = Task { await queue.next() }
        try? await Task.sleep(for: .milliseconds(20))
        worker.cancel()
        #expect(await worker.value == nil)
        // The cancelled waiter did not swallow the next key.
        queue.add("a")
        #expect(await queue.next() == "a")
    }

    @Test func waitUntilIdleWaitsForInFlightKeys() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        #expect(await queue.next() == "a")
        queue.shutDown()
        let finished = Recorder<String>()
        let waiter = Task {
            await queue.waitUntilIdle()
            finished.append("idle")
        }
        try? await Task.sleep(for: .milliseconds(30))
        #expect(finished.count == 0)
        queue.done("a")
        await waiter.value
        #expect(finished.all == ["idle"])
    }

    @Test func aKeyDueWhileEveryWorkerIsBusyWaitsWithoutSpinning() async {
        let queue = WorkQueue<String>()
        queue.add("busy")
        #expect(await queue.next() == "busy")
        queue.add("later", after: .milliseconds(20))
        #expect(await eventually { queue.timerFirings >= 1 })
        try? await Task.sleep(for: .milliseconds(100))
        // One firing moved the key to the ready list; nothing re-armed for a past deadline.
        #expect(queue.timerFirings == 1)
        #expect(queue.snapshot.ready == 1)
        #expect(await queue.next() == "later")
    }
}
