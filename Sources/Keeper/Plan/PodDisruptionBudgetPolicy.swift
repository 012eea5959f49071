import Foundation

/// How many member pods the PodDisruptionBudget lets voluntary disruptions (drains, evictions)
/// take at once, following the committed voters.
public enum PodDisruptionBudgetPolicy {
    /// `max(1, voters - quorum - 1)`: 3 → 1, 5 → 1, 7 → 2. It keeps one more voter than a
    /// quorum serving, so an unplanned failure during a drain does not take the ensemble out,
    /// and never blocks drains entirely (a 1- or 3-member ensemble still allows one).
    public static func maxUnavailable(voters: Int) -> Int {
        max(1, voters - ScalingPlanner.quorum(voters) - 1)
    }
}
