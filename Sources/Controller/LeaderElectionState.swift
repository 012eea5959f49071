import Foundation
import KubeModel

/// Timings of a leader election (client-go's defaults): a holder renews every
/// `retryPeriod`, steps down when it could not renew for `renewDeadline`, and a candidate
/// takes an unrenewed lease over `leaseDuration` after it last saw the lease change.
/// `leaseDuration > renewDeadline > retryPeriod`, so a holder that stops renewing steps down
/// before anyone else can take over.
public struct LeaderElectionTimings: Sendable, Hashable {
    public var leaseDuration: Duration
    public var renewDeadline: Duration
    public var retryPeriod: Duration

    public init(leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2)) {
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
    }

    /// Whole seconds for the Lease's `leaseDurationSeconds` (at least 1).
    public var leaseDurationSeconds: Int {
        max(1, Int(leaseDuration.components.seconds))
    }
}

/// The decision core of ``LeaderElector``: a pure state machine fed with what the elector
/// read and whether its writes succeeded, on an injected clock. It never does I/O.
///
/// As client-go does, expiry is judged on the *local* clock: a lease another holder owns is
/// valid until `leaseDurationSeconds` after this elector last saw its record change, so the
/// holders' wall clocks never need to agree.
public struct LeaderElectionState: Sendable {
    public typealias Instant = ContinuousClock.Instant

    /// What to do after reading the lease.
    public enum Decision: Sendable, Equatable {
        /// No Lease exists: create it with this record.
        case create(LeaseRecord)
        /// Write this record with the read resourceVersion as precondition: acquire a free or
        /// expired lease, or renew ours. A conflict means another elector won.
        case update(LeaseRecord)
        /// Another holder's lease is valid: try again after the retry period.
        case wait
        /// Another holder's lease is valid while we thought we led: leadership is lost.
        case stepDown
    }

    public let identity: String
    public let timings: LeaderElectionTimings
    public private(set) var isLeader = false
    /// The last record read or written, and when (local clock) it was first seen.
    public private(set) var observed: LeaseRecord?
    public private(set) var observedAt: Instant?
    /// The last successful acquire or renew.
    public private(set) var lastRenewal: Instant?

    public init(identity: String, timings: LeaderElectionTimings = LeaderElectionTimings()) {
        self.identity = identity
        self.timings = timings
    }

    /// Decides from the lease just read (nil: it does not exist). `wallNow` stamps the record.
    public mutating func decide(current: LeaseRecord?, now: Instant, wallNow: Date) -> Decision {
        let stamp = RFC3339.microseconds(wallNow)
        guard let current else {
            return .create(LeaseRecord(holderIdentity: identity, leaseDurationSeconds: timings.leaseDurationSeconds,
                                       acquireTime: stamp, renewTime: stamp, leaseTransitions: 0))
        }
        if current != observed {
            observed = current
            observedAt = now
        }
        let heldByOther = current.isHeld && current.holderIdentity != identity
        if heldByOther && isValid(current, now: now) {
            if isLeader {
                isLeader = false
                return .stepDown
            }
            return .wait
        }
        var record = LeaseRecord(holderIdentity: identity, leaseDurationSeconds: timings.leaseDurationSeconds,
                                 acquireTime: stamp, renewTime: stamp, leaseTransitions: current.leaseTransitions)
        if current.holderIdentity == identity {
            record.acquireTime = current.acquireTime ?? stamp
        } else {
            record.leaseTransitions += 1
        }
        return .update(record)
    }

    /// The record to write to renew without reading first (only while leading, from the
    /// last record this elector wrote); a conflict then sends the elector back to reading.
    public func renewalWithoutRead(wallNow: Date) -> LeaseRecord? {
        guard isLeader, var record = observed, record.holderIdentity == identity else { return nil }
        record.renewTime = RFC3339.microseconds(wallNow)
        return record
    }

    /// A create or update of `record` succeeded. Returns true when this starts leadership.
    public mutating func writeSucceeded(_ record: LeaseRecord, now: Instant) -> Bool {
        observed = record
        observedAt = now
        lastRenewal = now
        let started = !isLeader
        isLeader = true
        return started
    }

    /// A read or write failed (a conflict included). Returns true when this ends leadership:
    /// the last successful renewal is older than the renew deadline.
    public mutating func attemptFailed(now: Instant) -> Bool {
        guard isLeader, let lastRenewal else { return false }
        if now - lastRenewal > timings.renewDeadline {
            isLeader = false
            return true
        }
        return false
    }

    /// True when the renew deadline has passed since the last successful renewal (the
    /// elector checks this before it acts as leader on a slow attempt).
    public func renewDeadlinePassed(now: Instant) -> Bool {
        guard isLeader, let lastRenewal else { return false }
        return now - lastRenewal > timings.renewDeadline
    }

    /// The record that releases the lease on shutdown (client-go's: no holder, a 1 s
    /// duration, transitions kept), or nil when not leading.
    public func releaseRecord(wallNow: Date) -> LeaseRecord? {
        guard isLeader, let observed else { return nil }
        let stamp = RFC3339.microseconds(wallNow)
        return LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp,
                           leaseTransitions: observed.leaseTransitions)
    }

    /// Leadership given up (released or abandoned).
    public mutating func stoppedLeading() {
        isLeader = false
    }

    private func isValid(_ record: LeaseRecord, now: Instant) -> Bool {
        guard let observedAt else { return false }
        return now < observedAt + .seconds(max(1, record.leaseDurationSeconds))
    }
}
