/// Why `Available` is what it is.
public enum AvailableReason: String, Sendable, Hashable {
    case quorumAvailable = "QuorumAvailable"
    case noQuorum = "NoQuorum"
    case noLeader = "NoLeader"
    case noMembers = "NoMembers"
    /// A single leader answered, but not with its committed configuration.
    case membershipUnknown = "MembershipUnknown"
}

/// Why `Progressing` is what it is.
public enum ProgressingReason: String, Sendable, Hashable {
    case creating = "Creating"
    case waitingForMembers = "WaitingForMembers"
    /// The StatefulSet has fewer pods than replicas (see `PodCreation`).
    case waitingForPods = "WaitingForPods"
    /// The StatefulSet controller cannot create pods (its `FailedCreate` Event says why).
    case failedCreate = "FailedCreate"
    case rollingRestart = "RollingRestart"
    case scalingUp = "ScalingUp"
    case scalingDown = "ScalingDown"
    case membersOutdated = "MembersOutdated"
    case invalidSpec = "InvalidSpec"
    case converged = "Converged"
}

/// Why `Degraded` is what it is.
public enum DegradedReason: String, Sendable, Hashable {
    case invalidSpec = "InvalidSpec"
    case applyFailed = "ApplyFailed"
    /// Pods have not been created for a while (see `PodCreationFailure`).
    case failedCreate = "FailedCreate"
    case rolloutHalted = "RolloutHalted"
    /// A running member is not in the committed configuration, or a voter has no pod, and no
    /// scaling step explains it.
    case membershipMismatch = "MembershipMismatch"
    case asExpected = "AsExpected"
}

/// What the planners are doing this reconcile, as `Progressing` tells it.
public struct EnsembleProgress: Sendable, Hashable {
    public var reason: ProgressingReason
    public var message: String

    public init(_ reason: ProgressingReason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}
