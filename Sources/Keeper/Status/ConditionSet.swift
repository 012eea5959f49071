import Foundation
import KubeModel

/// Condition types and `meta.SetStatusCondition` semantics.
public enum ConditionSet {
    public static let available = "Available"
    public static let progressing = "Progressing"
    public static let degraded = "Degraded"

    /// Sets `condition` in `conditions` as apimachinery's `SetStatusCondition` does:
    /// `lastTransitionTime` changes only when the status flips (or the condition is new);
    /// reason, message and observedGeneration are always updated.
    public static func set(_ condition: Condition, in conditions: inout [Condition]) {
        guard let index = conditions.firstIndex(where: { $0.type == condition.type }) else {
            conditions.append(condition)
            return
        }
        var updated = condition
        if conditions[index].status == condition.status {
            updated.lastTransitionTime = conditions[index].lastTransitionTime
        }
        conditions[index] = updated
    }
}
