import Foundation

extension RestartRecord {
    /// The record the reconciler writes to the status before evicting `step`'s pod.
    /// - Parameters:
    ///   - revision: the StatefulSet's update revision the member is restarted onto.
    ///   - startedAt: when the restart is asked for.
    public init(step: RestartStep, revision: String?, startedAt: Date) {
        self.init(member: step.member, podUID: step.podUID, revision: revision, leaderZxid: step.leaderZxid,
                  startedAt: Self.format(startedAt))
    }

    /// `startedAt` parsed (RFC 3339, with or without fractional seconds); nil when it does not
    /// parse, and then the rollout waits without halting.
    public var startedAtDate: Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: startedAt) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: startedAt)
    }

    /// RFC 3339 with second precision, as Kubernetes writes `metav1.Time`.
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
