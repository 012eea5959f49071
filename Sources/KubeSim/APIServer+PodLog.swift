import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    /// The log options kube-apiserver passes on to the kubelet's `/containerLogs`.
    static let podLogParameters = ["follow", "previous", "timestamps", "tailLines", "limitBytes", "sinceSeconds", "sinceTime"]

    /// `GET pods/<name>/log`: proxied to the kubelet of the pod's node, as kube-apiserver does:
    /// `http://<node InternalIP>:<status.daemonEndpoints.kubeletEndpoint.Port>/containerLogs/<ns>/<pod>/<container>`
    /// with the log options passed along (plain HTTP: kube-sim's kubelet serves no TLS).
    func podLog(_ info: ResourceInfo, _ context: RequestContext) throws -> HTTPResponse {
        guard let name = context.info.name, let namespace = context.namespace else { throw StatusErrors.pathNotFound() }
        let pod = try live(info, namespace: namespace, name: name)
        let container = try Self.logContainer(pod, requested: context.query("container"))
        guard let nodeName = pod[path: ["spec", "nodeName"]]?.stringValue, !nodeName.isEmpty else {
            throw StatusErrors.badRequest("pod \(name) does not have a host assigned")
        }
        guard let node = store.get(ResourceType.nodes.groupResource, ObjectKey(namespace: nil, name: nodeName)) else {
            throw APIErrors.notFound(resource: .nodes, name: nodeName)
        }
        let endpoint = try Self.kubeletEndpoint(node)
        var components = URLComponents()
        components.scheme = "http"
        components.host = endpoint.host
        components.port = endpoint.port
        components.path = "/containerLogs/\(namespace)/\(name)/\(container)"
        let items = Self.podLogParameters.compactMap { key in context.query(key).map { URLQueryItem(name: key, value: $0) } }
        if !items.isEmpty { components.queryItems = items }
        guard let url = components.url else { throw StatusErrors.internalError("cannot build the kubelet URL for node \(nodeName)") }
        return try KubeletLogProxy.forward(url, follow: Self.isTrue(context.query("follow")))
    }

    /// The container a log request is for: the named one, or the only one.
    static func logContainer(_ pod: JSONValue, requested: String?) throws -> String {
        let name = pod[path: ["metadata", "name"]]?.stringValue ?? ""
        func names(_ key: String) -> [String] { (pod[path: ["spec", key]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue } }
        let containers = names("containers"), initContainers = names("initContainers"), ephemeral = names("ephemeralContainers")
        guard let requested else {
            if containers.count == 1, let only = containers.first { return only }
            var message = "a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]"
            if !initContainers.isEmpty { message += " or one of the init containers: [\(initContainers.joined(separator: " "))]" }
            if !ephemeral.isEmpty { message += " or one of the ephemeral containers: [\(ephemeral.joined(separator: " "))]" }
            throw StatusErrors.badRequest(message)
        }
        guard (containers + initContainers + ephemeral).contains(requested) else {
            throw StatusErrors.badRequest("container \(requested) is not valid for pod \(name)")
        }
        return requested
    }

    /// Where a node's kubelet listens: its InternalIP (else Hostname, else ExternalIP) and
    /// `status.daemonEndpoints.kubeletEndpoint.Port`.
    static func kubeletEndpoint(_ node: JSONValue) throws -> (host: String, port: Int) {
        let name = node[path: ["metadata", "name"]]?.stringValue ?? ""
        let addresses = node[path: ["status", "addresses"]]?.arrayValue ?? []
        let host = ["InternalIP", "Hostname", "ExternalIP"].lazy.compactMap { type in
            addresses.first { $0["type"]?.stringValue == type }?["address"]?.stringValue
        }.first
        guard let host, !host.isEmpty else {
            throw StatusErrors.internalError("node \(name) has no address to reach its kubelet: no preferred addresses found; known addresses: []")
        }
        guard let port = node[path: ["status", "daemonEndpoints", "kubeletEndpoint", "Port"]]?.intValue, port > 0 else {
            throw StatusErrors.internalError("node \(name) reports no kubelet endpoint (status.daemonEndpoints.kubeletEndpoint.Port), so its logs cannot be read")
        }
        return (host, Int(port))
    }
}
