import Foundation
import KubeModel
import Synchronization
import Testing
@testable import Controller

/// An in-memory Lease with resourceVersion preconditions, like the API server's.
final class MemoryLeaseStore: LeaseStore {
    struct Unavailable: Error {}
    private struct State {
        var lease: JSONValue?
        var version = 0
        var failing = false
        var writes = 0
        var reads = 0
    }
    private let state = Mutex(State())

    var lease: JSONValue? { state.withLock { $0.lease } }
    var writes: Int { state.withLock { $0.writes } }
    /// Gets: a renewing leader does not read, so these are a candidate's campaign attempts.
    var reads: Int { state.withLock { $0.reads } }
    func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }

    /// Rewrites the lease unchanged under a new resourceVersion, as a renewal whose response
    /// was lost would.
    func bumpVersion() {
        state.withLock { state in
            guard let lease = state.lease else { return }
            _ = Self.store(lease, in: &state)
        }
    }

    func get(namespace: String, name: String) async throws -> JSONValue? {
        try state.withLock { state in
            state.reads += 1
            if state.failing { throw Unavailable() }
            return state.lease
        }
    }

    func create(namespace: String, lease: JSONValue) async throws -> JSONValue {
        try state.withLock { state in
            if state.failing { throw Unavailable() }
            if state.lease != nil { throw LeaderElectionError.conflict }
            return Self.store(lease, in: &state)
        }
    }

    func update(namespace: String, name: String, lease: JSONValue) async throws -> JSONValue {
        try state.withLock { state in
            if state.failing { throw Unavailable() }
            guard let current = state.lease else { throw Unavailable() }
            if lease[path: ["metadata", "resourceVersion"]] != current[path: ["metadata", "resourceVersion"]] {
                throw LeaderElectionError.conflict
            }
            return Self.store(lease, in: &state)
        }
    }

    private static func store(_ lease: JSONValue, in state: inout State) -> JSONValue {
        state.version += 1
        state.writes += 1
        var stored = lease
        stored[path: ["metadata", "resourceVersion"]] = .string(String(state.version))
        state.lease = stored
        return stored
    }
}

/// Runs "leading" work per elector and notes whether two ever led at once.
final class LeadershipTracker: Sendable {
    private let leading = Mutex<Set<String>>([])
    private let overlap = Mutex(false)

    var overlapped: Bool { overlap.withLock { $0 } }

    func work(_ id: String) -> @Sendable () async -> Void {
        { [self] in
            leading.withLock { set in
                if !set.isEmpty { overlap.withLock { $0 = true } }
                set.insert(id)
            }
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
            leading.withLock { _ = $0.remove(id) }
        }
    }
}

@Suite struct LeaderElectorTests {
    static let fast = LeaderElectionTimings(leaseDuration: .seconds(1), renewDeadline: .milliseconds(400), retryPeriod: .milliseconds(50))
    /// Fast retries under a long lease: "well before the lease would expire" then leaves
    /// seconds of room for a busy machine.
    static let longLease = LeaderElectionTimings(leaseDuration: .seconds(15), renewDeadline: .milliseconds(400), retryPeriod: .milliseconds(50))

    func elector(_ identity: String, _ store: MemoryLeaseStore, timings: LeaderElectionTimings = Self.fast) -> LeaderElector {
        LeaderElector(leases: store, configuration: .init(leaseName: "keeper", namespace: "ops", identity: identity, timings: timings))
    }

    @Test func oneOfTwoLeadsAndTheOtherTakesOverAfterRelease() async {
        let store = MemoryLeaseStore()
        let a = elector("a", store, timings: Self.longLease)
        let b = elector("b", store, timings: Self.longLease)
        let tracker = LeadershipTracker()
        let runA = Task { await a.run(whileLeading: tracker.work("a")) }
        #expect(await eventually { a.isLeader })
        let readsBefore = store.reads
        let runB = Task { await b.run(whileLeading: tracker.work("b")) }
        // b keeps campaigning (it has looked at the lease several times) while a renews.
        #expect(await eventually { store.reads >= readsBefore + 3 })
        #expect(!b.isLeader)
        #expect(LeaseRecord(lease: store.lease ?? [:]).holderIdentity == "a")
        runA.cancel()
        #expect(await runA.value == .cancelled)
        // a released the lease, so b takes it within retry periods, not a lease duration (15 s).
        let released = ContinuousClock.now
        #expect(await eventually { b.isLeader })
        #expect(ContinuousClock.now - released < .seconds(7))
        let record = LeaseRecord(lease: store.lease ?? [:])
        #expect(record.holderIdentity == "b")
        #expect(record.leaseTransitions == 1)
        #expect(!tracker.overlapped)
        runB.cancel()
        #expect(await runB.value == .cancelled)
        #expect(LeaseRecord(lease: store.lease ?? [:]).holderIdentity == "")
    }

    @Test func aCrashedHoldersLeaseIsTakenAfterItExpires() async {
        let store = MemoryLeaseStore()
        let stale = LeaseRecord(holderIdentity: "crashed", leaseDurationSeconds: 1, acquireTime: "x", renewTime: "x", leaseTransitions: 4)
        _ = try? await store.create(namespace: "ops", lease: stale.applied(to: nil, name: "keeper", namespace: "ops"))
        let b = elector("b", store)
        let start = ContinuousClock.now
        let run = Task { await b.run { while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) } } }
        #expect(await eventually { b.isLeader })
        #expect(ContinuousClock.now - start >= .seconds(1))
        #expect(LeaseRecord(lease: store.lease ?? [:]).leaseTransitions == 5)
        run.cancel()
        _ = await run.value
    }

    @Test func failingRenewalsPastTheDeadlineLoseLeadershipAndCancelTheWork() async {
        let store = MemoryLeaseStore()
        let a = elector("a", store, timings: Self.longLease)
        let workCancelled = Mutex(false)
        let run = Task {
            await a.run {
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
                workCancelled.withLock { $0 = true }
            }
        }
        #expect(await eventually { a.isLeader })
        store.setFailing(true)
        let failedAt = ContinuousClock.now
        #expect(await run.value == .lostLeadership)
        let elapsed = ContinuousClock.now - failedAt
        // Past the renew deadline (400 ms), well before the lease (15 s) could be taken.
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < Self.longLease.leaseDuration / 2)
        #expect(workCancelled.withLock { $0 })
        #expect(!a.isLeader)
    }

    @Test func renewalsWriteWithoutReading() async {
        let store = MemoryLeaseStore()
        let a = elector("a", store)
        let run = Task { await a.run { while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) } } }
        #expect(await eventually { store.writes >= 5 })
        #expect(a.isLeader)
        #expect(LeaseRecord(lease: store.lease ?? [:]).leaseTransitions == 0)
        run.cancel()
        #expect(await run.value == .cancelled)
    }

    @Test func workThatReturnsReleasesTheLease() async {
        let store = MemoryLeaseStore()
        let a = elector("a", store)
        #expect(await a.run {} == .finished)
        #expect(LeaseRecord(lease: store.lease ?? [:]).holderIdentity == "")
    }

    @Test func releaseSurvivesAStaleResourceVersion() async {
        let store = MemoryLeaseStore()
        let a = LeaderElector(leases: store, configuration: .init(leaseName: "keeper", namespace: "ops", identity: "a",
                                                                  timings: .init(leaseDuration: .seconds(15), renewDeadline: .seconds(10), retryPeriod: .seconds(5))))
        let run = Task { await a.run { while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) } } }
        #expect(await eventually { a.isLeader })
        store.bumpVersion()
        run.cancel()
        #expect(await run.value == .cancelled)
        #expect(LeaseRecord(lease: store.lease ?? [:]).holderIdentity == "")
    }
}
