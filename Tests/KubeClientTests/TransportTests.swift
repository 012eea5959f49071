import Foundation
import KubeModel
import Synchronization
import Testing
@testable import KubeClient

/// The transport over real HTTP against a scripted server (no kube-sim needed).
@Suite struct TransportTests {
    func client(_ server: ScriptedHTTPServer, retry: RetryPolicy = RetryPolicy(baseDelay: 0.01), credentials: Credentials = .none) throws -> KubeClient {
        try KubeClient(configuration: ClientConfiguration(server: server.url, namespace: "zk", credentials: credentials, retryPolicy: retry))
    }

    @Test func watchLinesSplitAcrossChunksAreReassembled() async throws {
        let lines = [
            #"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"zk","resourceVersion":"2"},"data":{"k":"v"}}}"#,
            #"{"type":"MODIFIED","object":{"metadata":{"name":"a","namespace":"zk","resourceVersion":"3"},"data":{"k":"w"}}}"#,
        ]
        let body = Data((lines.joined(separator: "\n") + "\n").utf8)
        // Seven-byte pieces, each flushed separately, and the second event's end with the third piece set.
        let pieces = stride(from: 0, to: body.count, by: 7).map { body[$0..<min($0 + 7, body.count)] }
        let server = try ScriptedHTTPServer([.init(status: 200, headers: ["Content-Type": "application/json"], pieces: pieces.map { Data($0) }, pause: 0.002, streaming: true)])
        defer { server.stop() }
        var events: [WatchEvent<TestConfigMap>] = []
        for try await event in try client(server).watch(TestConfigMap.self, namespace: "zk", options: ListOptions(resourceVersion: "1")) {
            events.append(event)
        }
        #expect(events.map(\.type) == ["ADDED", "MODIFIED"])
        #expect(events.map { $0.object.data?["k"] } == ["v", "w"])
        let request = try #require(server.requests.withLock { $0.first })
        #expect(request.hasPrefix("GET /api/v1/namespaces/zk/configmaps?watch=true&resourceVersion=1&allowWatchBookmarks=true HTTP/1.1"))
    }

    /// A watch on a fresh connection makes swift-corelibs-foundation spin a core while the stream
    /// is quiet (see `ConnectionPrimer`); the watch must reuse a connection opened before it.
    @Test func watchIsSentOnAConnectionThatServedARequestBefore() async throws {
        let line = #"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"zk","resourceVersion":"2"}}}"# + "\n"
        let server = try ScriptedHTTPServer([.init(status: 200, pieces: [Data(line.utf8)], streaming: true)])
        defer { server.stop() }
        var names: [String] = []
        for try await event in try client(server).watch(TestConfigMap.self, namespace: "zk") {
            names.append(event.object.metadata.name ?? "")
        }
        #expect(names == ["a"])
        #expect(server.requests.withLock { $0.map { $0.prefix(45) } } == ["GET /api/v1/namespaces/zk/configmaps?watch=tr"])
        #expect(server.arrivedOnPrimedConnection.withLock { $0 } == [true])
    }

    @Test func watchStillWorksWhenThePrimingRequestFails() async throws {
        let notFound = #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"not found","reason":"NotFound","code":404}"#
        let line = #"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"zk","resourceVersion":"2"}}}"# + "\n"
        let server = try ScriptedHTTPServer([
            .init(status: 404, pieces: [Data(notFound.utf8)]),
            .init(status: 200, pieces: [Data(line.utf8)], streaming: true),
        ], answersVersion: false)
        defer { server.stop() }
        var names: [String] = []
        for try await event in try client(server).watch(TestConfigMap.self, namespace: "zk") {
            names.append(event.object.metadata.name ?? "")
        }
        #expect(names == ["a"])
        #expect(server.requests.withLock { $0.map { $0.prefix(12) } } == ["GET /version", "GET /api/v1/"])
    }

    /// swift-corelibs-foundation traps when a task is made on an invalidated session; a watch
    /// ended while its primer runs must not send (or crash).
    @Test func aWatchEndedWhileItsPrimerRunsSendsNothing() async throws {
        let line = #"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"zk","resourceVersion":"2"}}}"# + "\n"
        let server = try ScriptedHTTPServer([.init(status: 200, pieces: [Data(line.utf8)], streaming: true)], versionPause: 1)
        defer { server.stop() }
        let client = try client(server)
        let consumer = Task {
            for try await _ in client.watch(TestConfigMap.self, namespace: "zk") {}
        }
        func waitFor(_ counter: borrowing Mutex<Int>) async throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while counter.withLock({ $0 }) == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        try await waitFor(server.versionsReceived)  // the primer is in flight: end the watch now
        consumer.cancel()
        _ = await consumer.result
        try await waitFor(server.versionsAnswered)
        #expect(server.versionsAnswered.withLock { $0 } == 1)
        // Time for the watch to go out, were it going to.
        try await Task.sleep(for: .milliseconds(500))
        #expect(server.requests.withLock { $0 } == [])
    }

    @Test func watchEventsArriveWhileTheStreamIsOpen() async throws {
        let first = #"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"zk","resourceVersion":"2"}}}"# + "\n"
        let second = #"{"type":"DELETED","object":{"metadata":{"name":"a","namespace":"zk","resourceVersion":"3"}}}"# + "\n"
        let server = try ScriptedHTTPServer([.init(status: 200, pieces: [Data(first.utf8), Data(second.utf8)], pause: 1.5, streaming: true)])
        defer { server.stop() }
        let started = Date()
        var arrivals: [TimeInterval] = []
        for try await _ in try client(server).watch(TestConfigMap.self, namespace: "zk") {
            arrivals.append(Date().timeIntervalSince(started))
        }
        #expect(arrivals.count == 2)
        // The first event is delivered long before the server sends the second.
        #expect(arrivals[0] < 1.0)
        #expect(arrivals[1] >= 1.4)
    }

    @Test func watchErrorAnswerEndsWithStatus() async throws {
        let status = #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version","reason":"Expired","code":410}"#
        let server = try ScriptedHTTPServer([.init(status: 410, pieces: [Data(status.utf8)])])
        defer { server.stop() }
        do {
            for try await _ in try client(server).watch(TestConfigMap.self, namespace: "zk") {}
            Issue.record("expected an error")
        } catch let error as KubeError {
            #expect(error.isGone)
        }
    }

    @Test func retriesA503HonouringRetryAfter() async throws {
        let unavailable = #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"busy","reason":"ServiceUnavailable","code":503}"#
        let object = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"zk"}}"#
        let server = try ScriptedHTTPServer([
            .init(status: 503, headers: ["Retry-After": "1"], pieces: [Data(unavailable.utf8)]),
            .init(status: 200, pieces: [Data(object.utf8)]),
        ])
        defer { server.stop() }
        let started = Date()
        let map = try await client(server).get(TestConfigMap.self, namespace: "zk", name: "a")
        #expect(map.metadata.name == "a")
        #expect(Date().timeIntervalSince(started) >= 0.9)  // waited as told, not the 10 ms backoff
        #expect(server.requests.withLock { $0.count } == 2)
    }

    @Test func doesNotRetryClientErrorsAndDecodesTheirStatus() async throws {
        let conflict = #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the object has been modified","reason":"Conflict","code":409}"#
        let server = try ScriptedHTTPServer([.init(status: 409, pieces: [Data(conflict.utf8)]), .init(status: 200, pieces: [Data("{}".utf8)])])
        defer { server.stop() }
        do {
            _ = try await client(server).update(TestConfigMap(name: "a", namespace: "zk"))
            Issue.record("expected a conflict")
        } catch let error as KubeError {
            #expect(error.isConflict)
            #expect(error.status?.message == "the object has been modified")
        }
        #expect(server.requests.withLock { $0.count } == 1)
        let request = try #require(server.requests.withLock { $0.first })
        #expect(request.hasPrefix("PUT /api/v1/namespaces/zk/configmaps/a HTTP/1.1"))
        #expect(request.lowercased().contains("content-type: application/json"))
        #expect(request.lowercased().contains("accept: application/json"))
    }

    @Test func unauthorizedRefreshesATokenFileOnce() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("token", "old")
        let object = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"zk"}}"#
        let server = try ScriptedHTTPServer([.init(status: 401, pieces: []), .init(status: 200, pieces: [Data(object.utf8)])])
        defer { server.stop() }
        let client = try client(server, credentials: .tokenFile(file))
        try directory.write("token", "new")
        _ = try await client.get(TestConfigMap.self, namespace: "zk", name: "a")
        let requests = server.requests.withLock { $0 }
        #expect(requests.count == 2)
        #expect(requests.last?.contains("Bearer new") == true)
    }

    @Test func transportErrorsRetryThenFail() async throws {
        // Every connection is closed after the request arrives, with no response.
        let server = try ScriptedHTTPServer([])
        defer { server.stop() }
        let client = try KubeClient(configuration: ClientConfiguration(server: server.url, retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.01)))
        do {
            _ = try await client.get(.configMaps, namespace: "zk", name: "a")
            Issue.record("the request succeeded")
        } catch let error as KubeError {
            guard case .transport = error else { Issue.record("expected a transport error, got \(error)"); return }
        }
        let attempts = server.requests.withLock { $0.filter { $0.hasPrefix("GET /api/v1/namespaces/zk/configmaps/a ") }.count }
        #expect(attempts == 3, "one attempt and two retries")
    }
}
