import Foundation
import KubeModel
import Testing
@testable import KubeSim

/// Who a request is from, over HTTP: the admin token, ServiceAccount tokens from the
/// TokenRequest API, anonymous requests, and invalid tokens, answered as kube-apiserver does.
@Suite struct AuthenticationTests {
    static func started() throws -> APIServer {
        let server = APIServer()
        try server.start()
        _ = try server.storage.create(.namespaces, ["metadata": ["name": "keeper-system"]])
        _ = try server.storage.create(.serviceAccounts, ["metadata": ["name": "keeper", "namespace": "keeper-system"]])
        return server
    }

    static func tokenRequest(expirationSeconds: Int64? = nil, audiences: [String]? = nil) -> JSONValue {
        var spec: JSONValue = [:]
        if let expirationSeconds { spec["expirationSeconds"] = .int(expirationSeconds) }
        if let audiences { spec["audiences"] = .array(audiences.map(JSONValue.string)) }
        return ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec]
    }

    @Test func anonymousRequestsSeeOnlyThePublicEndpoints() async throws {
        let server = try Self.started()
        defer { server.stop() }
        let anonymous = TestHTTP(server: server, token: nil)
        for path in ["/healthz", "/livez", "/readyz", "/version"] {
            #expect(try await anonymous.get(path).status == 200, "\(path)")
        }
        let discovery = try await anonymous.get("/api")
        #expect(discovery.status == 403)
        #expect(discovery.body["message"] == "forbidden: User \"system:anonymous\" cannot get path \"/api\"")
        let list = try await anonymous.get("/api/v1/namespaces/default/configmaps")
        #expect(list.body["message"] == "configmaps is forbidden: User \"system:anonymous\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"")
        #expect(server.authorizationLog.refused.map(\.user.name) == ["system:anonymous", "system:anonymous"])
    }

    @Test func anInvalidTokenIsUnauthorized() async throws {
        let server = try Self.started()
        defer { server.stop() }
        let response = try await TestHTTP(server: server, token: "not-issued").get("/version")
        #expect(response.status == 401)
        #expect(response.body == ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "message": "Unauthorized", "reason": "Unauthorized", "code": 401])
        #expect(try await TestHTTP(server: server).get("/api/v1/namespaces/default/configmaps").status == 200)
    }

    @Test func tokenRequestIssuesAServiceAccountToken() async throws {
        let server = try Self.started()
        defer { server.stop() }
        let admin = TestHTTP(server: server)
        let missing = try await admin.post("/api/v1/namespaces/keeper-system/serviceaccounts/nobody/token", Self.tokenRequest())
        #expect(missing.status == 404)
        #expect(missing.body["message"] == "serviceaccounts \"nobody\" not found")
        let tooShort = try await admin.post("/api/v1/namespaces/keeper-system/serviceaccounts/keeper/token", Self.tokenRequest(expirationSeconds: 60))
        #expect(tooShort.status == 422)

        let issued = try await admin.post("/api/v1/namespaces/keeper-system/serviceaccounts/keeper/token", Self.tokenRequest(expirationSeconds: 600))
        #expect(issued.status == 201)
        #expect(issued.body["kind"] == "TokenRequest")
        #expect(issued.body[path: ["spec", "audiences"]] == [.string(ServiceAccountTokenIssuer.apiServerAudience)])
        let token = try #require(issued.body[path: ["status", "token"]]?.stringValue)
        #expect(token.count >= 43 && !token.contains("=") && !token.contains("/") && !token.contains("+"))
        let expiry = try #require(issued.body[path: ["status", "expirationTimestamp"]]?.stringValue).prefix(16)
        #expect(expiry == APIServer.timestamp(Date().addingTimeInterval(600)).prefix(16))

        let review = try await TestHTTP(server: server, token: token).post("/apis/authentication.k8s.io/v1/selfsubjectreviews",
                                                                           ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"])
        #expect(review.body[path: ["status", "userInfo", "username"]] == "system:serviceaccount:keeper-system:keeper")
        #expect(review.body[path: ["status", "userInfo", "groups"]] == ["system:serviceaccounts", "system:serviceaccounts:keeper-system", "system:authenticated"])
        let refused = try await TestHTTP(server: server, token: token).get("/api/v1/namespaces/default/pods")
        #expect(refused.status == 403)
        #expect(refused.body["message"] == "pods is forbidden: User \"system:serviceaccount:keeper-system:keeper\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"")

        // A token for another audience is not for the API server; one of a deleted ServiceAccount is void.
        let foreign = try server.serviceAccountTokens.issue(namespace: "keeper-system", serviceAccount: "keeper", audiences: ["vault"])
        #expect(try await TestHTTP(server: server, token: foreign).get("/version").status == 401)
        try server.storage.delete(.serviceAccounts, namespace: "keeper-system", name: "keeper")
        #expect(try await TestHTTP(server: server, token: token).get("/version").status == 401)
        _ = try server.storage.create(.serviceAccounts, ["metadata": ["name": "keeper", "namespace": "keeper-system"]])
        #expect(try await TestHTTP(server: server, token: token).get("/version").status == 401, "a new ServiceAccount of the same name has another UID")
    }

    @Test func rbacObjectsAuthorizeAndAnApplyThatCreatesNeedsCreate() async throws {
        let server = try Self.started()
        defer { server.stop() }
        let token = try server.serviceAccountTokens.issue(namespace: "keeper-system", serviceAccount: "keeper")
        let keeper = TestHTTP(server: server, token: token)
        let apply: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "zk-config"], "data": ["a": "b"]]
        let path = "/api/v1/namespaces/default/configmaps/zk-config?fieldManager=keeper"
        #expect(try await keeper.patch(path, apply, type: "application/apply-patch+yaml").status == 403)

        let admin = TestHTTP(server: server)
        #expect(try await admin.post("/apis/rbac.authorization.k8s.io/v1/clusterroles", [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "patcher"],
            "rules": [["apiGroups": [""], "resources": ["configmaps"], "verbs": ["patch"]]],
        ]).status == 201)
        #expect(try await admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "patcher"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "patcher"],
            "subjects": [["kind": "ServiceAccount", "name": "keeper", "namespace": "keeper-system"]],
        ]).status == 201)
        // patch is allowed now, but the apply would create: the server also asks for create.
        let refused = try await keeper.patch(path, apply, type: "application/apply-patch+yaml")
        #expect(refused.status == 403)
        #expect(refused.body["message"] == "configmaps \"zk-config\" is forbidden: User \"system:serviceaccount:keeper-system:keeper\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"")
        // Once the object exists, the same apply is a patch.
        _ = try server.storage.create(.configMaps, ["metadata": ["name": "zk-config", "namespace": "default"]])
        #expect(try await keeper.patch(path, apply, type: "application/apply-patch+yaml").status == 200)
        // The binding is namespaced: another namespace is refused.
        #expect(try await keeper.patch("/api/v1/namespaces/kube-system/configmaps/zk-config?fieldManager=keeper", apply, type: "application/apply-patch+yaml").status == 403)
        #expect(server.authorizationLog.records(of: "system:serviceaccount:keeper-system:keeper").map(\.attributes.verb) == ["patch", "patch", "create", "patch", "patch"])
    }

    @Test func selfSubjectAccessReviewAnswersForTheCaller() async throws {
        let server = try Self.started()
        defer { server.stop() }
        let token = try server.serviceAccountTokens.issue(namespace: "keeper-system", serviceAccount: "keeper")
        func review(_ token: String?, _ attributes: JSONValue) async throws -> JSONValue {
            try await TestHTTP(server: server, token: token).post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", [
                "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": attributes,
            ]).body
        }
        let pods: JSONValue = ["resourceAttributes": ["verb": "list", "resource": "pods", "namespace": "default"]]
        #expect(try await review(server.adminToken, pods)[path: ["status", "allowed"]] == true)
        #expect(try await review(token, pods)[path: ["status", "allowed"]] == false)
        let discovery = try await review(token, ["nonResourceAttributes": ["verb": "get", "path": "/apis"]])
        #expect(discovery[path: ["status", "allowed"]] == true)
        #expect(discovery[path: ["status", "reason"]] == "RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole \"system:discovery\" to Group \"system:authenticated\"")
        let invalid = try await TestHTTP(server: server, token: token).post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", [
            "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": [:],
        ])
        #expect(invalid.status == 422)
    }
}
