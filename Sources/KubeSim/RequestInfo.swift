import Foundation

/// What a request path and method address, parsed as kube-apiserver's RequestInfoFactory does.
struct RequestInfo: Equatable {
    var isResourceRequest = false
    var group = ""
    var version = ""
    var namespace: String?
    var resource = ""
    var name: String?
    var subresource: String?
    /// get, list, watch, create, update, patch, delete, deletecollection.
    var verb = ""

    static func parse(method: String, path: String, watchParameter: Bool) -> RequestInfo {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var info = RequestInfo()
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
            if isWatchPath || watchParameter { info.verb = "watch" }
            else { info.verb = info.name == nil ? "list" : "get" }
        case "POST": info.verb = "create"
        case "PUT": info.verb = "update"
        case "PATCH": info.verb = "patch"
        case "DELETE": info.verb = info.name == nil ? "deletecollection" : "delete"
        default: info.verb = ""
        }
        return info
    }
}
