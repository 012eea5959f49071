import Foundation
import KubeModel
import Synchronization
@testable import Controller

/// A minimal namespaced object for driving stores and informers.
struct Widget: KubeObject, Equatable {
    static let resourceType = ResourceType(group: "test.dev", version: "v1", kind: "Widget", plural: "widgets", namespaced: true)
    var metadata: ObjectMeta

    init(_ name: String, namespace: String = "default", rv: String = "1", uid: String? = nil, labels: [String: String]? = nil, owner: OwnerReference? = nil) {
        metadata = ObjectMeta(name: name, namespace: namespace, labels: labels, ownerReferences: owner.map { [$0] })
        metadata.resourceVersion = rv
        metadata.uid = uid ?? "uid-\(namespace)-\(name)"
    }
}

/// A child object type, owned by widgets.
struct Gadget: KubeObject, Equatable {
    static let resourceType = ResourceType(group: "", version: "v1", kind: "Gadget", plural: "gadgets", namespaced: true)
    var metadata: ObjectMeta

    init(_ name: String, namespace: String = "default", rv: String = "1", labels: [String: String]? = nil, ownerWidget: String? = nil, controller: Bool = true, kind: String = "Widget") {
        metadata = ObjectMeta(name: name, namespace: namespace, labels: labels)
        metadata.resourceVersion = rv
        metadata.uid = "uid-gadget-\(name)"
        if let ownerWidget {
            metadata.ownerReferences = [OwnerReference(apiVersion: "test.dev/v1", kind: kind, name: ownerWidget, uid: "uid-\(namespace)-\(ownerWidget)", controller: controller)]
        }
    }
}

/// A watcher source whose events the test pushes by hand.
final class ScriptedSource<Object: KubeObject>: Sendable {
    private let continuations = Mutex<[AsyncStream<WatcherEvent<Object>>.Continuation]>([])
    private let opened = Mutex(0)
    private let taken = Mutex(0)

    /// How many streams have been opened.
    var openCount: Int { opened.withLock { $0 } }
    /// How many events the readers of the streams have taken.
    var consumed: Int { taken.withLock { $0 } }

    var source: Informer<Object>.Source {
        { [self] in
            let (stream, continuation) = AsyncStream<WatcherEvent<Object>>.makeStream()
            continuations.withLock { $0.append(continuation) }
            opened.withLock { $0 += 1 }
            let iterator = IteratorBox(stream.makeAsyncIterator())
            return AsyncStream { [self] in
                let event = await iterator.next()
                if event != nil { taken.withLock { $0 += 1 } }
                return event
            }
        }
    }

    /// One reader's iterator; only the stream's single consumer calls `next`.
    private final class IteratorBox: @unchecked Sendable {
        var iterator: AsyncStream<WatcherEvent<Object>>.Iterator
        init(_ iterator: AsyncStream<WatcherEvent<Object>>.Iterator) { self.iterator = iterator }
        func next() async -> WatcherEvent<Object>? { await iterator.next() }
    }

    func send(_ events: WatcherEvent<Object>...) {
        let current = continuations.withLock { $0 }
        for event in events {
            for continuation in current { continuation.yield(event) }
        }
    }

    /// Sends a complete list: initStarted, one initApply each, initDone.
    func list(_ objects: [Object]) {
        send(.initStarted)
        for object in objects { send(.initApply(object)) }
        send(.initDone)
    }

    func finish() {
        continuations.withLock { $0 }.forEach { $0.finish() }
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(30), _ condition: @Sendable () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return await condition()
}

/// A thread-safe list of things that happened.
final class Recorder<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])
    func append(_ item: Element) { items.withLock { $0.append(item) } }
    var all: [Element] { items.withLock { $0 } }
    var count: Int { items.withLock { $0.count } }
}
