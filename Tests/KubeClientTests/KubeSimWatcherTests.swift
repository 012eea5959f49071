import Foundation
import KubeModel
import KubeSim
import Synchronization
import Testing
@testable import KubeClient

/// A cache fed by a watcher the way an informer feeds one: a relist is buffered between
/// `initStarted` and `initDone`, then replaces everything.
final class WatcherFedCache: Sendable {
    private struct State {
        var objects: [String: TestConfigMap] = [:]
        var relisting: [String: TestConfigMap]?
        var lists = 0
        /// `name@resourceVersion` of every apply/delete outside a list, to find duplicates.
        var changes: [String] = []
    }

    private let state = Mutex(State())

    func consume(_ event: WatcherEvent<TestConfigMap>) {
        state.withLock { state in
            switch event {
            case .initStarted: state.relisting = [:]
            case .initApply(let object): state.relisting?[object.key] = object
            case .initDone:
                state.objects = state.relisting ?? [:]
                state.relisting = nil
                state.lists += 1
            case .apply(let object):
                state.objects[object.key] = object
                state.changes.append("\(object.key)@\(object.metadata.resourceVersion ?? "")")
            case .delete(let object):
                state.objects[object.key] = nil
                state.changes.append("delete \(object.key)@\(object.metadata.resourceVersion ?? "")")
            }
        }
    }

    /// namespace/name → resourceVersion.
    var snapshot: [String: String] { state.withLock { $0.objects.mapValues { $0.metadata.resourceVersion ?? "" } } }
    var lists: Int { state.withLock { $0.lists } }
    var changes: [String] { state.withLock { $0.changes } }
}

@Suite struct KubeSimWatcherTests {
    func freshList(_ client: KubeClient, namespace: String? = "default") async throws -> [String: String] {
        let list = try await client.listAll(TestConfigMap.self, namespace: namespace)
        return Dictionary(uniqueKeysWithValues: list.items.map { ($0.key, $0.metadata.resourceVersion ?? "") })
    }

    @Test func forcedGoneRelistsWithoutLosingOrDuplicatingEvents() async throws {
        let (server, client) = try KubeSimClientTests.start(.init(bookmarkInterval: 0.2))
        defer { server.stop() }
        for index in 0..<5 { _ = try await client.create(TestConfigMap(name: "initial-\(index)")) }
        let cache = WatcherFedCache()
        let configuration = WatcherConfiguration(pageSize: 2, backoff: RetryPolicy(baseDelay: 0.1, maxDelay: 0.5))
        // Cluster-wide, so its requests (/api/v1/configmaps) can be failed apart from the writes.
        let consumer = Task {
            for await event in client.watcher(TestConfigMap.self, namespace: nil, configuration: configuration) {
                cache.consume(event)
            }
        }
        defer { consumer.cancel() }
        #expect(try await eventually { let fresh = try await freshList(client, namespace: nil); return cache.lists == 1 && cache.snapshot == fresh })

        // Changes seen through the watch.
        _ = try await client.create(TestConfigMap(name: "watched"))
        try await client.delete(TestConfigMap.self, namespace: "default", name: "initial-0")
        #expect(try await eventually { try await cache.snapshot == freshList(client, namespace: nil) })

        // Keep the watcher away (its next watch requests fail), change things, and forget
        // the history: its resume point is then too old, so it must relist and end up exact.
        server.faults.failNext(2, status: 503, pathPrefix: "/api/v1/configmaps")
        server.closeAllWatches()
        _ = try await client.create(TestConfigMap(name: "while-away"))
        try await client.delete(TestConfigMap.self, namespace: "default", name: "initial-1")
        _ = try await client.patch(TestConfigMap.self, namespace: "default", name: "initial-2", patch: .merge(["data": ["k": "v"]]))
        server.compactWatchHistory()
        #expect(await eventually { cache.lists >= 2 })
        #expect(try await eventually { try await cache.snapshot == freshList(client, namespace: nil) })
        #expect(cache.snapshot["default/while-away"] != nil)
        #expect(cache.snapshot["default/initial-1"] == nil)

        // And it keeps watching afterwards.
        _ = try await client.create(TestConfigMap(name: "after-relist"))
        #expect(await eventually { cache.snapshot["default/after-relist"] != nil })
        #expect(try await cache.snapshot == freshList(client, namespace: nil))
        let changes = cache.changes
        #expect(Set(changes).count == changes.count, "duplicated events: \(changes)")
    }

    @Test func reconnectsFromLastVersionAfterTheServerClosesWatches() async throws {
        let (server, client) = try KubeSimClientTests.start(.init(bookmarkInterval: 0.2))
        defer { server.stop() }
        let cache = WatcherFedCache()
        let consumer = Task {
            for await event in client.watcher(TestConfigMap.self, namespace: "default") { cache.consume(event) }
        }
        defer { consumer.cancel() }
        #expect(await eventually { cache.lists == 1 })
        _ = try await client.create(TestConfigMap(name: "one"))
        #expect(await eventually { cache.snapshot["default/one"] != nil })
        let listsBefore = server.requestCounts.list
        let watchesBefore = server.requestCounts.watch
        server.closeAllWatches()
        _ = try await client.create(TestConfigMap(name: "two"))
        #expect(await eventually { cache.snapshot["default/two"] != nil })
        // Resumed by a new watch, not by a relist: history still covers the resume point.
        #expect(server.requestCounts.watch > watchesBefore)
        #expect(server.requestCounts.list == listsBefore)
        #expect(cache.lists == 1)
    }
}
