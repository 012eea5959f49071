import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import KubeClient
import Testing

@Suite struct CancellableDataTests {
    /// swift-corelibs-foundation#5412's reproduction: requests to a closed port (the work queue
    /// completes them with a socket failure) cancelled a moment after they start. With
    /// `URLSession.data(for:)` in place of `cancellableData` this test hung in 3 of 3 runs here
    /// (stopped by an outer 100 s timeout; the deadlocked cancel does not let the time limit end
    /// it, so CI's own limit is what reports it); with a `cancellableData` that cancelled the
    /// `URLSessionTask` from another queue it crashed the suite once in CI sim (TaskRegistry).
    @Test(.timeLimit(.minutes(1))) func cancellingRequestsAsTheyFailDoesNotDeadlock() async throws {
        let session = URLSession(configuration: .ephemeral)
        defer { session.invalidateAndCancel() }
        let request = URLRequest(url: URL(string: "http://127.0.0.1:9/")!)
        for round in 0..<20 {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask { _ = try? await session.cancellableData(for: request) }
                }
                try? await Task.sleep(nanoseconds: UInt64(round % 5) * 50_000)
                group.cancelAll()
            }
        }
    }

    @Test func aCancelledRequestEndsWithAnError() async throws {
        let session = URLSession(configuration: .ephemeral)
        defer { session.invalidateAndCancel() }
        // A body whose second half comes 30 s later: only the cancellation ends the request sooner.
        let server = try ScriptedHTTPServer([.init(status: 200, pieces: [Data("a".utf8), Data("b".utf8)], pause: 30)])
        defer { server.stop() }
        let task = Task { try await session.cancellableData(for: URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/")!)) }
        // Cancelled once the server has the request (and is holding back the body's end).
        #expect(await eventually { server.requests.withLock { $0.count } >= 1 })
        task.cancel()
        let started = Date()
        await #expect(throws: (any Error).self) { _ = try await task.value }
        #expect(Date().timeIntervalSince(started) < 20, "ended by the cancellation, not by the body")
    }
}
