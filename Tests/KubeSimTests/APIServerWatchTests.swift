import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct APIServerWatchTests {
    private func configMap(_ name: String, labels: [String: String] = [:]) -> JSONValue {
        ["metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))]]
    }

    @Test func watchFromAResourceVersionSeesEveryChangeInOrder() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let http = TestHTTP(server: server)
        let list = try await http.get("/api/v1/namespaces/default/configmaps")
        let version = list.body[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        let watch = try WatchReader(server: server, path: "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(version)")
        _ = try await http.post("/api/v1/namespaces/default/configmaps", configMap("w"))
        _ = try await http.patch("/api/v1/namespaces/default/configmaps/w", ["data": ["a": "b"]])
        _ = try await http.delete("/api/v1/namespaces/default/configmaps/w")
        _ = try await http.post("/api/v1/namespaces/kube-system/configmaps", configMap("elsewhere"))
        let events = watch.next(3)
        #expect(watch.statusLine == "HTTP/1.1 200 OK")
        #expect(events.compactMap { $0["type"]?.stringValue } == ["ADDED", "MODIFIED", "DELETED"])
        let versions = events.compactMap { $0[path: ["object", "metadata", "resourceVersion"]]?.stringValue.flatMap { Int($0) } }
        #expect(versions == versions.sorted() && Set(versions).count == 3)
        #expect(events[1][path: ["object", "data", "a"]] == "b")
        #expect(watch.next(timeout: 0.3) == nil)
    }

    @Test func watchWithoutVersionStartsWithSyntheticAdds() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        _ = try server.storage.create(.configMaps, configMap("one"))
        let watch = try WatchReader(server: server, path: "/api/v1/namespaces/default/configmaps?watch=1")
        // `kube-root-ca.crt` (every namespace has it) and `one`, in key order.
        let first = watch.next(2)
        #expect(first.allSatisfy { $0["type"] == "ADDED" })
        #expect(first.map { $0[path: ["object", "metadata", "name"]] } == ["kube-root-ca.crt", "one"])
    }

    @Test func selectorChangesBecomeAddedAndDeleted() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let http = TestHTTP(server: server)
        let version = String(server.store.revision)
        let watch = try WatchReader(server: server, path: "/api/v1/namespaces/default/configmaps?watch=1&labelSelector=app%3Dzk&resourceVersion=\(version)")
        _ = try await http.post("/api/v1/namespaces/default/configmaps", configMap("s"))
        _ = try await http.patch("/api/v1/namespaces/default/configmaps/s", ["metadata": ["labels": ["app": "zk"]]])
        _ = try await http.patch("/api/v1/namespaces/default/configmaps/s", ["metadata": ["labels": ["app": "other"]]])
        let events = watch.next(2)
        #expect(events.compactMap { $0["type"]?.stringValue } == ["ADDED", "DELETED"])
    }

    @Test func bookmarksCarryTheLatestVersion() async throws {
        let server = APIServer(configuration: .init(bookmarkInterval: 0.2))
        try server.start()
        defer { server.stop() }
        let watch = try WatchReader(server: server, path: "/api/v1/namespaces/default/pods?watch=1&allowWatchBookmarks=true&resourceVersion=\(server.store.revision)")
        _ = try server.storage.create(.configMaps, configMap("unrelated"))
        let afterCreate = server.store.revision
        // A bookmark may already be on its way with the version before the create; the next
        // ones must carry the version the unrelated write reached.
        var latest: JSONValue?
        for _ in 0..<10 {
            guard let event = watch.next(timeout: 3) else { break }
            #expect(event["type"] == "BOOKMARK")
            #expect(event[path: ["object", "kind"]] == "Pod")
            latest = event[path: ["object", "metadata", "resourceVersion"]]
            if let version = latest?.stringValue.flatMap({ Int64($0) }), version >= afterCreate { break }
        }
        #expect(latest?.stringValue.flatMap { Int64($0) }.map { $0 >= afterCreate } == true)
    }

    @Test func compactedHistoryGivesAnExpiredErrorEvent() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let old = server.store.revision
        _ = try server.storage.create(.configMaps, configMap("later"))
        server.compactWatchHistory()
        let watch = try WatchReader(server: server, path: "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(old)")
        let event = watch.next(timeout: 3)
        #expect(event?["type"] == "ERROR")
        #expect(event?[path: ["object", "code"]] == 410)
        #expect(event?[path: ["object", "reason"]] == "Expired")
        #expect(event?[path: ["object", "message"]]?.stringValue?.hasPrefix("too old resource version: \(old) (") == true)
        #expect(watch.waitForEnd())
    }

    @Test func smallHistoryWindowExpiresOldVersions() async throws {
        let server = APIServer(configuration: .init(historyCapacity: 2))
        try server.start()
        defer { server.stop() }
        let old = server.store.revision
        for index in 0..<4 { _ = try server.storage.create(.configMaps, configMap("h\(index)")) }
        let watch = try WatchReader(server: server, path: "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(old)")
        #expect(watch.next(timeout: 3)?["type"] == "ERROR")
    }

    @Test func timeoutAndCloseAllWatchesEndStreams() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let timed = try WatchReader(server: server, path: "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&resourceVersion=\(server.store.revision)")
        #expect(timed.waitForEnd(timeout: 4))
        let open = try WatchReader(server: server, path: "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(server.store.revision)")
        #expect(open.next(timeout: 0.3) == nil && !open.ended)
        server.closeAllWatches()
        #expect(open.waitForEnd())
    }

    @Test func watchChunkSizeSplitsEventLines() async throws {
        let server = APIServer(configuration: .init(watchChunkSize: 7))
        try server.start()
        defer { server.stop() }
        let watch = try WatchReader(server: server, path: "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(server.store.revision)")
        _ = try server.storage.create(.configMaps, configMap("chunked"))
        let event = watch.next(timeout: 3)
        #expect(event?[path: ["object", "metadata", "name"]] == "chunked")
        #expect(!watch.chunkSizes.isEmpty && watch.chunkSizes.allSatisfy { $0 <= 7 })
    }

    @Test func manyWatchersAllReceiveAnEvent() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let version = server.store.revision
        let watchers = try (0..<20).map { _ in try WatchReader(server: server, path: "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(version)") }
        _ = try server.storage.create(.configMaps, configMap("fan"))
        for watcher in watchers {
            #expect(watcher.next(timeout: 3)?[path: ["object", "metadata", "name"]] == "fan")
        }
    }
}

@Suite struct APIServerStreamingListTests {
    @Test func sendInitialEventsEndsWithAnAnnotatedBookmark() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        _ = try server.storage.create(.configMaps, ["metadata": ["name": "existing"]])
        let watch = try WatchReader(server: server, path: "/api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan")
        // `existing` and the namespace's `kube-root-ca.crt`, then the bookmark.
        let events = watch.next(3)
        #expect(events.first?["type"] == "ADDED")
        #expect(events.last?["type"] == "BOOKMARK")
        #expect(events.last?[path: ["object", "metadata", "annotations", "k8s.io/initial-events-end"]] == "true")
    }
}
