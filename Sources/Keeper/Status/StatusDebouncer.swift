import KubeModel
import Foundation

/// Decides when a changed status is written: once the computed status has stayed the same for
/// `quietPeriod` and nothing it depends on is known to be still moving, or `maximumDelay`
/// after it first differed from the stored one (`settlingDelay` while something is).
///
/// A new ensemble's pods appear one watch event at a time, and each event recomputes the
/// status; writing every intermediate one costs a write per pod (and per probe change during a
/// rolling restart) for states no one will see. Waiting for a short quiet period writes the
/// settled state once. Pure: the reconciler keeps one behind a lock and passes the time in.
///
/// One exception: a member the stored status calls ready that is no longer ready is written at
/// once. Losing a member is what a user (and an alert) reads the status for, and it may not
/// stay quiet long enough to be written at all: a killed ZooKeeper restarted by the kubelet at
/// once is back within seconds, while the election it causes changes the status every few
/// hundred milliseconds until then, so the quiet period would swallow the whole outage.
public struct StatusDebouncer: Sendable {
    public enum Decision: Equatable, Sendable {
        /// The stored status is the computed one.
        case upToDate
        /// Write this status now (the first computation of it: its transition times are when
        /// the change was first seen).
        case write(ZookeeperClusterStatus)
        /// Look again after this long.
        case wait(TimeInterval)
    }

    private struct Pending {
        var status: ZookeeperClusterStatus
        var firstDiffered: Date
        var lastChanged: Date
    }

    public var quietPeriod: TimeInterval
    public var maximumDelay: TimeInterval
    /// How long a status may wait while `settling`: the StatefulSet controller creating a new
    /// cluster's pods can lag by more than `maximumDelay` when many clusters are created at
    /// once, and a status written before its pods exist is written again when they appear.
    public var settlingDelay: TimeInterval
    private var pending: [ObjectKey: Pending] = [:]

    public init(quietPeriod: TimeInterval, maximumDelay: TimeInterval, settlingDelay: TimeInterval? = nil) {
        self.quietPeriod = quietPeriod
        self.maximumDelay = maximumDelay
        self.settlingDelay = max(settlingDelay ?? maximumDelay, maximumDelay)
    }

    /// `settling`: the status is known to change again soon (the StatefulSet controller has
    /// not created every pod yet), so a quiet moment is not the end of the change.
    public mutating func decide(_ key: ObjectKey, computed: ZookeeperClusterStatus, stored: ZookeeperClusterStatus?, settling: Bool = false,
                                now: Date) -> Decision {
        guard computed != stored else {
            pending[key] = nil
            return .upToDate
        }
        var entry = pending[key] ?? Pending(status: computed, firstDiffered: now, lastChanged: now)
        // Condition transition times are taken from the clock at each computation; a status
        // that differs from the pending one only in those has not changed.
        if Self.ignoringTransitionTimes(entry.status) != Self.ignoringTransitionTimes(computed) {
            entry.status = computed
            entry.lastChanged = now
        }
        let quietFor = now.timeIntervalSince(entry.lastChanged)
        let delayedFor = now.timeIntervalSince(entry.firstDiffered)
        let limit = settling ? settlingDelay : maximumDelay
        if (quietFor >= quietPeriod && !settling) || delayedFor >= limit || Self.losesAReadyMember(stored: stored, computed: entry.status) {
            pending[key] = nil
            return .write(entry.status)
        }
        pending[key] = entry
        // While settling, the event that ends it wakes the reconcile; the deadline is the backstop.
        let untilQuiet = settling ? .infinity : quietPeriod - quietFor
        return .wait(max(0.001, min(untilQuiet, limit - delayedFor)))
    }

    /// Drops what is pending for a cluster that is gone.
    public mutating func forget(_ key: ObjectKey) {
        pending[key] = nil
    }

    /// How many clusters have a status waiting (for tests).
    public var pendingCount: Int { pending.count }

    /// A member ready in `stored` that `computed` shows unready or without a pod entry.
    static func losesAReadyMember(stored: ZookeeperClusterStatus?, computed: ZookeeperClusterStatus) -> Bool {
        let readyNow = Set((computed.members ?? []).filter(\.ready).map(\.name))
        return (stored?.members ?? []).contains { $0.ready && !readyNow.contains($0.name) }
    }

    private static func ignoringTransitionTimes(_ status: ZookeeperClusterStatus) -> ZookeeperClusterStatus {
        var copy = status
        copy.conditions = copy.conditions?.map { condition in
            var condition = condition
            condition.lastTransitionTime = ""
            return condition
        }
        return copy
    }
}
