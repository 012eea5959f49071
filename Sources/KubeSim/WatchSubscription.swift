import Dispatch
import Foundation
import KubeModel
import Synchronization

/// One committed change, as the store's history and watchers see it.
public final class WatchRecord: Sendable {
    public let revision: Int64
    public let storageKey: String
    /// `ADDED`, `MODIFIED` or `DELETED`.
    public let type: String
    public let object: JSONValue
    /// The object before a modification or deletion (to turn a MODIFIED into ADDED/DELETED
    /// for a watcher whose selector the object entered or left).
    public let previous: JSONValue?
    /// The plain JSON event line, encoded once and shared by every watcher that sends it as is.
    private let encoded = Mutex<Data?>(nil)

    init(revision: Int64, storageKey: String, type: String, object: JSONValue, previous: JSONValue?) {
        self.revision = revision
        self.storageKey = storageKey
        self.type = type
        self.object = object
        self.previous = previous
    }

    public var namespace: String? { object[path: ["metadata", "namespace"]]?.stringValue }

    /// `{"type":...,"object":...}\n`, computed once.
    func encodedLine() -> Data {
        encoded.withLock { cached in
            if let cached { return cached }
            let line = WatchRecord.line(type: type, object: object)
            cached = line
            return line
        }
    }

    static func line(type: String, object: JSONValue) -> Data {
        var data = JSONWriter.data(["type": .string(type), "object": object])
        data.append(10)
        return data
    }
}

/// A watcher's queue of records: the store appends under its lock, the watch thread drains.
public final class WatchSubscription: Sendable {
    let id: Int
    let storageKey: String?
    private let queue = Mutex<(records: [WatchRecord], closed: Bool)>(([], false))
    private let signal = DispatchSemaphore(value: 0)
    private let onCancel: @Sendable (Int) -> Void

    init(id: Int, storageKey: String?, onCancel: @escaping @Sendable (Int) -> Void) {
        self.id = id
        self.storageKey = storageKey
        self.onCancel = onCancel
    }

    func push(_ record: WatchRecord) {
        let wasEmpty = queue.withLock { queue -> Bool in
            let empty = queue.records.isEmpty
            queue.records.append(record)
            return empty
        }
        if wasEmpty { signal.signal() }
    }

    /// Ends the subscription from the server side (`closeAllWatches`, stop).
    func close() {
        queue.withLock { $0.closed = true }
        signal.signal()
    }

    var isClosed: Bool { queue.withLock { $0.closed } }

    /// Waits up to `timeout` for records and returns all queued ones (maybe none).
    public func next(timeout: TimeInterval) -> [WatchRecord] {
        let immediate = queue.withLock { queue -> [WatchRecord] in
            let records = queue.records
            queue.records.removeAll()
            return records
        }
        if !immediate.isEmpty || isClosed { return immediate }
        _ = signal.wait(timeout: .now() + timeout)
        return queue.withLock { queue in
            let records = queue.records
            queue.records.removeAll()
            return records
        }
    }

    /// Unregisters from the store.
    public func cancel() { onCancel(id) }
}
