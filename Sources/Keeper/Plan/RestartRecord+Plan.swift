import Foundation
import KubeModel

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
    public var startedAtDate: Date? { RFC3339.date(startedAt) }

    /// RFC 3339 with second precision, as Kubernetes writes `metav1.Time`.
    static func format(_ date: Date) -> String { RFC3339.seconds(date) }
}
