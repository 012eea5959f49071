import KubeModel
import Synchronization

/// Shares one copy of equal strings and label maps among cached objects.
///
/// An informer cache of thousands of similar objects holds thousands of copies of the same
/// label keys (`app.kubernetes.io/instance`), owner API versions, selectors and scripts.
/// Swift keeps a string of up to 15 UTF-8 bytes inline, but every longer one decoded from JSON
/// has a buffer of its own, and every map has its own table. Copies of a `String` or a
/// `Dictionary` share their storage, so handing out the first-seen equal value shares it.
///
/// Each table forgets everything once it holds `capacity` entries: values that stop recurring
/// (names of deleted clusters, per-object hashes) cannot grow it without bound. Values handed
/// out before stay shared; later ones start sharing again.
public final class Interner: Sendable {
    private struct Tables {
        var strings: Set<String> = []
        var maps: Set<[String: String]> = []
        var values: Set<AnyHashable> = []
    }

    /// Strings of this many UTF-8 bytes or fewer are stored inline: nothing to share.
    static let inlineLimit = 15

    public let capacity: Int
    private let tables = Mutex(Tables())

    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    /// The first-seen string equal to `value`.
    public func string(_ value: String) -> String {
        guard value.utf8.count > Self.inlineLimit else { return value }
        return tables.withLock { string(value, in: &$0) }
    }

    public func string(_ value: String?) -> String? {
        value.map(string)
    }

    /// The first-seen map equal to `map`, its keys and values interned too.
    public func map(_ map: [String: String]?) -> [String: String]? {
        guard let map, !map.isEmpty else { return map }
        return tables.withLock { tables in
            if let index = tables.maps.firstIndex(of: map) { return tables.maps[index] }
            var shared: [String: String] = [:]
            shared.reserveCapacity(map.count)
            for (key, value) in map { shared[string(key, in: &tables)] = string(value, in: &tables) }
            if tables.maps.count >= capacity { tables.maps.removeAll() }
            tables.maps.insert(shared)
            return shared
        }
    }

    /// `map` with interned keys and its own values: for maps whose values rarely recur (the
    /// annotations, which carry per-object hashes), where interning the whole map would only
    /// fill the table.
    public func keys(_ map: [String: String]?) -> [String: String]? {
        guard let map, !map.isEmpty else { return map }
        return tables.withLock { tables in
            var shared: [String: String] = [:]
            shared.reserveCapacity(map.count)
            for (key, value) in map { shared[string(key, in: &tables)] = value }
            return shared
        }
    }

    /// The first-seen value equal to `value`: for parts that are the same in many objects
    /// (a pod template's containers, a Service's ports), shared whole.
    public func value<T: Hashable & Sendable>(_ value: T) -> T {
        tables.withLock { tables in
            let key = AnyHashable(value)
            if let index = tables.values.firstIndex(of: key), let shared = tables.values[index].base as? T { return shared }
            if tables.values.count >= capacity { tables.values.removeAll() }
            tables.values.insert(key)
            return value
        }
    }

    public func value<T: Hashable & Sendable>(_ value: T?) -> T? {
        value.map { self.value($0) }
    }

    /// Metadata with its labels, annotation keys and owner references shared.
    public func metadata(_ metadata: ObjectMeta) -> ObjectMeta {
        var shared = metadata
        shared.labels = map(metadata.labels)
        shared.annotations = keys(metadata.annotations)
        shared.ownerReferences = metadata.ownerReferences?.map { reference in
            var reference = reference
            reference.apiVersion = string(reference.apiVersion)
            reference.kind = string(reference.kind)
            reference.name = string(reference.name)
            reference.uid = string(reference.uid)
            return reference
        }
        shared.creationTimestamp = string(metadata.creationTimestamp)
        return shared
    }

    /// A label selector with its `matchLabels` shared.
    public func selector(_ selector: LabelSelector?) -> LabelSelector? {
        guard var selector else { return nil }
        selector.matchLabels = map(selector.matchLabels)
        return selector
    }

    /// How many strings and maps the tables hold (for tests).
    public var counts: (strings: Int, maps: Int, values: Int) {
        tables.withLock { ($0.strings.count, $0.maps.count, $0.values.count) }
    }

    private func string(_ value: String, in tables: inout Tables) -> String {
        guard value.utf8.count > Self.inlineLimit else { return value }
        if tables.strings.count >= capacity, !tables.strings.contains(value) { tables.strings.removeAll() }
        return tables.strings.insert(value).memberAfterInsert
    }
}
