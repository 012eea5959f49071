import Foundation
import KubeModel
import KubeSim
import Testing
@testable import KubeClient

/// The client against kube-sim's API server over real HTTP.
@Suite struct KubeSimClientTests {
    /// A started server and a client configured from its kubeconfig, as a user would.
    static func start(_ configuration: APIServer.Configuration = .init()) throws -> (APIServer, KubeClient) {
        let server = APIServer(configuration: configuration)
        try server.start()
        var clientConfiguration = try Kubeconfig(text: server.kubeconfigYAML()).configuration()
        clientConfiguration.retryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.05)
        return (server, try KubeClient(configuration: clientConfiguration))
    }

    @Test func crudWithTypedObjects() async throws {
        let (server, client) = try Self.start()
        defer { server.stop() }
        let created = try await client.create(TestConfigMap(name: "zk-config", data: ["tickTime": "2000"]))
        #expect(created.metadata.uid != nil)
        #expect(created.metadata.resourceVersion != nil)
        await #expect { _ = try await client.create(TestConfigMap(name: "zk-config")) } throws: { ($0 as? KubeError)?.isAlreadyExists == true }

        var fetched = try await client.get(TestConfigMap.self, namespace: "default", name: "zk-config")
        #expect(fetched.data == ["tickTime": "2000"])
        fetched.data?["initLimit"] = "10"
        let updated = try await client.update(fetched)
        #expect(updated.data?["initLimit"] == "10")
        #expect(updated.metadata.resourceVersion != fetched.metadata.resourceVersion)

        let merged = try await client.patch(TestConfigMap.self, namespace: "default", name: "zk-config", patch: .merge(["data": ["syncLimit": "5", "tickTime": nil]]))
        #expect(merged.data == ["initLimit": "10", "syncLimit": "5"])
        let jsonPatched = try await client.patch(TestConfigMap.self, namespace: "default", name: "zk-config",
                                                 patch: .json([["op": "replace", "path": "/data/syncLimit", "value": "6"]]))
        #expect(jsonPatched.data?["syncLimit"] == "6")
        let strategic = try await client.patch(TestConfigMap.self, namespace: "default", name: "zk-config", patch: .strategicMerge(["metadata": ["labels": ["app": "zk"]]]))
        #expect(strategic.metadata.labels == ["app": "zk"])

        var applied = TestConfigMap(name: "applied", data: ["a": "1"])
        _ = try await client.apply(applied, fieldManager: "keeper")
        applied.data = ["b": "2"]
        // The field manager stopped applying `a`, so server-side apply removes it.
        #expect(try await client.apply(applied, fieldManager: "keeper").data == ["b": "2"])

        try await client.delete(TestConfigMap.self, namespace: "default", name: "zk-config")
        await #expect { _ = try await client.get(TestConfigMap.self, namespace: "default", name: "zk-config") } throws: { ($0 as? KubeError)?.isNotFound == true }
        await #expect { try await client.delete(TestConfigMap.self, namespace: "default", name: "zk-config") } throws: { ($0 as? KubeError)?.isNotFound == true }
    }

    @Test func staleUpdateAndDeletePreconditionsConflict() async throws {
        let (server, client) = try Self.start()
        defer { server.stop() }
        let original = try await client.create(TestConfigMap(name: "cm", data: ["v": "1"]))
        var first = original
        first.data = ["v": "2"]
        _ = try await client.update(first)
        var stale = original
        stale.data = ["v": "3"]
        await #expect { _ = try await client.update(stale) } throws: { ($0 as? KubeError)?.isConflict == true }
        let stalePrecondition = DeleteOptions(preconditionResourceVersion: original.metadata.resourceVersion)
        await #expect { try await client.delete(TestConfigMap.self, namespace: "default", name: "cm", options: stalePrecondition) } throws: { ($0 as? KubeError)?.isConflict == true }
        #expect(try await client.get(TestConfigMap.self, namespace: "default", name: "cm").data == ["v": "2"])
    }

    @Test func labelAndFieldSelectors() async throws {
        let (server, client) = try Self.start()
        defer { server.stop() }
        _ = try await client.create(TestConfigMap(name: "zk-a", labels: ["app": "zk", "tier": "data"]))
        _ = try await client.create(TestConfigMap(name: "zk-b", labels: ["app": "zk"]))
        _ = try await client.create(TestConfigMap(name: "web", labels: ["app": "web"]))
        func names(_ options: ListOptions) async throws -> [String] {
            try await client.list(TestConfigMap.self, namespace: "default", options: options).items.map(\.name).sorted()
        }
        #expect(try await names(ListOptions(labelSelector: "app=zk")) == ["zk-a", "zk-b"])
        #expect(try await names(ListOptions(labelSelector: "app in (zk,web),!tier")) == ["web", "zk-b"])
        #expect(try await names(ListOptions(fieldSelector: "metadata.name=web")) == ["web"])
    }

    @Test func paginationWithLimitAndContinue() async throws {
        let (server, client) = try Self.start()
        defer { server.stop() }
        _ = try await client.create(.namespaces, namespace: nil, object: ["metadata": ["name": "paged"]])
        for index in 0..<7 { _ = try await client.create(TestConfigMap(name: "cm-\(index)", namespace: "paged")) }
        let first = try await client.list(TestConfigMap.self, namespace: "paged", options: ListOptions(limit: 3))
        #expect(first.items.count == 3)
        let token = try #require(first.metadata.continue)
        let second = try await client.list(TestConfigMap.self, namespace: "paged", options: ListOptions(limit: 3, continueToken: token))
        #expect(second.items.count == 3)
        #expect(Set(first.items.map(\.name)).isDisjoint(with: second.items.map(\.name)))
        server.resetRequestCounts()
        let all = try await client.listAll(TestConfigMap.self, namespace: "paged", options: ListOptions(limit: 3))
        // The namespace's `kube-root-ca.crt` (the root CA publisher's) is listed too, as on a real server.
        #expect(all.items.map(\.name).sorted() == (0..<7).map { "cm-\($0)" } + ["kube-root-ca.crt"])
        #expect(server.requestCounts.list == 3)
        #expect(all.metadata.resourceVersion != nil)
    }

    @Test func watchResumesFromAResourceVersion() async throws {
        let (server, client) = try Self.start()
        defer { server.stop() }
        let before = try await client.create(TestConfigMap(name: "before"))
        _ = try await client.create(TestConfigMap(name: "after-1"))
        _ = try await client.create(TestConfigMap(name: "after-2"))
        var seen: [String] = []
        for try await event in client.watch(TestConfigMap.self, namespace: "default", options: ListOptions(resourceVersion: before.metadata.resourceVersion)) {
            seen.append("\(event.type) \(event.object.name)")
            if seen.count == 2 { break }
        }
        #expect(seen == ["ADDED after-1", "ADDED after-2"])
    }

    @Test func jsonLinesSplitAcrossChunks() async throws {
        let (server, client) = try Self.start(.init(watchChunkSize: 5))
        defer { server.stop() }
        let list = try await client.list(TestConfigMap.self, namespace: "default")
        let stream = client.watch(TestConfigMap.self, namespace: "default", options: ListOptions(resourceVersion: list.metadata.resourceVersion))
        let writer = Task {
            for index in 0..<5 { _ = try await client.create(TestConfigMap(name: "split-\(index)", data: ["payload": String(repeating: "é", count: index * 37)])) }
        }
        var received: [TestConfigMap] = []
        for try await event in stream where event.type == "ADDED" {
            received.append(event.object)
            if received.count == 5 { break }
        }
        try await writer.value
        #expect(received.map(\.name) == (0..<5).map { "split-\($0)" })
        #expect(received.last?.data?["payload"] == String(repeating: "é", count: 4 * 37))
    }

    @Test func retriesA503WithRetryAfter() async throws {
        let (server, client) = try Self.start()
        defer { server.stop() }
        _ = try await client.create(TestConfigMap(name: "busy"))
        server.resetRequestCounts()
        server.faults.failNext(1, status: 503, retryAfterSeconds: 1, pathPrefix: "/api/v1/namespaces/default/configmaps")
        let started = Date()
        #expect(try await client.get(TestConfigMap.self, namespace: "default", name: "busy").name == "busy")
        #expect(Date().timeIntervalSince(started) >= 0.9)
        #expect(server.requestCounts.get == 2)
        // A 404 is not retried.
        server.resetRequestCounts()
        await #expect(throws: KubeError.self) { _ = try await client.get(TestConfigMap.self, namespace: "default", name: "missing") }
        #expect(server.requestCounts.get == 1)
    }

    @Test func statusScaleAndEvictionSubresources() async throws {
        let (server, client) = try Self.start()
        defer { server.stop() }
        let labels: JSONValue = ["app": "zk"]
        let statefulSet: JSONValue = [
            "metadata": ["name": "zk"],
            "spec": ["replicas": 1, "serviceName": "zk-headless", "selector": ["matchLabels": labels],
                     "template": ["metadata": ["labels": labels], "spec": ["containers": [["name": "zk", "image": "zookeeper:3.9.4"]]]]],
        ]
        _ = try await client.create(.statefulSets, namespace: "default", object: statefulSet)
        let scale = try await client.getScale(.statefulSets, namespace: "default", name: "zk")
        #expect(scale.spec?.replicas == 1)
        #expect(try await client.patchScale(.statefulSets, namespace: "default", name: "zk", replicas: 3).spec?.replicas == 3)
        // Read, modify, write, retried on 409: kube-sim's StatefulSet controller writes the
        // status meanwhile, which changes the resourceVersion the scale carries.
        for attempt in 1... {
            var newScale = try await client.getScale(.statefulSets, namespace: "default", name: "zk")
            newScale.spec = ScaleSpec(replicas: 5)
            do {
                _ = try await client.updateScale(.statefulSets, namespace: "default", name: "zk", scale: newScale)
                break
            } catch let error as KubeError where error.isConflict && attempt < 20 {
                continue
            }
        }
        #expect(try await client.get(.statefulSets, namespace: "default", name: "zk")[path: ["spec", "replicas"]] == 5)

        // A pod of its own: kube-sim's StatefulSet controller owns the zk-N names.
        let pod: JSONValue = ["metadata": ["name": "solo", "labels": ["app": "solo"]], "spec": ["containers": [["name": "zk", "image": "zookeeper:3.9.4"]]]]
        var created = try await client.create(.pods, namespace: "default", object: pod)
        created["status"] = ["phase": "Running"]
        let updated = try await client.update(.pods, namespace: "default", name: "solo", object: created, subresource: "status")
        #expect(updated[path: ["status", "phase"]] == "Running")
        let patched = try await client.patch(.pods, namespace: "default", name: "solo", patch: .merge(["status": ["podIP": "127.0.0.9"]]), subresource: "status")
        #expect(patched[path: ["status", "podIP"]] == "127.0.0.9")

        try await client.evict(namespace: "default", podName: "solo")
        let gone = try await eventually {
            do {
                let current = try await client.get(.pods, namespace: "default", name: "solo")
                return current[path: ["metadata", "deletionTimestamp"]] != nil
            } catch let error as KubeError {
                return error.isNotFound
            }
        }
        #expect(gone)
    }

    /// A budget that allows no disruption answers 429, and the client throws it after one
    /// request instead of retrying with backoff: the caller decides when to ask again.
    @Test func anEvictionTheBudgetRefusesIsNotRetried() async throws {
        let (server, client) = try Self.start()
        defer { server.stop() }
        let pod: JSONValue = ["metadata": ["name": "solo", "labels": ["app": "solo"]], "spec": ["containers": [["name": "zk", "image": "zookeeper:3.9.4"]]]]
        var created = try await client.create(.pods, namespace: "default", object: pod)
        created["status"] = ["phase": "Running", "conditions": [["type": "Ready", "status": "True"]]]
        _ = try await client.update(.pods, namespace: "default", name: "solo", object: created, subresource: "status")
        let budget: JSONValue = ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": "solo"],
                                 "spec": ["minAvailable": 1, "selector": ["matchLabels": ["app": "solo"]]]]
        _ = try await client.create(.podDisruptionBudgets, namespace: "default", object: budget)
        #expect(try await eventually {
            try await client.get(.podDisruptionBudgets, namespace: "default", name: "solo")[path: ["status", "currentHealthy"]] == 1
        })
        let before = server.requestCounts.create
        await #expect { try await client.evict(namespace: "default", podName: "solo") } throws: { ($0 as? KubeError)?.isTooManyRequests == true }
        #expect(server.requestCounts.create == before + 1)
    }
}
