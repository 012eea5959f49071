import Controller
import KubeModel
import Synchronization

/// Keeper's own writes that the informers may not have delivered yet.
///
/// A reconcile reads caches that watches fill a little after each write. Without this memory a
/// reconcile woken by the watch event of the first child Keeper created would find the other
/// children still missing and apply them again, and would write a status the server already
/// has, from a stale resourceVersion (a 409, then a retry). Each write is remembered with the
/// resourceVersion it replaced (none for a create); while the cache still shows that version,
/// the written object is the newer truth. Any other version means the cache has caught up, or
/// someone wrote after Keeper: the memory is dropped and the cache wins. The informers also
/// report every change (`observe`), so an object created and deleted again before any
/// reconcile looked is not taken for present. Entries expire after `lifetime` in any case.
public final class RecentWrites: Sendable {
    private struct Entry: @unchecked Sendable {
        var replacedVersion: String?
        /// A `KubeObject`, which are all value types of Sendable parts.
        var written: Any
        var recordedAt: ContinuousClock.Instant
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var lastPruned = ContinuousClock.now
    }

    private let state = Mutex(State())
    private let lifetime: Duration

    public init(lifetime: Duration = .seconds(30)) {
        self.lifetime = lifetime
    }

    /// Remembers that `written` (as the server returned it) replaced `live` (nil: created).
    public func record<T: KubeObject>(_ written: T, replacing live: T?) {
        let now = ContinuousClock.now
        state.withLock { state in
            // Expired entries of objects no reconcile reads again go in a sweep now and then,
            // not on every write: a burst of thousands of writes should not copy the table each time.
            if now - state.lastPruned >= lifetime {
                state.entries = state.entries.filter { now - $0.value.recordedAt < lifetime }
                state.lastPruned = now
            }
            state.entries[Self.key(T.self, namespace: written.metadata.namespace, name: written.name)] =
                Entry(replacedVersion: live?.metadata.resourceVersion, written: written, recordedAt: now)
        }
    }

    /// The freshest known version of an object: what Keeper wrote, while `cached` (the
    /// informer's copy, nil when absent) still predates that write; otherwise `cached`.
    public func current<T: KubeObject>(_ cached: T?, _ type: T.Type = T.self, namespace: String?, name: String) -> T? {
        let key = Self.key(T.self, namespace: namespace, name: name)
        return state.withLock { state in
            guard let entry = state.entries[key] else { return cached }
            guard ContinuousClock.now - entry.recordedAt < lifetime, cached?.metadata.resourceVersion == entry.replacedVersion,
                  let written = entry.written as? T else {
                state.entries[key] = nil
                return cached
            }
            return written
        }
    }

    /// Forgets the write of this object once its informer delivers a later state of it: a
    /// version other than the one the write replaced, or its deletion.
    public func observe<T: KubeObject>(_ change: StoreChange<T>) {
        let object = change.object
        let key = Self.key(T.self, namespace: object.metadata.namespace, name: object.name)
        state.withLock { state in
            guard let entry = state.entries[key] else { return }
            if case .deleted = change {
                state.entries[key] = nil
            } else if object.metadata.resourceVersion != entry.replacedVersion {
                state.entries[key] = nil
            }
        }
    }

    /// How many writes are remembered (for tests).
    var count: Int { state.withLock { $0.entries.count } }

    private static func key<T: KubeObject>(_ type: T.Type, namespace: String?, name: String) -> String {
        "\(T.resourceType.apiVersion)/\(T.resourceType.kind)/\(namespace ?? "")/\(name)"
    }
}
