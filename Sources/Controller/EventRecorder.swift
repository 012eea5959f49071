import Foundation
import KubeClient
import KubeModel
import Synchronization

/// Where an ``EventRecorder`` writes Events; ``KubeEventSink`` does it through a `KubeClient`.
public protocol EventSink: Sendable {
    func create(namespace: String, event: JSONValue) async throws
    /// Merge-patches the Event; throws ``EventSinkError/notFound`` when it is gone.
    func patch(namespace: String, name: String, patch: JSONValue) async throws
}

/// Errors an ``EventSink`` reports to the recorder.
public enum EventSinkError: Error, Sendable, Equatable {
    case notFound
}

/// ``EventSink`` over the API server's core/v1 Events.
public struct KubeEventSink: EventSink {
    public let client: KubeClient

    public init(client: KubeClient) {
        self.client = client
    }

    public func create(namespace: String, event: JSONValue) async throws {
        _ = try await client.create(.events, namespace: namespace, object: event)
    }

    public func patch(namespace: String, name: String, patch: JSONValue) async throws {
        do {
            _ = try await client.patch(.events, namespace: namespace, name: name, patch: .merge(patch))
        } catch let error as KubeError where error.isNotFound {
            throw EventSinkError.notFound
        }
    }
}

/// Records Kubernetes Events (core/v1) about objects, aggregating repeats as client-go's
/// recorder does: the same (object, type, reason, message) again within ten minutes bumps
/// the existing Event's `count` and `lastTimestamp` instead of creating another.
///
/// Never throws: a lost Event must not fail a reconcile, so failures are logged and dropped.
public final class EventRecorder: Sendable {
    public enum EventType: String, Sendable { case normal = "Normal", warning = "Warning" }

    /// The component named as the Event's source and reporting component (e.g. "keeper").
    public let component: String
    private let host: String
    private let sink: any EventSink
    private let aggregator: Mutex<EventAggregator>
    private let log: ControllerLog
    private let clock = ContinuousClock()

    /// Messages longer than this are cut (the API server limits them).
    static let maxMessageLength = 1024

    public convenience init(client: KubeClient, component: String) {
        self.init(sink: KubeEventSink(client: client), component: component)
    }

    public init(sink: any EventSink, component: String, host: String = ProcessInfo.processInfo.hostName,
                window: Duration = .seconds(600), log: @escaping ControllerLog = { message in
                    FileHandle.standardError.write(Data((message + "\n").utf8))
                }) {
        self.sink = sink
        self.component = component
        self.host = host
        self.aggregator = Mutex(EventAggregator(window: window))
        self.log = log
    }

    /// Records `reason`/`message` on `object`. Never throws: a lost Event must not fail a reconcile.
    public func record<T: KubeObject>(_ type: EventType, reason: String, message: String, about object: T) async {
        let message = message.count > Self.maxMessageLength ? String(message.prefix(Self.maxMessageLength - 3)) + "..." : message
        let namespace = object.metadata.namespace ?? "default"
        let key = EventAggregator.Key(uid: object.metadata.uid ?? "", kind: T.resourceType.kind, namespace: namespace,
                                      name: object.metadata.name ?? "", type: type.rawValue, reason: reason, message: message)
        let now = clock.now
        let wallNow = Date()
        let action = aggregator.withLock { $0.record(key, now: now, wallNow: wallNow) }
        do {
            switch action {
            case .create(let eventName, let timestamp):
                do {
                    try await sink.create(namespace: namespace, event: event(named: eventName, type: type, reason: reason, message: message,
                                                                             about: object, timestamp: timestamp))
                } catch {
                    // Not written, so the next occurrence must create rather than patch.
                    aggregator.withLock { $0.forget(key) }
                    throw error
                }
            case .patch(let eventName, let count, let timestamp):
                do {
                    try await sink.patch(namespace: namespace, name: eventName, patch: ["count": .int(Int64(count)), "lastTimestamp": .string(timestamp)])
                } catch EventSinkError.notFound {
                    // Expired or deleted meanwhile: start a new Event.
                    let fresh = aggregator.withLock { aggregator in
                        aggregator.forget(key)
                        return aggregator.record(key, now: now, wallNow: wallNow)
                    }
                    if case .create(let name, let stamp) = fresh {
                        try await sink.create(namespace: namespace, event: event(named: name, type: type, reason: reason, message: message,
                                                                                 about: object, timestamp: stamp))
                    }
                }
            }
        } catch {
            log("event \(type.rawValue) \(reason) on \(T.resourceType.kind) \(namespace)/\(object.metadata.name ?? "") dropped: \(error)")
        }
    }

    /// The core/v1 Event body for a first occurrence.
    func event<T: KubeObject>(named name: String, type: EventType, reason: String, message: String, about object: T, timestamp: String) -> JSONValue {
        let event = Event(
            metadata: ObjectMeta(name: name, namespace: object.metadata.namespace ?? "default"),
            involvedObject: ObjectReference(apiVersion: T.resourceType.apiVersion, kind: T.resourceType.kind,
                                            namespace: object.metadata.namespace, name: object.metadata.name ?? "",
                                            uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion),
            reason: reason, message: message, type: type.rawValue, count: 1,
            firstTimestamp: timestamp, lastTimestamp: timestamp,
            source: EventSource(component: component, host: host),
            reportingComponent: component, reportingInstance: host)
        // Encoding plain strings and numbers cannot fail; an empty body would be refused and logged.
        return (try? JSONValue(encoding: event)) ?? [:]
    }
}
