import Foundation
import KubeModel

/// Why the StatefulSet controller cannot create a member pod: the message of its latest
/// `FailedCreate` Warning Event on the StatefulSet (`recordPodEvent` in
/// `pkg/controller/statefulset/stateful_pod_control.go`: `create Pod zk-0 in StatefulSet zk
/// failed error: pods "zk-0" is forbidden: ...`), which is where a refused pod (Pod Security,
/// ResourceQuota, a missing ServiceAccount, an invalid field) is reported and nowhere else.
public struct PodCreationFailure: Hashable, Sendable {
    /// The Event's message.
    public var message: String
    /// When the controller first reported it (the Event's `firstTimestamp`).
    public var since: Date?

    /// How long a failure lasts before `Degraded` reports it too (before, `Progressing` does).
    public static let persistsAfter: TimeInterval = 60

    public init(message: String, since: Date? = nil) {
        self.message = message
        self.since = since
    }

    /// The field selector that lists just the set's `FailedCreate` Events (both fields are
    /// among the selectable fields of events, `pkg/registry/core/event/strategy.go`
    /// `ToSelectableFields`; kube-sim reads any field path).
    public static func fieldSelector(statefulSetUID uid: String) -> String {
        "involvedObject.uid=\(uid),reason=FailedCreate"
    }

    /// The latest `FailedCreate` among `events`, unless a member pod was created after it
    /// (then the controller got past it and it is history).
    public static func latest(in events: [Event], pods: [Pod]) -> PodCreationFailure? {
        let failures = events.filter { $0.reason == "FailedCreate" && $0.type == "Warning" && $0.message != nil }
        guard let event = failures.max(by: { timestamp($0) < timestamp($1) }), let message = event.message else { return nil }
        let newestPod = pods.compactMap(\.metadata.creationTimestamp).max() ?? ""
        // RFC 3339 UTC timestamps of equal precision order as strings.
        guard timestamp(event) >= newestPod else { return nil }
        return PodCreationFailure(message: message, since: (event.firstTimestamp ?? event.lastTimestamp).flatMap(date))
    }

    /// Whether it has lasted `persistsAfter` by `now`.
    public func persists(at now: Date) -> Bool {
        since.map { now.timeIntervalSince($0) >= Self.persistsAfter } ?? false
    }

    private static func timestamp(_ event: Event) -> String {
        event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? ""
    }

    private static func date(_ text: String) -> Date? {
        ISO8601DateFormatter().date(from: text)
    }
}
