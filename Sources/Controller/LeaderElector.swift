import Foundation
import KubeClient
import KubeModel
import Synchronization

/// The Lease reads and writes a ``LeaderElector`` makes. ``KubeLeaseStore`` does them
/// through a `KubeClient`; tests use an in-memory one.
public protocol LeaseStore: Sendable {
    /// The Lease, or nil when it does not exist.
    func get(namespace: String, name: String) async throws -> JSONValue?
    /// Creates the Lease; throws ``LeaderElectionError/conflict`` when it already exists.
    func create(namespace: String, lease: JSONValue) async throws -> JSONValue
    /// Replaces the Lease, with its metadata.resourceVersion as precondition; throws
    /// ``LeaderElectionError/conflict`` when someone else wrote it first.
    func update(namespace: String, name: String, lease: JSONValue) async throws -> JSONValue
}

/// Errors of the leader-election layer.
public enum LeaderElectionError: Error, Sendable, Equatable {
    /// Another elector wrote the Lease first (HTTP 409).
    case conflict
}

/// ``LeaseStore`` over the API server's `coordination.k8s.io/v1` Leases.
public struct KubeLeaseStore: LeaseStore {
    public let client: KubeClient

    public init(client: KubeClient) {
        self.client = client
    }

    public func get(namespace: String, name: String) async throws -> JSONValue? {
        do {
            return try await client.get(.leases, namespace: namespace, name: name)
        } catch let error as KubeError where error.isNotFound {
            return nil
        }
    }

    public func create(namespace: String, lease: JSONValue) async throws -> JSONValue {
        do {
            return try await client.create(.leases, namespace: namespace, object: lease)
        } catch let error as KubeError where error.isConflict || error.isAlreadyExists {
            throw LeaderElectionError.conflict
        }
    }

    public func update(namespace: String, name: String, lease: JSONValue) async throws -> JSONValue {
        do {
            return try await client.update(.leases, namespace: namespace, name: name, object: lease)
        } catch let error as KubeError where error.isConflict {
            throw LeaderElectionError.conflict
        }
    }
}

/// Leader election on a `coordination.k8s.io/v1` Lease, as client-go's `leaderelection`:
/// acquire the lease when it is free or expired, renew it every retry period, step down when
/// renewal failed for the renew deadline (or another holder is seen), and release it on
/// shutdown by clearing the holder so a successor need not wait for expiry.
///
/// The decisions live in ``LeaderElectionState``; this type only reads and writes.
public final class LeaderElector: Sendable {
    /// Which Lease, who we are, and how fast.
    public struct Configuration: Sendable {
        public var leaseName: String
        public var namespace: String
        /// Unique per process, e.g. the pod name plus a random suffix.
        public var identity: String
        public var timings: LeaderElectionTimings
        /// Clear the holder when ``LeaderElector/run(whileLeading:)`` ends while leading.
        public var releaseOnCancel: Bool

        public init(leaseName: String, namespace: String, identity: String,
                    timings: LeaderElectionTimings = LeaderElectionTimings(), releaseOnCancel: Bool = true) {
            self.leaseName = leaseName
            self.namespace = namespace
            self.identity = identity
            self.timings = timings
            self.releaseOnCancel = releaseOnCancel
        }
    }

    /// How ``run(whileLeading:)`` ended.
    public enum Outcome: Sendable, Equatable {
        /// The leading work returned by itself; the lease was released.
        case finished
        /// The calling task was cancelled (before or while leading); the lease was released.
        case cancelled
        /// Renewal failed past the renew deadline or another holder took the lease.
        case lostLeadership
    }

    private enum Attempt { case leading, notLeading, lost }

    private struct Shared {
        var machine: LeaderElectionState
        /// The last Lease object read or written: its resourceVersion is the next precondition.
        var lease: JSONValue?
    }

    public let configuration: Configuration
    private let leases: any LeaseStore
    private let shared: Mutex<Shared>
    private let log: ControllerLog
    private let clock = ContinuousClock()

    public convenience init(client: KubeClient, configuration: Configuration, log: @escaping ControllerLog = { _ in }) {
        self.init(leases: KubeLeaseStore(client: client), configuration: configuration, log: log)
    }

    public init(leases: any LeaseStore, configuration: Configuration, log: @escaping ControllerLog = { _ in }) {
        self.leases = leases
        self.configuration = configuration
        self.log = log
        shared = Mutex(Shared(machine: LeaderElectionState(identity: configuration.identity, timings: configuration.timings)))
    }

    /// True while this elector holds the lease.
    public var isLeader: Bool { shared.withLock { $0.machine.isLeader } }

    /// Campaigns until it leads, then runs `whileLeading` while renewing. `whileLeading` is
    /// cancelled when leadership is lost; when the caller is cancelled it is cancelled too and
    /// awaited, and the lease is released.
    public func run(whileLeading: @escaping @Sendable () async -> Void) async -> Outcome {
        let timings = configuration.timings
        while true {
            if Task.isCancelled { return .cancelled }
            if await attempt() == .leading { break }
            let jittered = timings.retryPeriod * (1 + Double.random(in: 0..<1.2))
            do { try await Task.sleep(for: jittered) } catch { return .cancelled }
        }
        log("leader election: \(configuration.identity) acquired lease \(configuration.namespace)/\(configuration.leaseName)")
        var outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                await whileLeading()
                return .finished
            }
            group.addTask { await self.renewUntilLost() }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            await group.waitForAll()
            return first
        }
        if outcome == .finished && Task.isCancelled { outcome = .cancelled }
        if outcome == .lostLeadership {
            log("leader election: \(configuration.identity) lost lease \(configuration.namespace)/\(configuration.leaseName)")
        } else {
            await release()
        }
        shared.withLock { $0.machine.stoppedLeading() }
        return outcome
    }

    /// Renews every retry period; returns when leadership is lost or the task is cancelled.
    private func renewUntilLost() async -> Outcome {
        let timings = configuration.timings
        while true {
            do { try await Task.sleep(for: timings.retryPeriod) } catch { return .cancelled }
            let deadline = (shared.withLock { $0.machine.lastRenewal } ?? clock.now) + timings.renewDeadline
            // A hung request must not keep us "leading" past the deadline: race it.
            let result: Attempt? = await withTaskGroup(of: Attempt?.self) { group in
                group.addTask { await self.attempt() }
                group.addTask {
                    try? await Task.sleep(until: deadline, clock: ContinuousClock())
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            if Task.isCancelled { return .cancelled }
            switch result {
            case .leading?: continue
            case .lost?: return .lostLeadership
            case .notLeading?, nil:
                let now = clock.now
                let lost = shared.withLock { shared in
                    shared.machine.attemptFailed(now: now) || !shared.machine.isLeader
                }
                if lost { return .lostLeadership }
            }
        }
    }

    /// One try to acquire or renew.
    private func attempt() async -> Attempt {
        let name = configuration.leaseName
        let namespace = configuration.namespace
        // While leading, write first (one request per renewal); read only after a conflict.
        let optimistic: (LeaseRecord, JSONValue)? = shared.withLock { shared in
            guard let record = shared.machine.renewalWithoutRead(wallNow: Date()), let lease = shared.lease else { return nil }
            return (record, lease)
        }
        if let (record, lease) = optimistic {
            if let written = try? await leases.update(namespace: namespace, name: name, lease: record.applied(to: lease, name: name, namespace: namespace)) {
                return succeeded(record, written)
            }
        }
        let current: JSONValue?
        do {
            current = try await leases.get(namespace: namespace, name: name)
        } catch {
            log("leader election: reading lease \(namespace)/\(name) failed: \(error)")
            return failed()
        }
        let now = clock.now
        let decision = shared.withLock { shared in
            if let current { shared.lease = current }
            return shared.machine.decide(current: current.map(LeaseRecord.init(lease:)), now: now, wallNow: Date())
        }
        do {
            switch decision {
            case .create(let record):
                let written = try await leases.create(namespace: namespace, lease: record.applied(to: nil, name: name, namespace: namespace))
                return succeeded(record, written)
            case .update(let record):
                let written = try await leases.update(namespace: namespace, name: name, lease: record.applied(to: current, name: name, namespace: namespace))
                return succeeded(record, written)
            case .wait:
                return .notLeading
            case .stepDown:
                return .lost
            }
        } catch {
            if error as? LeaderElectionError != .conflict {
                log("leader election: writing lease \(namespace)/\(name) failed: \(error)")
            }
            return failed()
        }
    }

    private func succeeded(_ record: LeaseRecord, _ written: JSONValue) -> Attempt {
        let now = clock.now
        shared.withLock { shared in
            shared.lease = written
            _ = shared.machine.writeSucceeded(record, now: now)
        }
        return .leading
    }

    private func failed() -> Attempt {
        let now = clock.now
        let lost = shared.withLock { $0.machine.attemptFailed(now: now) }
        return lost ? .lost : .notLeading
    }

    /// Clears the holder so a successor can take over at once. Runs in its own task so the
    /// caller's cancellation does not abort the request. A renewal cut short by the
    /// cancellation may have reached the server anyway, leaving our resourceVersion stale: on
    /// a conflict the lease is read again and released if it is still ours.
    private func release() async {
        let name = configuration.leaseName
        let namespace = configuration.namespace
        let identity = configuration.identity
        guard configuration.releaseOnCancel else { return }
        let pending: (LeaseRecord, JSONValue)? = shared.withLock { shared in
            guard let record = shared.machine.releaseRecord(wallNow: Date()), let lease = shared.lease else { return nil }
            return (record, lease)
        }
        guard let (record, lease) = pending else { return }
        let leases = self.leases
        let released = await Task {
            var lease = lease
            for _ in 0..<3 {
                do {
                    _ = try await leases.update(namespace: namespace, name: name, lease: record.applied(to: lease, name: name, namespace: namespace))
                    return true
                } catch LeaderElectionError.conflict {
                    guard let fresh = try? await leases.get(namespace: namespace, name: name),
                          LeaseRecord(lease: fresh).holderIdentity == identity else { return false }
                    lease = fresh
                } catch {
                    return false
                }
            }
            return false
        }.value
        log("leader election: \(identity) \(released ? "released" : "could not release") lease \(namespace)/\(name)")
    }
}
