import KubeClient
import KubeModel

/// The writes a reconcile makes: a protocol so tests can count and fail them without a server.
public protocol KeeperAPI: Sendable {
    /// Server-side apply of `object` as field manager `keeper`; returns the live object.
    func apply<T: KubeObject>(_ object: T) async throws -> T
    /// JSON merge patch of `object` onto the live object: maps merge, lists are replaced whole.
    func mergePatch<T: KubeObject>(_ object: T) async throws -> T
    /// Replaces the cluster's status (PUT `.../status` with the object's resourceVersion).
    func updateStatus(_ cluster: ZookeeperCluster) async throws -> ZookeeperCluster
    /// Evicts a member pod through the Eviction API (which honours the PodDisruptionBudget:
    /// 429 while it allows no disruption), only if it is still the pod with `uid`.
    func evict(namespace: String, pod: String, uid: String) async throws
    /// Creates a Secret (AlreadyExists when it is there).
    func create(_ secret: Secret) async throws -> Secret
    /// Reads a Secret.
    func secret(namespace: String, name: String) async throws -> Secret
    /// The Events of `namespace` matching `fieldSelector` (a `list`; Keeper caches no Events).
    func events(namespace: String, fieldSelector: String) async throws -> [Event]
}

/// `KeeperAPI` over a `KubeClient`.
public struct KubeClientKeeperAPI: KeeperAPI {
    /// The field manager of Keeper's server-side applies.
    public static let fieldManager = "keeper"
    public let client: KubeClient

    public init(client: KubeClient) {
        self.client = client
    }

    public func apply<T: KubeObject>(_ object: T) async throws -> T {
        try await client.apply(object, fieldManager: Self.fieldManager, force: true)
    }

    public func mergePatch<T: KubeObject>(_ object: T) async throws -> T {
        try await client.patch(T.self, namespace: object.metadata.namespace, name: object.name, patch: .merge(try JSONValue(encoding: object)))
    }

    public func updateStatus(_ cluster: ZookeeperCluster) async throws -> ZookeeperCluster {
        try await client.updateStatus(cluster)
    }

    public func evict(namespace: String, pod: String, uid: String) async throws {
        try await client.evict(namespace: namespace, podName: pod, options: DeleteOptions(preconditionUID: uid))
    }

    public func create(_ secret: Secret) async throws -> Secret {
        try await client.create(secret)
    }

    public func secret(namespace: String, name: String) async throws -> Secret {
        try await client.get(Secret.self, namespace: namespace, name: name)
    }

    public func events(namespace: String, fieldSelector: String) async throws -> [Event] {
        try await client.list(Event.self, namespace: namespace, options: ListOptions(fieldSelector: fieldSelector)).items
    }
}
