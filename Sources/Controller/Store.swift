import KubeModel

/// STUB SURFACE (the controller branch fills it in): an informer's cache of one resource
/// type, fed by a watcher's events and read by reconcilers.
public final class Store<Object: KubeObject>: Sendable {
    public init() {}
    /// Applies one watcher event (`initStarted`...`initDone` swap the whole content).
    public func apply(_ event: WatcherEvent<Object>) {}
    public func get(_ key: ObjectKey) -> Object? { nil }
    public func list(namespace: String? = nil) -> [Object] { [] }
    /// True once the first list has been applied completely.
    public var hasSynced: Bool { false }
}
