import Foundation
import KubeModel
import Synchronization

/// Errors of the object store; the API layer turns them into `Status` responses.
enum StoreError: Error, Equatable {
    case notFound
    case alreadyExists
    case conflict
    /// A watch or continue token from before the history window; `oldest` is the first revision still known.
    case tooOld(oldest: Int64)
}

/// The in-memory equivalent of etcd: objects by storage key (`plural.group`) and
/// namespace/name, one global revision counter stamped as `metadata.resourceVersion` on
/// every write, a bounded history of changes for watches, and watcher fan-out.
public final class ObjectStore: Sendable {
    private struct State {
        var revision: Int64 = 1
        var objects: [String: [ObjectKey: JSONValue]] = [:]
        /// Per storage key, the keys of the objects each controller (the uid of an owner
        /// reference with `controller: true`) controls.
        var controlled: [String: [String: Set<ObjectKey>]] = [:]
        var history: [WatchRecord] = []
        var historyStart = 0
        /// Every change after this revision is still in `history`.
        var compactedRevision: Int64 = 0
        var nextSubscriptionID = 0
        var subscriptions: [Int: WatchSubscription] = [:]
        var commitHooks: [@Sendable (WatchRecord) -> Void] = []
    }

    private let state = Mutex(State())
    private let historyCapacity: Int

    init(historyCapacity: Int) {
        self.historyCapacity = max(historyCapacity, 1)
    }

    /// The latest committed revision.
    public var revision: Int64 { state.withLock { $0.revision } }

    /// The oldest revision a watch may start from.
    public var compactedRevision: Int64 { state.withLock { $0.compactedRevision } }

    /// How many objects of one resource are stored (`storageKey` is `plural.group`, or
    /// `plural` for the core group): lets benchmarks poll without making counted requests.
    public func count(_ storageKey: String) -> Int {
        state.withLock { $0.objects[storageKey]?.count ?? 0 }
    }

    /// Watch streams open right now.
    public var openWatchCount: Int { state.withLock { $0.subscriptions.count } }

    func get(_ storageKey: String, _ key: ObjectKey) -> JSONValue? {
        state.withLock { $0.objects[storageKey]?[key] }
    }

    /// Objects sorted by key (as etcd ranges return them) and the revision they reflect.
    func list(_ storageKey: String, namespace: String?) -> (items: [(key: ObjectKey, object: JSONValue)], revision: Int64) {
        state.withLock { state in
            let all = state.objects[storageKey] ?? [:]
            let items = all.filter { namespace == nil || $0.key.namespace == namespace }
                .map { (key: $0.key, object: $0.value) }
                .sorted { $0.key < $1.key }
            return (items, state.revision)
        }
    }

    /// The objects of `storageKey` in `namespace` that have a controller reference to `uid`,
    /// sorted by key: what filtering `list` by owner gives, without reading the others.
    func controlled(_ storageKey: String, namespace: String?, by uid: String) -> [(key: ObjectKey, object: JSONValue)] {
        state.withLock { state in
            guard let keys = state.controlled[storageKey]?[uid], let objects = state.objects[storageKey] else { return [] }
            return keys.filter { namespace == nil || $0.namespace == namespace }.sorted()
                .compactMap { key in objects[key].map { (key: key, object: $0) } }
        }
    }

    /// The uids of `object`'s controller references.
    private static func controllerUIDs(_ object: JSONValue?) -> [String] {
        (object?[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).compactMap { reference in
            reference["controller"]?.boolValue == true ? reference["uid"]?.stringValue : nil
        }
    }

    /// Runs `body` after every commit (outside the store's lock), e.g. to wake controllers.
    func addCommitHook(_ body: @escaping @Sendable (WatchRecord) -> Void) {
        state.withLock { $0.commitHooks.append(body) }
    }

    func create(_ storageKey: String, _ key: ObjectKey, _ object: JSONValue) throws(StoreError) -> JSONValue {
        try commit(storageKey, key) { current throws(StoreError) in
            if current != nil { throw .alreadyExists }
            return (object, "ADDED")
        }
    }

    /// Replaces an object; `expectedRevision` (the client's resourceVersion) must match when given.
    func update(_ storageKey: String, _ key: ObjectKey, _ object: JSONValue, expectedRevision: String?) throws(StoreError) -> JSONValue {
        try commit(storageKey, key) { current throws(StoreError) in
            guard let current else { throw .notFound }
            if let expectedRevision, current[path: ["metadata", "resourceVersion"]]?.stringValue != expectedRevision { throw .conflict }
            return (object, "MODIFIED")
        }
    }

    func delete(_ storageKey: String, _ key: ObjectKey, expectedRevision: String?) throws(StoreError) -> JSONValue {
        try commit(storageKey, key) { current throws(StoreError) in
            guard let current else { throw .notFound }
            if let expectedRevision, current[path: ["metadata", "resourceVersion"]]?.stringValue != expectedRevision { throw .conflict }
            return (nil, "DELETED")
        }
    }

    private func commit(_ storageKey: String, _ key: ObjectKey,
                        _ decide: (JSONValue?) throws(StoreError) -> (JSONValue?, String)) throws(StoreError) -> JSONValue {
        let (record, hooks) = try state.withLock { state throws(StoreError) -> (WatchRecord, [@Sendable (WatchRecord) -> Void]) in
            let current = state.objects[storageKey]?[key]
            let (new, type) = try decide(current)
            state.revision += 1
            let (before, after) = (Self.controllerUIDs(current), Self.controllerUIDs(new))
            if before != after {
                for uid in before { state.controlled[storageKey]?[uid]?.remove(key) }
                for uid in before where state.controlled[storageKey]?[uid]?.isEmpty == true { state.controlled[storageKey]?[uid] = nil }
                for uid in after { state.controlled[storageKey, default: [:]][uid, default: []].insert(key) }
            }
            let stamped: JSONValue
            if var new {
                new[path: ["metadata", "resourceVersion"]] = .string(String(state.revision))
                state.objects[storageKey, default: [:]][key] = new
                stamped = new
            } else {
                var deleted = current ?? [:]
                deleted[path: ["metadata", "resourceVersion"]] = .string(String(state.revision))
                state.objects[storageKey]?[key] = nil
                stamped = deleted
            }
            let record = WatchRecord(revision: state.revision, storageKey: storageKey, type: type, object: stamped, previous: current)
            state.history.append(record)
            if state.history.count - state.historyStart > historyCapacity {
                state.compactedRevision = state.history[state.historyStart].revision
                state.historyStart += 1
                // Drop the consumed prefix in bulk, not on every write.
                if state.historyStart > historyCapacity {
                    state.history.removeFirst(state.historyStart)
                    state.historyStart = 0
                }
            }
            for subscription in state.subscriptions.values where subscription.storageKey == nil || subscription.storageKey == storageKey {
                subscription.push(record)
            }
            return (record, state.commitHooks)
        }
        for hook in hooks { hook(record) }
        return record.object
    }

    /// Registers a watcher on `storageKey` (nil: everything) that receives every change after
    /// `revision`: the retained history first, then live changes.
    func subscribe(storageKey: String?, after revision: Int64) throws(StoreError) -> WatchSubscription {
        try state.withLock { state throws(StoreError) -> WatchSubscription in
            if revision < state.compactedRevision { throw .tooOld(oldest: state.compactedRevision + 1) }
            state.nextSubscriptionID += 1
            let subscription = WatchSubscription(id: state.nextSubscriptionID, storageKey: storageKey) { [weak self] id in
                self?.unsubscribe(id)
            }
            for record in state.history[state.historyStart...] where record.revision > revision {
                if storageKey == nil || record.storageKey == storageKey { subscription.push(record) }
            }
            state.subscriptions[subscription.id] = subscription
            return subscription
        }
    }

    private func unsubscribe(_ id: Int) {
        _ = state.withLock { $0.subscriptions.removeValue(forKey: id) }
    }

    /// Forgets all history: afterwards a watch or continue token from an older revision gets 410.
    func compact() {
        state.withLock { state in
            state.compactedRevision = state.revision
            state.history.removeAll()
            state.historyStart = 0
        }
    }

    /// Ends every open watch (the subscriptions see `isClosed`).
    func closeAllSubscriptions() {
        let subscriptions = state.withLock { Array($0.subscriptions.values) }
        for subscription in subscriptions { subscription.close() }
    }

    /// Checks whether `revision` is still inside the history window.
    func checkNotCompacted(_ revision: Int64) throws(StoreError) {
        let compacted = compactedRevision
        if revision < compacted { throw .tooOld(oldest: compacted + 1) }
    }
}
