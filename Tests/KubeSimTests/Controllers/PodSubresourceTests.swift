import Foundation
import HTTPServer
import Synchronization
import KubeModel
import Testing
@testable import KubeSim

@Suite struct PodSubresourceTests {
    typealias F = SimFixtures

    private func createPod(_ server: APIServer, _ name: String, containers: [String] = ["main"], node: String? = nil) throws {
        var spec: JSONValue = ["containers": .array(containers.map { ["name": .string($0), "image": "zookeeper:3.9.4"] })]
        if let node { spec["nodeName"] = .string(node) }
        _ = try server.storage.create(.pods, ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"], "spec": spec])
    }

    private func createNode(_ server: APIServer, _ name: String, kubeletPort: Int?) throws {
        _ = try server.storage.create(.nodes, ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)]])
        var node = try server.storage.get(.nodes, name: name)
        node[path: ["status", "addresses"]] = [["type": "InternalIP", "address": "127.0.0.1"], ["type": "Hostname", "address": .string(name)]]
        if let kubeletPort { node[path: ["status", "daemonEndpoints", "kubeletEndpoint", "Port"]] = .int(Int64(kubeletPort)) }
        _ = try server.storage.update(.nodes, node, subresource: "status")
    }

    @Test func bindingAssignsANodeOnceAndConflictsAfter() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let http = TestHTTP(server: server)
        try createPod(server, "p")
        let path = "/api/v1/namespaces/default/pods/p/binding"
        let binding: JSONValue = ["apiVersion": "v1", "kind": "Binding", "metadata": ["name": "p", "annotations": ["scheduled-by": "test"]],
                                  "target": ["apiVersion": "v1", "kind": "Node", "name": "node-a"]]
        let first = try await http.post(path, binding)
        #expect(first.status == 201)
        #expect(first.body["status"] == "Success" && first.body["code"] == 201)
        let pod = try #require(F.pod(server, "p"))
        #expect(pod[path: ["spec", "nodeName"]] == "node-a")
        #expect(pod[path: ["metadata", "annotations", "scheduled-by"]] == "test")
        #expect((pod[path: ["status", "conditions"]]?.arrayValue ?? []).contains { $0["type"] == "PodScheduled" && $0["status"] == "True" })

        var other = binding
        other[path: ["target", "name"]] = "node-b"
        let second = try await http.post(path, other)
        #expect(second.status == 409)
        #expect(second.body["reason"] == "Conflict")
        #expect(second.body["message"] == "Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node \"node-a\"")
        #expect(F.pod(server, "p")?[path: ["spec", "nodeName"]] == "node-a")

        try createPod(server, "q")
        var mismatched = binding
        mismatched[path: ["metadata", "name"]] = "other"
        #expect(try await http.post("/api/v1/namespaces/default/pods/q/binding", mismatched).status == 400)
        var noTarget = binding
        noTarget[path: ["metadata", "name"]] = "q"
        noTarget[path: ["target", "name"]] = ""
        #expect(try await http.post("/api/v1/namespaces/default/pods/q/binding", noTarget).status == 422)
        var missing = binding
        missing[path: ["metadata", "name"]] = "missing"
        #expect(try await http.post("/api/v1/namespaces/default/pods/missing/binding", missing).status == 404)
        var stale = binding
        stale[path: ["metadata", "name"]] = "q"
        stale[path: ["metadata", "uid"]] = "not-the-pods-uid"
        let staleAnswer = try await http.post("/api/v1/namespaces/default/pods/q/binding", stale)
        #expect(staleAnswer.status == 409)
        #expect(F.pod(server, "q")?[path: ["spec", "nodeName"]] == nil)
    }

    /// A stand-in kubelet serving `/containerLogs`, recording what it was asked.
    final class FakeKubelet: Sendable {
        final class Recorder: Sendable {
            let targets = Mutex<[String]>([])
        }

        let recorder = Recorder()
        let server: HTTPServer

        var lastTarget: String? { recorder.targets.withLock { $0.last } }

        init() throws {
            let recorder = self.recorder
            server = HTTPServer(host: "127.0.0.1", port: 0) { request in
                recorder.targets.withLock { $0.append(request.path + "?" + request.rawQuery) }
                if request.path.hasSuffix("/waiting") {
                    return HTTPResponse(status: 400, body: Data("container \"waiting\" in pod \"p\" is waiting to start: ContainerCreating".utf8))
                }
                if request.query("follow") == "true" {
                    return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")])) { stream in
                        for line in ["first\n", "second\n", "third\n"] { try? stream.write(Data(line.utf8)) }
                    }
                }
                return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: Data("line 1\nline 2\n".utf8))
            }
            try server.start()
        }
    }

    @Test func logsAreProxiedToTheNodesKubelet() async throws {
        let kubelet = try FakeKubelet()
        defer { kubelet.server.stop() }
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let http = TestHTTP(server: server)
        try createNode(server, "node-a", kubeletPort: kubelet.server.port)
        try createNode(server, "node-silent", kubeletPort: nil)
        try createPod(server, "p", containers: ["main", "waiting"], node: "node-a")
        try createPod(server, "solo", node: "node-a")
        try createPod(server, "elsewhere", node: "node-silent")
        try createPod(server, "unbound")

        let plain = try await http.get("/api/v1/namespaces/default/pods/p/log?container=main&tailLines=5&timestamps=true&previous=false")
        #expect(plain.status == 200)
        #expect(plain.body == .string("line 1\nline 2\n"))
        let asked = try #require(kubelet.lastTarget)
        #expect(asked.hasPrefix("/containerLogs/default/p/main?"))
        #expect(asked.contains("tailLines=5") && asked.contains("timestamps=true") && asked.contains("previous=false"))

        let only = try await http.get("/api/v1/namespaces/default/pods/solo/log?limitBytes=100&sinceSeconds=60")
        #expect(only.status == 200)
        #expect(kubelet.lastTarget?.hasPrefix("/containerLogs/default/solo/main?") == true)

        let followed = try await http.get("/api/v1/namespaces/default/pods/solo/log?follow=true")
        #expect(followed.status == 200)
        #expect(followed.body == .string("first\nsecond\nthird\n"))

        let waiting = try await http.get("/api/v1/namespaces/default/pods/p/log?container=waiting")
        #expect(waiting.status == 400)
        #expect(waiting.body["message"]?.stringValue?.contains("is waiting to start") == true)

        let ambiguous = try await http.get("/api/v1/namespaces/default/pods/p/log")
        #expect(ambiguous.status == 400)
        #expect(ambiguous.body["message"] == "a container name must be specified for pod p, choose one of: [main waiting]")
        #expect(try await http.get("/api/v1/namespaces/default/pods/p/log?container=nope").status == 400)

        let unbound = try await http.get("/api/v1/namespaces/default/pods/unbound/log")
        #expect(unbound.status == 400 && unbound.body["message"] == "pod unbound does not have a host assigned")
        let silent = try await http.get("/api/v1/namespaces/default/pods/elsewhere/log")
        #expect(silent.status == 500)
        #expect(silent.body["message"]?.stringValue?.contains("no kubelet endpoint") == true)
    }
}
