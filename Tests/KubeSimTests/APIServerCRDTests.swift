import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct APIServerCRDTests {
    private func serverWithCRD() async throws -> (APIServer, TestHTTP) {
        let server = APIServer()
        try server.start()
        let http = TestHTTP(server: server)
        let created = try await http.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", TestCRD.definition)
        #expect(created.status == 201)
        let established = try await eventually {
            let crd = try await http.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/zookeeperclusters.test.kube-sim.dev").body
            return (crd[path: ["status", "conditions"]]?.arrayValue ?? []).contains { $0["type"] == "Established" && $0["status"] == "True" }
        }
        #expect(established)
        return (server, http)
    }

    @Test func establishedCRDIsDiscoverableAndServed() async throws {
        let (server, http) = try await serverWithCRD()
        defer { server.stop() }
        let groups = try await http.get("/apis").body["groups"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(groups.contains(TestCRD.group))
        let resources = try await http.get("/apis/test.kube-sim.dev/v1alpha1").body["resources"]?.arrayValue ?? []
        #expect(Set(resources.compactMap { $0["name"]?.stringValue }) == ["zookeeperclusters", "zookeeperclusters/status", "zookeeperclusters/scale"])
        #expect(resources.first { $0["name"] == "zookeeperclusters" }?["shortNames"] == ["zkc"])
        let created = try await http.post("/apis/test.kube-sim.dev/v1alpha1/namespaces/default/zookeeperclusters", TestCRD.instance("zk"))
        #expect(created.status == 201)
        #expect(created.body[path: ["spec", "replicas"]] == 3)
        #expect(created.body[path: ["metadata", "generation"]] == 1)
    }

    @Test func schemaViolationIsTheRealInvalidStatus() async throws {
        let (server, http) = try await serverWithCRD()
        defer { server.stop() }
        let bad = try await http.post("/apis/test.kube-sim.dev/v1alpha1/namespaces/default/zookeeperclusters", TestCRD.instance("bad", replicas: 0))
        #expect(bad.status == 422)
        #expect(bad.body["reason"] == "Invalid")
        #expect(bad.body["message"] == #"ZookeeperCluster.test.kube-sim.dev "bad" is invalid: spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"#)
        #expect(bad.body[path: ["details", "kind"]] == "ZookeeperCluster")
    }

    @Test func unknownFieldsArePrunedWarnedOrRefused() async throws {
        let (server, http) = try await serverWithCRD()
        defer { server.stop() }
        var object = TestCRD.instance("extra")
        object[path: ["spec", "colour"]] = "blue"
        let strict = try await http.post("/apis/test.kube-sim.dev/v1alpha1/namespaces/default/zookeeperclusters?fieldValidation=Strict", object)
        #expect(strict.status == 400)
        let warned = try await http.post("/apis/test.kube-sim.dev/v1alpha1/namespaces/default/zookeeperclusters?fieldValidation=Warn", object)
        #expect(warned.status == 201)
        #expect(warned.headers["warning"]?.contains("unknown field") == true)
        #expect(warned.body[path: ["spec", "colour"]] == nil)
    }

    @Test func statusSubresourceAndGeneration() async throws {
        let (server, http) = try await serverWithCRD()
        defer { server.stop() }
        let base = "/apis/test.kube-sim.dev/v1alpha1/namespaces/default/zookeeperclusters"
        var object = try await http.post(base, TestCRD.instance("zk")).body
        // Status written through the main resource is ignored.
        object["status"] = ["replicas": 5]
        object[path: ["metadata", "labels"]] = ["a": "b"]
        object = try await http.put("\(base)/zk", object).body
        #expect(object["status"] == nil)
        #expect(object[path: ["metadata", "generation"]] == 1)
        // Status through /status changes only status, and not the generation.
        object["status"] = ["replicas": 2, "selector": "app=zk"]
        object[path: ["spec", "replicas"]] = 7
        let statusWrite = try await http.put("\(base)/zk/status", object).body
        #expect(statusWrite[path: ["status", "replicas"]] == 2)
        #expect(statusWrite[path: ["spec", "replicas"]] == 3)
        #expect(statusWrite[path: ["metadata", "generation"]] == 1)
        // A spec change bumps the generation.
        let specWrite = try await http.patch("\(base)/zk", ["spec": ["replicas": 5]]).body
        #expect(specWrite[path: ["metadata", "generation"]] == 2)
        #expect(specWrite[path: ["status", "replicas"]] == 2)
    }

    @Test func scaleSubresource() async throws {
        let (server, http) = try await serverWithCRD()
        defer { server.stop() }
        let base = "/apis/test.kube-sim.dev/v1alpha1/namespaces/default/zookeeperclusters"
        _ = try await http.post(base, TestCRD.instance("zk"))
        _ = try await http.patch("\(base)/zk/status", ["status": ["replicas": 3, "selector": "app=zk"]])
        let scale = try await http.get("\(base)/zk/scale").body
        #expect(scale["kind"] == "Scale" && scale["apiVersion"] == "autoscaling/v1")
        #expect(scale[path: ["spec", "replicas"]] == 3)
        #expect(scale[path: ["status", "selector"]] == "app=zk")
        let patched = try await http.patch("\(base)/zk/scale", ["spec": ["replicas": 5]])
        #expect(patched.body[path: ["spec", "replicas"]] == 5)
        #expect(try await http.get("\(base)/zk").body[path: ["spec", "replicas"]] == 5)
        let strategic = try await http.patch("\(base)/zk", ["spec": ["replicas": 4]], type: "application/strategic-merge-patch+json")
        #expect(strategic.status == 415)
    }

    @Test func deletingTheCRDRemovesItsObjectsAndDiscovery() async throws {
        let (server, http) = try await serverWithCRD()
        defer { server.stop() }
        _ = try await http.post("/apis/test.kube-sim.dev/v1alpha1/namespaces/default/zookeeperclusters", TestCRD.instance("zk"))
        _ = try await http.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/zookeeperclusters.test.kube-sim.dev")
        #expect(try await eventually { try await http.get("/apis/test.kube-sim.dev/v1alpha1").status == 404 })
        #expect(try await eventually {
            try await http.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/zookeeperclusters.test.kube-sim.dev").status == 404
        })
        #expect(server.store.list("zookeeperclusters.test.kube-sim.dev", namespace: nil).items.isEmpty)
    }
}
