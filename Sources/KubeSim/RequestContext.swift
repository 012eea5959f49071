import Foundation
import HTTPServer
import KubeModel

/// One resource request being answered: the HTTP request, what it addresses, and the
/// warnings collected for `Warning` headers.
final class RequestContext {
    let http: HTTPRequest
    let info: RequestInfo
    /// Who asked; nil for kube-sim's own in-process requests, which are never refused.
    let user: UserInfo?
    var warnings: [String] = []

    init(http: HTTPRequest, info: RequestInfo, user: UserInfo?) {
        self.http = http
        self.info = info
        self.user = user
    }

    func query(_ name: String) -> String? {
        guard let value = http.query(name), !value.isEmpty else { return nil }
        return value
    }

    var namespace: String? { info.namespace }

    /// True when the client asked for `meta.k8s.io/v1` Table output (`kubectl get`).
    var wantsTable: Bool {
        guard let accept = http.headers["Accept"] else { return false }
        return accept.split(separator: ",").first.map { $0.contains("as=Table") } ?? false
    }

    var isDryRun: Bool { http.queryValues("dryRun").contains("All") }

    /// The field manager for managedFields: the `fieldManager` parameter, else the user
    /// agent's program name, as kube-apiserver derives it.
    var fieldManager: String {
        if let manager = query("fieldManager") { return manager }
        let agent = http.headers["User-Agent"] ?? "unknown"
        return String(agent.split(separator: "/").first ?? "unknown")
    }

    /// `fieldValidation`: Strict, Warn (the default) or Ignore.
    var fieldValidation: String { query("fieldValidation") ?? "Warn" }

    func decodeBody() throws -> JSONValue {
        guard !http.body.isEmpty else { throw StatusErrors.badRequest("the body of the request was empty") }
        let contentType = APIServer.mediaType(http.headers["Content-Type"])
        if contentType == "application/vnd.kubernetes.protobuf" {
            if let value = try? ProtobufBody.decode(http.body) { return value }
            throw APIErrors.unsupportedMediaType(accepted: ["application/json", "application/yaml"])
        }
        if let value = try? JSONValue.parse(http.body) { return value }
        if let value = try? YAMLBody.parse(http.body) { return value }
        throw StatusErrors.badRequest("the body of the request could not be decoded as JSON or YAML")
    }
}
