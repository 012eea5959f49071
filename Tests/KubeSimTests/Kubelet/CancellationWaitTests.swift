import Foundation
import Synchronization
import Testing
@testable import KubeSim

/// `CancellationWait.untilCancelled()`, which `Kubelet.run()` waits in until it must stop.
struct CancellationWaitTests {
    final class Counter: Sendable {
        private let count = Mutex(0)
        func increment() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test func waitsUntilTheTaskIsCancelledAndNoLonger() async throws {
        let returned = Counter()
        let waiter = Task {
            await CancellationWait.untilCancelled()
            returned.increment()
        }
        // Not cancelled: it must still be waiting after a while.
        try await Task.sleep(for: .milliseconds(500))
        #expect(returned.value == 0)
        let cancelledAt = ContinuousClock.now
        waiter.cancel()
        await waiter.value
        #expect(returned.value == 1)
        #expect(ContinuousClock.now - cancelledAt < .seconds(10))
    }

    @Test func returnsAtOnceWhenTheTaskIsAlreadyCancelled() async throws {
        let returned = Counter()
        let waiter = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await CancellationWait.untilCancelled()
            returned.increment()
        }
        try await RuntimeTestSupport.eventually(timeout: .seconds(10), "the wait of a cancelled task returns") {
            returned.value == 1
        }
        waiter.cancel()
        await waiter.value
    }

    /// Cancellation racing with the start of the wait (before, during or after the
    /// continuation is stored): every waiter returns, and each exactly once (a second resume
    /// of a checked continuation would trap).
    @Test func everyWaiterReturnsWhateverTheOrderOfCancellationAndWaiting() async throws {
        let returned = Counter()
        let count = 300
        var waiters: [Task<Void, Never>] = []
        for index in 0..<count {
            let waiter = Task {
                if index % 3 == 1 { await Task.yield() }
                await CancellationWait.untilCancelled()
                returned.increment()
            }
            if index % 3 == 2 { await Task.yield() }
            waiter.cancel()
            waiters.append(waiter)
        }
        try await RuntimeTestSupport.eventually(timeout: .seconds(20), "all \(count) waiters return") {
            returned.value == count
        }
        for waiter in waiters { await waiter.value }
        #expect(returned.value == count)
    }
}
