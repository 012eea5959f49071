import KubeClient
import KubeModel
import Synchronization

/// A reflector and informer in one: consumes watcher streams (list, then watch, relisting
/// as needed) into a ``Store`` and tells handlers what changed.
///
/// The watcher source is a closure, so tests feed scripted event sequences without a
/// server; ``init(client:namespaces:labelSelector:fieldSelector:)`` wires it to
/// `KubeClient.watcher`. Several sources (one per namespace) feed one store, each as its
/// own partition, so the relist of one namespace never drops another's objects.
public final class Informer<Object: KubeObject>: Sendable {
    /// Opens one watcher stream. Called once per ``run()``.
    public typealias Source = @Sendable () -> AsyncStream<WatcherEvent<Object>>
    /// Called, in order, for every change the watcher brings; must not block.
    public typealias Handler = @Sendable (StoreChange<Object>) -> Void
    /// Trims each object before it is cached (client-go's transform): what a reconciler never
    /// reads need not be held for every object of the cluster.
    public typealias Transform = @Sendable (Object) -> Object

    /// The cache this informer fills.
    public let store: Store<Object>
    private let sources: [String: Source]
    private let transform: Transform?
    private let handlers = Mutex<[Handler]>([])
    private let synced = SyncGate()

    /// An informer fed by a single watcher.
    public convenience init(source: @escaping Source, transform: Transform? = nil) {
        self.init(sources: ["": source], transform: transform)
    }

    /// An informer fed by several watchers, keyed by a partition name (e.g. the namespace).
    public init(sources: [String: Source], transform: Transform? = nil) {
        self.sources = sources.isEmpty ? ["": { AsyncStream { $0.finish() } }] : sources
        self.transform = transform
        store = Store(partitions: Set(self.sources.keys))
    }

    /// An informer over `namespaces` (nil or empty: all namespaces) through `client`.
    public convenience init(client: KubeClient, namespaces: [String]? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
                            transform: Transform? = nil) {
        let namespaces = Set(namespaces ?? [])
        if namespaces.isEmpty || !Object.resourceType.namespaced {
            self.init(source: { client.watcher(Object.self, namespace: nil, labelSelector: labelSelector, fieldSelector: fieldSelector) },
                      transform: transform)
        } else {
            var sources: [String: Source] = [:]
            for namespace in namespaces {
                sources[namespace] = { client.watcher(Object.self, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector) }
            }
            self.init(sources: sources, transform: transform)
        }
    }

    /// Adds a handler. Add handlers before ``run()``: a handler added later misses the
    /// changes already applied (the store still has them).
    public func addHandler(_ handler: @escaping Handler) {
        handlers.withLock { $0.append(handler) }
    }

    /// True once every source has delivered its first complete list.
    public var hasSynced: Bool { store.hasSynced }

    /// Waits until ``hasSynced``; false if the calling task is cancelled first.
    public func waitForSync() async -> Bool {
        await synced.wait()
    }

    /// Consumes every source until all streams end or the calling task is cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for (partition, source) in sources {
                group.addTask { await self.consume(source(), partition: partition) }
            }
        }
    }

    private func consume(_ stream: AsyncStream<WatcherEvent<Object>>, partition: String) async {
        for await event in stream {
            let changes = store.apply(transformed(event), partition: partition)
            if !changes.isEmpty {
                let handlers = handlers.withLock { $0 }
                for change in changes {
                    for handler in handlers { handler(change) }
                }
            }
            // After the handlers, so whoever waits for sync finds the initial keys queued.
            if case .initDone = event, store.hasSynced { synced.open() }
        }
    }

    private func transformed(_ event: WatcherEvent<Object>) -> WatcherEvent<Object> {
        guard let transform else { return event }
        switch event {
        case .initStarted, .initDone: return event
        case .initApply(let object): return .initApply(transform(object))
        case .apply(let object): return .apply(transform(object))
        case .delete(let object): return .delete(transform(object))
        }
    }
}
