import Foundation
import KubeModel

/// One HTTP request to the API server, before authentication and transport.
struct APIRequest: Sendable {
    var method: String
    var path: String
    var query: [(String, String)] = []
    var body: Data?
    var contentType: String?
    var accept = "application/json"
    /// Overrides the client's retry policy for this request.
    var retryPolicy: RetryPolicy?

    static func get(_ path: String, query: [(String, String)] = []) -> APIRequest {
        APIRequest(method: "GET", path: path, query: query)
    }

    static func json(_ method: String, _ path: String, body: JSONValue, contentType: String = "application/json", query: [(String, String)] = []) -> APIRequest {
        APIRequest(method: method, path: path, query: query, body: body.serialized(), contentType: contentType)
    }

    /// The full URL on `server`, which may carry a path prefix (API proxies such as Rancher's).
    func url(on server: URL) throws -> URL {
        var base = server.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var text = base + path
        if !query.isEmpty {
            text += "?" + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        guard let url = URL(string: text) else { throw KubeError.configuration("invalid request URL \(text)") }
        return url
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters, so selectors with
    /// `=`, `,`, `!` or `+` reach the server intact.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension ListOptions {
    /// The query of a list or watch request.
    func queryItems(watch: Bool) -> [(String, String)] {
        var items: [(String, String)] = []
        if watch { items.append(("watch", "true")) }
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let limit, !watch { items.append(("limit", String(limit))) }
        if let continueToken, !watch { items.append(("continue", continueToken)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        if watch, allowWatchBookmarks { items.append(("allowWatchBookmarks", "true")) }
        return items
    }
}

extension Patch {
    var contentType: String {
        switch self {
        case .merge: return "application/merge-patch+json"
        case .strategicMerge: return "application/strategic-merge-patch+json"
        case .json: return "application/json-patch+json"
        }
    }

    var body: JSONValue {
        switch self {
        case .merge(let value), .strategicMerge(let value): return value
        case .json(let operations): return .array(operations)
        }
    }
}

extension DeleteOptions {
    /// The `DeleteOptions` body of a delete request.
    var body: JSONValue {
        var body: JSONValue = ["apiVersion": "v1", "kind": "DeleteOptions"]
        if let propagationPolicy { body["propagationPolicy"] = .string(propagationPolicy) }
        if let gracePeriodSeconds { body["gracePeriodSeconds"] = .int(Int64(gracePeriodSeconds)) }
        if preconditionUID != nil || preconditionResourceVersion != nil {
            var preconditions: JSONValue = [:]
            if let preconditionUID { preconditions["uid"] = .string(preconditionUID) }
            if let preconditionResourceVersion { preconditions["resourceVersion"] = .string(preconditionResourceVersion) }
            body["preconditions"] = preconditions
        }
        return body
    }
}
