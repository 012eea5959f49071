import Foundation
import KubeModel

/// A Kubernetes API client over Foundation's URLSession: typed and untyped verbs, watches,
/// and a list-then-watch `watcher` for informer caches.
///
/// ```swift
/// let client = try KubeClient.load()                     // kubeconfig / in-cluster
/// let pods = try await client.list(.pods, namespace: "default")
/// for await event in client.watcher(MyObject.self, namespace: nil) { ... }
/// ```
public final class KubeClient: Sendable {
    /// What the client was configured with.
    public let configuration: ClientConfiguration
    let transport: Transport

    public init(configuration: ClientConfiguration) throws {
        guard let scheme = configuration.server.scheme?.lowercased(), scheme == "http" || scheme == "https",
              configuration.server.host != nil else {
            throw KubeError.configuration("server \(configuration.server.absoluteString) is not an http(s) URL")
        }
        self.configuration = configuration
        transport = Transport(configuration: configuration)
    }

    /// Loads configuration in the order of preference: `kubeconfigPath`, `KUBECONFIG`,
    /// in-cluster, `~/.kube/config`. Warnings (e.g. TLS settings Foundation on Linux cannot
    /// apply) are written to standard error.
    public static func load(kubeconfigPath: String? = nil, context: String? = nil) throws -> KubeClient {
        let configuration = try ConfigLoader().load(kubeconfigPath: kubeconfigPath, context: context)
        for warning in configuration.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        return try KubeClient(configuration: configuration)
    }

    /// A client for a kubeconfig given as text (kube-sim writes one), e.g. in tests.
    public static func fromKubeconfig(_ text: String, context: String? = nil) throws -> KubeClient {
        try KubeClient(configuration: try Kubeconfig(text: text).configuration(context: context))
    }

    // MARK: Untyped verbs: any resource, bodies as JSON values.

    public func get(_ resource: ResourceType, namespace: String?, name: String, subresource: String? = nil) async throws -> JSONValue {
        try await send(.get(objectPath(resource, namespace, name, subresource)))
    }

    /// One page of a list; `options.limit`/`continueToken` page through big collections.
    public func list(_ resource: ResourceType, namespace: String?, options: ListOptions = ListOptions()) async throws -> JSONValue {
        try await send(.get(resource.path(namespace: namespace), query: options.queryItems(watch: false)))
    }

    /// Every item of a collection, following `continue` tokens page by page.
    public func listAll(_ resource: ResourceType, namespace: String?, options: ListOptions = ListOptions()) async throws -> (items: [JSONValue], resourceVersion: String?) {
        var options = options
        var items: [JSONValue] = []
        while true {
            let page = try await list(resource, namespace: namespace, options: options)
            items += page["items"]?.arrayValue ?? []
            guard let token = page[path: ["metadata", "continue"]]?.stringValue, !token.isEmpty else {
                return (items, page[path: ["metadata", "resourceVersion"]]?.stringValue)
            }
            options.continueToken = token
        }
    }

    public func create(_ resource: ResourceType, namespace: String?, object: JSONValue, subresource: String? = nil, name: String? = nil) async throws -> JSONValue {
        let path = subresource == nil
            ? resource.path(namespace: namespaceFor(resource, namespace ?? object[path: ["metadata", "namespace"]]?.stringValue))
            : objectPath(resource, namespace, name ?? object[path: ["metadata", "name"]]?.stringValue ?? "", subresource)
        return try await send(.json("POST", path, body: withTypeMeta(object, resource, subresource)))
    }

    /// PUT: a `metadata.resourceVersion` in `object` is a precondition (409 Conflict when stale).
    public func update(_ resource: ResourceType, namespace: String?, name: String, object: JSONValue, subresource: String? = nil) async throws -> JSONValue {
        try await send(.json("PUT", objectPath(resource, namespace, name, subresource), body: withTypeMeta(object, resource, subresource)))
    }

    public func patch(_ resource: ResourceType, namespace: String?, name: String, patch: Patch, subresource: String? = nil) async throws -> JSONValue {
        try await send(.json("PATCH", objectPath(resource, namespace, name, subresource), body: patch.body, contentType: patch.contentType))
    }

    /// Server-side apply (`application/apply-patch+yaml`; JSON is YAML) as `fieldManager`.
    public func apply(_ resource: ResourceType, namespace: String?, name: String, object: JSONValue, fieldManager: String, force: Bool = true, subresource: String? = nil) async throws -> JSONValue {
        var query = [("fieldManager", fieldManager)]
        if force { query.append(("force", "true")) }
        return try await send(.json("PATCH", objectPath(resource, namespace, name, subresource), body: withTypeMeta(object, resource, nil),
                                    contentType: "application/apply-patch+yaml", query: query))
    }

    public func delete(_ resource: ResourceType, namespace: String?, name: String, options: DeleteOptions = DeleteOptions()) async throws {
        _ = try await transport.send(.json("DELETE", objectPath(resource, namespace, name, nil), body: options.body))
    }

    /// The Eviction subresource: 429 when a PodDisruptionBudget allows no disruption, thrown
    /// at once rather than retried (see `RetryPolicy.retriesTooManyRequests`).
    public func evict(namespace: String, podName: String) async throws {
        try await evict(namespace: namespace, podName: podName, options: DeleteOptions())
    }

    /// Eviction with delete options (grace period, preconditions).
    public func evict(namespace: String, podName: String, options: DeleteOptions) async throws {
        var eviction: JSONValue = ["apiVersion": "policy/v1", "kind": "Eviction",
                                   "metadata": ["name": .string(podName), "namespace": .string(namespace)]]
        if options != DeleteOptions() { eviction["deleteOptions"] = options.body }
        var policy = configuration.retryPolicy
        policy.retriesTooManyRequests = false
        var request = APIRequest.json("POST", ResourceType.pods.path(namespace: namespace, name: podName, subresource: "eviction"), body: eviction)
        request.retryPolicy = policy
        _ = try await transport.send(request)
    }

    // MARK: Helpers

    func send(_ request: APIRequest) async throws -> JSONValue {
        let data = try await transport.send(request)
        if data.isEmpty { return .null }
        do {
            return try JSONValue.parse(data)
        } catch {
            throw KubeError.decoding("\(request.method) \(request.path): the response is not JSON: \(error)")
        }
    }

    /// The namespace an object-level request goes to: namespaced resources default to the
    /// configuration's namespace; cluster-scoped ones have none.
    func namespaceFor(_ resource: ResourceType, _ namespace: String?) -> String? {
        guard resource.namespaced else { return nil }
        return namespace.flatMap { $0.isEmpty ? nil : $0 } ?? configuration.namespace
    }

    func objectPath(_ resource: ResourceType, _ namespace: String?, _ name: String, _ subresource: String?) -> String {
        resource.path(namespace: namespaceFor(resource, namespace), name: APIRequest.encode(name), subresource: subresource)
    }

    /// Sets `apiVersion` and `kind` of a body sent for the object itself (not a subresource
    /// with its own kind, such as Scale or Eviction).
    func withTypeMeta(_ object: JSONValue, _ resource: ResourceType, _ subresource: String?) -> JSONValue {
        guard subresource == nil || subresource == "status", case .object = object else { return object }
        var object = object
        object["apiVersion"] = .string(resource.apiVersion)
        object["kind"] = .string(resource.kind)
        return object
    }
}
