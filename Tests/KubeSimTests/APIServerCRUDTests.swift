import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct APIServerCRUDTests {
    private func started(_ configuration: APIServer.Configuration = .init()) throws -> (APIServer, TestHTTP) {
        let server = APIServer(configuration: configuration)
        try server.start()
        return (server, TestHTTP(server: server))
    }

    private func configMap(_ name: String, labels: [String: String] = [:], data: [String: String] = [:]) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap",
         "metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))],
         "data": .object(data.mapValues(JSONValue.string))]
    }

    @Test func discoveryListsBuiltInsWithSubresources() async throws {
        let (server, http) = try started()
        defer { server.stop() }
        #expect(try await http.get("/version").body["gitVersion"] == "v1.32.0")
        #expect(try await http.get("/api").body["versions"] == ["v1"])
        let groups = try await http.get("/apis").body["groups"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(Set(["apps", "policy", "coordination.k8s.io", "apiextensions.k8s.io"]).isSubset(of: Set(groups)))
        let core = try await http.get("/api/v1").body["resources"]?.arrayValue ?? []
        let names = core.compactMap { $0["name"]?.stringValue }
        #expect(names.contains("pods/eviction") && names.contains("pods/status") && names.contains("configmaps"))
        #expect(core.first { $0["name"] == "pods" }?["shortNames"] == ["po"])
        let apps = try await http.get("/apis/apps/v1").body["resources"]?.arrayValue ?? []
        #expect(apps.first { $0["name"] == "statefulsets/scale" }?["kind"] == "Scale")
        #expect(try await http.get("/apis/nope.example/v1").status == 404)
    }

    @Test func defaultNamespacesExist() async throws {
        let (server, http) = try started()
        defer { server.stop() }
        let items = try await http.get("/api/v1/namespaces").body["items"]?.arrayValue ?? []
        #expect(Set(items.compactMap { $0[path: ["metadata", "name"]]?.stringValue }) == ["default", "kube-system", "kube-public", "kube-node-lease"])
    }

    @Test func createGetUpdateDeleteWithConflicts() async throws {
        let (server, http) = try started()
        defer { server.stop() }
        let created = try await http.post("/api/v1/namespaces/default/configmaps", configMap("a", data: ["k": "v"]))
        #expect(created.status == 201)
        let uid = created.body[path: ["metadata", "uid"]]?.stringValue
        let firstVersion = created.body[path: ["metadata", "resourceVersion"]]?.stringValue
        #expect(uid != nil && firstVersion != nil)
        #expect(created.body[path: ["metadata", "creationTimestamp"]] != nil)
        #expect(created.body[path: ["metadata", "namespace"]] == "default")

        let again = try await http.post("/api/v1/namespaces/default/configmaps", configMap("a"))
        #expect(again.status == 409)
        #expect(again.body["message"] == #"configmaps "a" already exists"#)

        var changed = created.body
        changed["data"] = ["k": "w"]
        let updated = try await http.put("/api/v1/namespaces/default/configmaps/a", changed)
        #expect(updated.status == 200)
        #expect(updated.body[path: ["metadata", "resourceVersion"]]?.stringValue != firstVersion)
        #expect(updated.body[path: ["metadata", "uid"]]?.stringValue == uid)

        let stale = try await http.put("/api/v1/namespaces/default/configmaps/a", changed)
        #expect(stale.status == 409)
        #expect(stale.body["reason"] == "Conflict")
        #expect(stale.body["message"] == #"Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again"#)

        // Writing the same content again is not a change: the resourceVersion stays.
        let same = try await http.put("/api/v1/namespaces/default/configmaps/a", updated.body)
        #expect(same.body[path: ["metadata", "resourceVersion"]] == updated.body[path: ["metadata", "resourceVersion"]])

        #expect(try await http.delete("/api/v1/namespaces/default/configmaps/a").status == 200)
        let missing = try await http.get("/api/v1/namespaces/default/configmaps/a")
        #expect(missing.status == 404)
        #expect(missing.body["message"] == #"configmaps "a" not found"#)
    }

    @Test func generateNameAndMissingNamespace() async throws {
        let (server, http) = try started()
        defer { server.stop() }
        let created = try await http.post("/api/v1/namespaces/default/configmaps", ["metadata": ["generateName": "gen-"]])
        #expect(created.status == 201)
        let name = created.body[path: ["metadata", "name"]]?.stringValue ?? ""
        #expect(name.hasPrefix("gen-") && name.count == 9)
        let lost = try await http.post("/api/v1/namespaces/nowhere/configmaps", configMap("x"))
        #expect(lost.status == 404)
        #expect(lost.body["message"] == #"namespaces "nowhere" not found"#)
    }

    @Test func listPaginatesAndSelects() async throws {
        let (server, http) = try started()
        defer { server.stop() }
        for index in 0..<5 {
            _ = try await http.post("/api/v1/namespaces/default/configmaps", configMap("cm-\(index)", labels: ["parity": index % 2 == 0 ? "even" : "odd"]))
        }
        let first = try await http.get("/api/v1/namespaces/default/configmaps?limit=2")
        #expect(first.body["kind"] == "ConfigMapList")
        #expect(first.body["items"]?.arrayValue?.count == 2)
        // Five ConfigMaps and the namespace's `kube-root-ca.crt`, as a real server lists them.
        #expect(first.body[path: ["metadata", "remainingItemCount"]] == 4)
        var names = first.body["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? []
        var token = first.body[path: ["metadata", "continue"]]?.stringValue
        while let current = token {
            let page = try await http.get("/api/v1/namespaces/default/configmaps?limit=2&continue=\(current.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
            names += page.body["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? []
            #expect(page.body[path: ["metadata", "resourceVersion"]] == first.body[path: ["metadata", "resourceVersion"]])
            token = page.body[path: ["metadata", "continue"]]?.stringValue
        }
        #expect(names == ["cm-0", "cm-1", "cm-2", "cm-3", "cm-4", "kube-root-ca.crt"])
        let even = try await http.get("/api/v1/namespaces/default/configmaps?labelSelector=parity%3Deven")
        #expect(even.body["items"]?.arrayValue?.count == 3)
        let named = try await http.get("/api/v1/configmaps?fieldSelector=metadata.name%3Dcm-1")
        #expect(named.body["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } == ["cm-1"])
    }

    @Test func expiredContinueTokenIsGone() async throws {
        let (server, http) = try started()
        defer { server.stop() }
        for index in 0..<3 { _ = try await http.post("/api/v1/namespaces/default/configmaps", configMap("cm-\(index)")) }
        let first = try await http.get("/api/v1/namespaces/default/configmaps?limit=1")
        let token = first.body[path: ["metadata", "continue"]]?.stringValue ?? ""
        _ = try await http.post("/api/v1/namespaces/default/configmaps", configMap("later"))
        server.compactWatchHistory()
        let gone = try await http.get("/api/v1/namespaces/default/configmaps?limit=1&continue=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
        #expect(gone.status == 410)
        #expect(gone.body["reason"] == "Expired")
    }

    @Test func faultsAnswerWithStatusAndRetryAfter() async throws {
        let (server, http) = try started()
        defer { server.stop() }
        server.faults.failNext(2, status: 503, retryAfterSeconds: 1, pathPrefix: "/api/v1/namespaces/default/configmaps")
        let first = try await http.get("/api/v1/namespaces/default/configmaps")
        #expect(first.status == 503)
        #expect(first.headers["retry-after"] == "1")
        #expect(first.body["kind"] == "Status")
        #expect(first.body[path: ["details", "retryAfterSeconds"]] == 1)
        #expect(try await http.get("/api/v1/namespaces").status == 200)
        #expect(try await http.get("/api/v1/namespaces/default/configmaps").status == 503)
        #expect(try await http.get("/api/v1/namespaces/default/configmaps").status == 200)
    }

    @Test func countsRequestsPerVerb() async throws {
        let (server, http) = try started()
        defer { server.stop() }
        server.resetRequestCounts()
        _ = try await http.post("/api/v1/namespaces/default/configmaps", configMap("c"))
        _ = try await http.get("/api/v1/namespaces/default/configmaps/c")
        _ = try await http.get("/api/v1/namespaces/default/configmaps")
        _ = try await http.patch("/api/v1/namespaces/default/configmaps/c", ["data": ["a": "b"]])
        _ = try await http.delete("/api/v1/namespaces/default/configmaps/c")
        let counts = server.requestCounts
        #expect(counts.create == 1 && counts.get == 1 && counts.list == 1 && counts.patch == 1 && counts.delete == 1)
        #expect(counts.writes == 3)
        server.resetRequestCounts()
        #expect(server.requestCounts == RequestCounts())
    }

    @Test func patchesMergeAndJSON() async throws {
        let (server, http) = try started()
        defer { server.stop() }
        _ = try await http.post("/api/v1/namespaces/default/configmaps", configMap("p", data: ["a": "1", "b": "2"]))
        let merged = try await http.patch("/api/v1/namespaces/default/configmaps/p", ["data": ["a": nil, "c": "3"]])
        #expect(merged.body["data"] == ["b": "2", "c": "3"])
        let jsonPatched = try await http.patch("/api/v1/namespaces/default/configmaps/p",
                                               [["op": "replace", "path": "/data/b", "value": "20"], ["op": "add", "path": "/data/d", "value": "4"]],
                                               type: "application/json-patch+json")
        #expect(jsonPatched.body["data"] == ["b": "20", "c": "3", "d": "4"])
        let stale = try await http.patch("/api/v1/namespaces/default/configmaps/p", ["metadata": ["resourceVersion": "1"], "data": ["x": "y"]])
        #expect(stale.status == 409)
        let missing = try await http.patch("/api/v1/namespaces/default/configmaps/none", ["data": ["x": "y"]])
        #expect(missing.status == 404)
    }

    @Test func dryRunWritesNothing() async throws {
        let (server, http) = try started()
        defer { server.stop() }
        let response = try await http.post("/api/v1/namespaces/default/configmaps?dryRun=All", configMap("dry"))
        #expect(response.status == 201)
        #expect(try await http.get("/api/v1/namespaces/default/configmaps/dry").status == 404)
    }

    @Test func inProcessStorage() throws {
        let server = APIServer()
        let created = try server.storage.create(.configMaps, configMap("s"))
        #expect(created[path: ["metadata", "uid"]] != nil)
        #expect(try server.storage.get(.configMaps, namespace: "default", name: "s")["metadata"]?["name"] == "s")
        #expect(try server.storage.list(.configMaps, namespace: "default").compactMap { $0[path: ["metadata", "name"]]?.stringValue }
            == ["kube-root-ca.crt", "s"])
        try server.storage.delete(.configMaps, namespace: "default", name: "s")
        #expect(throws: Status.self) { try server.storage.get(.configMaps, namespace: "default", name: "s") }
    }
}

@Suite struct JSONWriterTests {
    @Test func matchesTheSortedKeyEncoder() throws {
        let value: JSONValue = ["b": [1, 2.5, "x\"y\\z\n\u{1}é/"], "a": ["d": nil, "c": true], "n": -3, "f": 2.0]
        #expect(JSONWriter.data(value) == value.serialized())
        var withoutWholeDouble = value
        withoutWholeDouble["f"] = nil
        #expect(try JSONValue.parse(JSONWriter.data(withoutWholeDouble)) == withoutWholeDouble)
    }
}

@Suite struct TimestampTests {
    @Test func rfc3339InUTC() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        #expect(APIServer.timestamp(date) == "2023-11-14T22:13:20Z")
        #expect(APIServer.microTimestamp(date) == "2023-11-14T22:13:20.250000Z")
    }
}
