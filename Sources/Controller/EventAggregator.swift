import Foundation
import KubeModel

/// The decision core of ``EventRecorder``: which Event a new occurrence goes to. Repeats of
/// the same (object, type, reason, message) within `window` of the previous one bump that
/// Event's count instead of creating another, as client-go's recorder does. Pure: the clock
/// comes in as arguments.
public struct EventAggregator: Sendable {
    public typealias Instant = ContinuousClock.Instant

    /// What makes two occurrences the same Event.
    public struct Key: Hashable, Sendable {
        public var uid: String
        public var kind: String
        public var namespace: String
        public var name: String
        public var type: String
        public var reason: String
        public var message: String

        public init(uid: String, kind: String, namespace: String, name: String, type: String, reason: String, message: String) {
            self.uid = uid
            self.kind = kind
            self.namespace = namespace
            self.name = name
            self.type = type
            self.reason = reason
            self.message = message
        }
    }

    /// What to write for one occurrence.
    public enum Action: Sendable, Equatable {
        /// A new Event named `eventName` with count 1.
        case create(eventName: String, timestamp: String)
        /// Bump the existing Event to `count` and its lastTimestamp to `timestamp`.
        case patch(eventName: String, count: Int, timestamp: String)
    }

    private struct Entry {
        var eventName: String
        var count: Int
        var lastSeen: Instant
    }

    public let window: Duration
    public let capacity: Int
    private var entries: [Key: Entry] = [:]

    public init(window: Duration = .seconds(600), capacity: Int = 4096) {
        self.window = window
        self.capacity = max(1, capacity)
    }

    /// Decides where an occurrence of `key` goes.
    public mutating func record(_ key: Key, now: Instant, wallNow: Date) -> Action {
        let stamp = RFC3339.seconds(wallNow)
        if var entry = entries[key], now - entry.lastSeen <= window {
            entry.count += 1
            entry.lastSeen = now
            entries[key] = entry
            return .patch(eventName: entry.eventName, count: entry.count, timestamp: stamp)
        }
        if entries[key] == nil && entries.count >= capacity { evictOldest() }
        // client-go's naming: the object's name and the time in nanoseconds, in hex.
        let nanos = UInt64(max(0, wallNow.timeIntervalSince1970 * 1_000_000_000))
        let name = "\(key.name).\(String(nanos, radix: 16))"
        entries[key] = Entry(eventName: name, count: 1, lastSeen: now)
        return .create(eventName: name, timestamp: stamp)
    }

    /// Forgets `key`, e.g. when its Event was deleted (the next occurrence creates a new one).
    public mutating func forget(_ key: Key) {
        entries[key] = nil
    }

    /// How many distinct Events are remembered.
    public var count: Int { entries.count }

    private mutating func evictOldest() {
        guard let oldest = entries.min(by: { $0.value.lastSeen < $1.value.lastSeen })?.key else { return }
        entries[oldest] = nil
    }

}
