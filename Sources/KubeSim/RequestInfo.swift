import Foundation

/// What a request path and method address, parsed as kube-apiserver's RequestInfoFactory does
/// (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go, `NewRequestInfo`). The
/// authorizer reads the same fields (`authorizer.AttributesRecord` is built from it).
struct RequestInfo: Equatable {
    var isResourceRequest = false
    /// The request path: what non-resource rules (`nonResourceURLs`) match.
    var path = ""
    var group = ""
    var version = ""
    var namespace: String?
    var resource = ""
    var name: String?
    var subresource: String?
    /// For resource requests: get, list, watch, create, update, patch, delete, deletecollection.
    /// For non-resource requests: the lowercased HTTP method (`get`, `post`, ...).
    var verb = ""
    /// A list or watch whose field selector requires `metadata.name=<name>` addresses that one
    /// object for authorization (so `resourceNames` rules apply to it), as requestinfo.go does.
    var selectedName: String?

    /// The name the authorizer sees: the path's, else the one a field selector pins.
    var authorizationName: String { name ?? selectedName ?? "" }

    static func parse(method: String, path: String, watchParameter: Bool, fieldSelector: String? = nil) -> RequestInfo {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var info = RequestInfo(path: path, verb: method.lowercased())
        guard let prefix = parts.first, prefix == "api" || prefix == "apis" else { return info }
        parts.removeFirst()
        if prefix == "apis" {
            guard parts.count >= 2 else { return info }
            info.group = parts.removeFirst()
        } else {
            guard parts.count >= 1 else { return info }
        }
        info.version = parts.removeFirst()
        guard !parts.isEmpty else { return info }
        info.isResourceRequest = true
        var isWatchPath = false
        if parts.first == "watch" {
            isWatchPath = true
            parts.removeFirst()
        }
        if parts.first == "namespaces" {
            if parts.count > 1 {
                info.namespace = parts[1]
                if parts.count > 2 && !["status", "finalize"].contains(parts[2]) {
                    parts.removeFirst(2)
                }
            }
        }
        // `namespaces/<name>` addresses the Namespace itself, not a namespace scope.
        if parts.first == "namespaces" { info.namespace = nil }
        guard !parts.isEmpty else { return info }
        info.resource = parts[0]
        if parts.count > 1 { info.name = parts[1] }
        if parts.count > 2 { info.subresource = parts[2] }
        switch method {
        case "GET", "HEAD":
            // `/watch/...` is the deprecated verb-by-path form; otherwise only a request without a
            // name is a list or (with `watch=true`) a watch.
            if isWatchPath { info.verb = "watch" }
            else if info.name == nil { info.verb = watchParameter ? "watch" : "list" }
            else { info.verb = "get" }
        case "POST": info.verb = "create"
        case "PUT": info.verb = "update"
        case "PATCH": info.verb = "patch"
        case "DELETE": info.verb = info.name == nil ? "deletecollection" : "delete"
        default: info.verb = ""
        }
        if info.name == nil, ["list", "watch"].contains(info.verb), let fieldSelector {
            info.selectedName = Self.exactName(fieldSelector)
        }
        return info
    }

    /// `metadata.name=x` (or `==`) as the only requirement on the name: `RequiresExactMatch`.
    private static func exactName(_ selector: String) -> String? {
        for requirement in selector.split(separator: ",") {
            let text = String(requirement).trimmingCharacters(in: .whitespaces)
            for op in ["==", "="] where text.hasPrefix("metadata.name" + op) {
                let value = String(text.dropFirst(("metadata.name" + op).count))
                return value.isEmpty || value.contains("/") ? nil : value
            }
        }
        return nil
    }
}
