import KubeModel

/// What a reconcile asks of the controller loop when it returns normally. A reconcile that
/// throws is retried with per-key exponential backoff.
public enum ReconcileAction: Sendable, Equatable {
    /// Converged (or waiting on an event that will wake it): only the periodic resync comes back.
    case done
    /// Come back after this long even if nothing changes, e.g. while a rollout waits on a member.
    case requeue(after: Duration)
}

/// controller-runtime's small interface: bring the world in line with the object named by
/// `key`, reading state from caches, never from the event that woke it.
public protocol Reconciler: Sendable {
    func reconcile(_ key: ObjectKey) async throws -> ReconcileAction
}
