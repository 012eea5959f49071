import KubeModel
import KubeClient

/// STUB SURFACE (the controller branch fills it in): records Kubernetes Events about an
/// object, aggregating repeats (count, lastTimestamp) as client-go's recorder does.
public final class EventRecorder: Sendable {
    public enum EventType: String, Sendable { case normal = "Normal", warning = "Warning" }

    public init(client: KubeClient, component: String) {}

    /// Records `reason`/`message` on `object`. Never throws: a lost Event must not fail a reconcile.
    public func record<T: KubeObject>(_ type: EventType, reason: String, message: String, about object: T) async {}
}
