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

    /// RFC 3339 in UTC with whole seconds, as `metav1.Time` serialises.
    public static func timestamp(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil-from-days (Howard Hinnant's algorithm): no Calendar or formatter needed.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(secondOfDay / 3600)):\(pad(secondOfDay % 3600 / 60)):\(pad(secondOfDay % 60))Z"
    }
}
