import Foundation
import Synchronization
import ZooKeeperClient

/// A client writing sequential znodes the whole time a rollout or a resize runs, as an
/// application would: every write it is told succeeded is remembered, every failure counted,
/// and the longest stretch without a successful write measured. When its session cannot reach
/// any server it asks `addresses` again (pods restarted by a rollout may get other addresses).
final class ContinuousWriter: Sendable {
    struct Figures: Sendable {
        var acknowledged: [String] = []
        var failed = 0
        var longestOutage: Duration = .zero
    }

    private let figures = Mutex(Figures())
    private let task = Mutex<Task<Void, Never>?>(nil)
    let prefix: String

    init(prefix: String) {
        self.prefix = prefix
    }

    var current: Figures { figures.withLock { $0 } }

    /// Starts writing `/<prefix>-NNNNNNNNNN` znodes, one after another.
    func start(addresses: @escaping @Sendable () async throws -> [String]) {
        let prefix = self.prefix
        let running = Task { [self] in
                var client: ZooKeeperClient?
                var lastSuccess = ContinuousClock.now
                while !Task.isCancelled {
                    do {
                        if client == nil {
                            let servers = try await addresses()
                            var options = ZooKeeperClient.Options()
                            options.sessionTimeout = .seconds(10)
                            client = try await ZooKeeperClient.connect(servers.joined(separator: ","), options: options)
                        }
                        let path = try await client!.create("/\(prefix)-", data: [], mode: .persistentSequential)
                        let now = ContinuousClock.now
                        self.figures.withLock { figures in
                            figures.acknowledged.append(path)
                            figures.longestOutage = max(figures.longestOutage, now - lastSuccess)
                        }
                        lastSuccess = now
                        try? await Task.sleep(for: .milliseconds(20))
                    } catch {
                        self.figures.withLock { $0.failed += 1 }
                        if let error = error as? ZooKeeperError, error.isSessionExpired || error == .closed || error.isConnectionLossLike {
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

    /// Stops writing and returns the figures.
    func stop() async -> Figures {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
        return current
    }
}

extension ZooKeeperError {
    /// Nothing answered: reconnect to freshly looked-up servers.
    var isConnectionLossLike: Bool {
        if case .connectionFailed = self { return true }
        return isConnectionLoss || self == .timeout
    }
}
