import Foundation
import KubeModel
import Testing
@testable import KubeSim

/// Pod Security and ResourceQuota admission over HTTP, and the StatefulSet controller's
/// `FailedCreate` Event when its pod is refused.
@Suite struct PodAdmissionTests {
    typealias F = SimFixtures

    static func namespace(_ name: String, labels: JSONValue) -> JSONValue {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name), "labels": labels]]
    }

    static let barePod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "bare"],
                                     "spec": ["containers": [["name": "app", "image": "zookeeper:3.9.4"]]]]

    @Test func enforceRefusesWithTheRealMessageAndWarnWarns() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let http = TestHTTP(server: server)
        _ = try server.storage.create(.namespaces, Self.namespace("locked", labels: ["pod-security.kubernetes.io/enforce": "restricted",
                                                                                   "pod-security.kubernetes.io/enforce-version": "v1.32"]))
        _ = try server.storage.create(.namespaces, Self.namespace("watched", labels: ["pod-security.kubernetes.io/warn": "restricted"]))

        let refused = try await http.post("/api/v1/namespaces/locked/pods", Self.barePod)
        #expect(refused.status == 403)
        #expect(refused.body["reason"] == "Forbidden")
        #expect(refused.body["message"]?.stringValue == #"""
            pods "bare" is forbidden: violates PodSecurity "restricted:v1.32": \#
            allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), \#
            unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), \#
            runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), \#
            seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")
            """#)
        #expect((try? server.storage.get(.pods, namespace: "locked", name: "bare")) == nil)

        let warned = try await http.post("/api/v1/namespaces/watched/pods", Self.barePod)
        #expect(warned.status == 201)
        let warning = try #require(warned.headers["warning"])
        #expect(warning.hasPrefix(#"299 - "would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false"#), "\(warning)")
    }

    @Test func theStatefulSetControllerRecordsFailedCreate() async throws {
        let server = APIServer()
        _ = try server.storage.patch(.namespaces, name: "default", mergePatch: ["metadata": ["labels": ["pod-security.kubernetes.io/enforce": "baseline"]]])
        var set = F.statefulSet("web", replicas: 1, podManagement: "Parallel", claims: false)
        set[path: ["spec", "template", "spec", "hostNetwork"]] = true
        _ = try server.storage.create(.statefulSets, set)
        let expected = #"create Pod web-0 in StatefulSet web failed error: pods "web-0" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork)"#
        #expect(await eventually(timeout: 30) {
            let events = (try? server.storage.list(.events, namespace: "default", fieldSelector: "involvedObject.name=web,reason=FailedCreate")) ?? []
            return events.contains { $0["type"] == "Warning" && $0["message"]?.stringValue == expected && $0[path: ["involvedObject", "kind"]] == "StatefulSet" }
        })
        #expect(F.podNames(server, app: "web").isEmpty)
    }

    @Test func aQuotaOfTwoPodsStopsTheThird() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let http = TestHTTP(server: server)
        let quota: JSONValue = ["apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "two-pods"], "spec": ["hard": ["count/pods": "2"]]]
        #expect(try await http.post("/api/v1/namespaces/default/resourcequotas", quota).status == 201)
        #expect(try await http.get("/api/v1/namespaces/default/resourcequotas/two-pods").body[path: ["spec", "hard", "count/pods"]] == "2")
        _ = try server.storage.create(.statefulSets, F.statefulSet("web", replicas: 3, podManagement: "Parallel", claims: false))
        let expected = #"create Pod web-2 in StatefulSet web failed error: pods "web-2" is forbidden: exceeded quota: two-pods, requested: count/pods=1, used: count/pods=2, limited: count/pods=2"#
        #expect(await eventually(timeout: 30) {
            let events = (try? server.storage.list(.events, namespace: "default", fieldSelector: "reason=FailedCreate")) ?? []
            return events.contains { $0["message"]?.stringValue == expected }
        })
        #expect(F.podNames(server, app: "web") == ["web-0", "web-1"])
    }
}
