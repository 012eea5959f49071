import Foundation
import Synchronization
import ZooKeeperClient

/// A client writing sequential znodes all along, as an application would (a copy of the
/// end-to-end tests' `ContinuousWriter`, which keeper-bench cannot import), remembering when
/// each write was acknowledged and when each failed, so a benchmark can cut the run into
/// windows. When its session reaches no server it asks `addresses` again.
final class BenchWriter: Sendable {
    struct Log: Sendable {
        var acknowledged: [(path: String, at: ContinuousClock.Instant)] = []
        var failures: [ContinuousClock.Instant] = []

        /// Writes that failed in `window`.
        func failed(in window: ClosedRange<ContinuousClock.Instant>) -> Int {
            failures.filter { window.contains($0) }.count
        }

        /// The longest gap between two acknowledged writes that overlaps `window`.
        func longestOutage(in window: ClosedRange<ContinuousClock.Instant>) -> Duration {
            var longest: Duration = .zero
            for (earlier, later) in zip(acknowledged, acknowledged.dropFirst())
            where later.at >= window.lowerBound && earlier.at <= window.upperBound {
                longest = max(longest, later.at - earlier.at)
            }
            return longest
        }
    }

    private let log = Mutex(Log())
    private let task = Mutex<Task<Void, Never>?>(nil)
    let prefix: String

    init(prefix: String) {
        self.prefix = prefix
    }

    var current: Log { log.withLock { $0 } }

    /// Starts writing `/<prefix>-NNNNNNNNNN` znodes, one after another, 20 ms apart.
    func start(addresses: @escaping @Sendable () async throws -> [String]) {
        let prefix = self.prefix
        let running = Task { [self] in
            var client: ZooKeeperClient?
            while !Task.isCancelled {
                do {
                    let session: ZooKeeperClient
                    if let client { session = client } else {
                        var options = ZooKeeperClient.Options()
                        options.sessionTimeout = .seconds(10)
                        session = try await ZooKeeperClient.connect(try await addresses().joined(separator: ","), options: options)
                        client = session
                    }
                    let path = try await session.create("/\(prefix)-", data: [], mode: .persistentSequential)
                    let now = ContinuousClock.now
                    self.log.withLock { $0.acknowledged.append((path, now)) }
                    try? await Task.sleep(for: .milliseconds(20))
                } catch {
                    let now = ContinuousClock.now
                    self.log.withLock { $0.failures.append(now) }
                    if let error = error as? ZooKeeperError, Self.needsNewSession(error) {
                        await client?.close()
                        client = nil
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            await client?.close()
        }
        task.withLock { $0 = running }
    }

    /// Stops writing and returns what happened.
    func stop() async -> Log {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
        return current
    }

    /// Acknowledged writes a fresh session (through `addresses`) does not find.
    func lost(_ log: Log, addresses: [String]) async throws -> Int {
        let reader = try await ZooKeeperClient.connect(addresses.joined(separator: ","))
        let children: Set<String>
        do {
            try await reader.sync("/")
            children = Set(try await reader.getChildren("/"))
            await reader.close()
        } catch {
            await reader.close()
            throw error
        }
        return log.acknowledged.filter { !children.contains(String($0.path.dropFirst())) }.count
    }

    /// Nothing answered, or the session is gone: reconnect to freshly looked-up servers.
    private static func needsNewSession(_ error: ZooKeeperError) -> Bool {
        if case .connectionFailed = error { return true }
        return error.isSessionExpired || error == .closed || error.isConnectionLoss || error == .timeout
    }
}
