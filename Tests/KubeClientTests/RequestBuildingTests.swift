import Foundation
import KubeModel
import Testing
@testable import KubeClient

@Suite struct RequestBuildingTests {
    @Test func urlsKeepServerPrefixAndEncodeQueries() throws {
        let request = APIRequest.get("/api/v1/namespaces/zk/pods", query: ListOptions(labelSelector: "app in (zk,x),tier!=web", limit: 2, continueToken: "a+b=").queryItems(watch: false))
        let url = try request.url(on: URL(string: "https://rancher.example/k8s/clusters/c-1/")!)
        #expect(url.absoluteString == "https://rancher.example/k8s/clusters/c-1/api/v1/namespaces/zk/pods?labelSelector=app%20in%20%28zk%2Cx%29%2Ctier%21%3Dweb&limit=2&continue=a%2Bb%3D")
    }

    @Test func watchQueryHasBookmarksAndTimeout() {
        let items = ListOptions(fieldSelector: "metadata.name=a", limit: 5, resourceVersion: "42", timeoutSeconds: 300).queryItems(watch: true)
        #expect(items.map { "\($0.0)=\($0.1)" } == ["watch=true", "fieldSelector=metadata.name=a", "resourceVersion=42", "timeoutSeconds=300", "allowWatchBookmarks=true"])
    }

    @Test func patchContentTypesAndDeleteOptions() {
        #expect(Patch.merge([:]).contentType == "application/merge-patch+json")
        #expect(Patch.strategicMerge([:]).contentType == "application/strategic-merge-patch+json")
        #expect(Patch.json([["op": "remove", "path": "/a"]]).body == [["op": "remove", "path": "/a"]])
        let options = DeleteOptions(propagationPolicy: "Foreground", gracePeriodSeconds: 0, preconditionUID: "u", preconditionResourceVersion: "7")
        #expect(options.body == ["apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": "Foreground", "gracePeriodSeconds": 0,
                                 "preconditions": ["uid": "u", "resourceVersion": "7"]])
    }

    @Test func typedBodiesCarryTypeMeta() throws {
        let client = try KubeClient(configuration: ClientConfiguration(server: URL(string: "http://127.0.0.1:1")!, namespace: "zk"))
        let body = try client.encode(TestConfigMap(name: "a"))
        #expect(body["apiVersion"] == "v1")
        #expect(body["kind"] == "ConfigMap")
        #expect(client.objectPath(.configMaps, nil, "a", "status") == "/api/v1/namespaces/zk/configmaps/a/status")
        #expect(client.objectPath(.namespaces, "ignored", "zk", nil) == "/api/v1/namespaces/zk")
    }

    @Test func errorBodiesBecomeStatuses() throws {
        let body = Data(#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"configmaps \"a\" not found","reason":"NotFound","details":{"name":"a","kind":"configmaps"},"code":404}"#.utf8)
        let status = Transport.status(code: 404, body: body)
        #expect(KubeError.api(status).isNotFound)
        #expect(status.message == #"configmaps "a" not found"#)
        let proxy = Transport.status(code: 503, body: Data("<html>upstream down</html>".utf8))
        #expect(proxy.reason == "ServiceUnavailable")
        #expect(proxy.code == 503)
        #expect(proxy.message == "<html>upstream down</html>")
        #expect(KubeError.api(Transport.status(code: 409, body: Data())).isConflict)
        #expect(KubeError.api(Transport.status(code: 410, body: Data())).isGone)
        #expect(KubeError.api(Transport.status(code: 422, body: Data())).isInvalid)
        #expect(KubeError.api(Transport.status(code: 429, body: Data())).isTooManyRequests)
        #expect(KubeError.api(Status(reason: "AlreadyExists", code: 409)).isAlreadyExists)
    }
}

@Suite struct TLSExplanationTests {
    @Test func libcurlCertificateFailuresNameTheFix() {
        // What swift-corelibs-foundation reports for a server certificate libcurl cannot verify.
        let error = NSError(domain: NSURLErrorDomain, code: -1, userInfo: [NSLocalizedDescriptionKey: "SSL certificate problem: self-signed certificate"])
        let message = TLSTrust.explain(error, server: URL(string: "https://10.0.0.1:6443")!)
        #expect(message.contains("system CA bundle"))
        #expect(message.contains("update-ca-certificates"))
        #expect(message.contains("kubectl proxy"))
        let refused = NSError(domain: NSURLErrorDomain, code: NSURLErrorCannotConnectToHost, userInfo: [NSLocalizedDescriptionKey: "Could not connect to the server."])
        #expect(!TLSTrust.explain(refused, server: URL(string: "https://10.0.0.1:6443")!).contains("CA"))
    }
}
