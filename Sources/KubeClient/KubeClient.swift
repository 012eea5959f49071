import Foundation
import KubeModel

/// STUB SURFACE: the public API other targets code against. The client branch fills in the
/// bodies (and may add to it); the signatures stay.
public final class KubeClient: Sendable {
    public init(configuration: ClientConfiguration) throws {}

    /// Loads configuration in the order of preference: `kubeconfigPath`, `KUBECONFIG`,
    /// in-cluster, `~/.kube/config`.
    public static func load(kubeconfigPath: String? = nil, context: String? = nil) throws -> KubeClient {
        throw KubeError.configuration("not yet")
    }

    // MARK: Untyped verbs: any resource, bodies as JSON values.

    public func get(_ resource: ResourceType, namespace: String?, name: String, subresource: String? = nil) async throws -> JSONValue { throw KubeError.configuration("not yet") }
    public func list(_ resource: ResourceType, namespace: String?, options: ListOptions = ListOptions()) async throws -> JSONValue { throw KubeError.configuration("not yet") }
    public func create(_ resource: ResourceType, namespace: String?, object: JSONValue, subresource: String? = nil, name: String? = nil) async throws -> JSONValue { throw KubeError.configuration("not yet") }
    public func update(_ resource: ResourceType, namespace: String?, name: String, object: JSONValue, subresource: String? = nil) async throws -> JSONValue { throw KubeError.configuration("not yet") }
    public func patch(_ resource: ResourceType, namespace: String?, name: String, patch: Patch, subresource: String? = nil) async throws -> JSONValue { throw KubeError.configuration("not yet") }
    public func delete(_ resource: ResourceType, namespace: String?, name: String, options: DeleteOptions = DeleteOptions()) async throws { throw KubeError.configuration("not yet") }

    // MARK: Typed verbs.

    public func get<T: KubeObject>(_ type: T.Type, namespace: String?, name: String) async throws -> T { throw KubeError.configuration("not yet") }
    public func list<T: KubeObject>(_ type: T.Type, namespace: String?, options: ListOptions = ListOptions()) async throws -> ObjectList<T> { throw KubeError.configuration("not yet") }
    public func create<T: KubeObject>(_ object: T) async throws -> T { throw KubeError.configuration("not yet") }
    /// PUT with the object's resourceVersion as precondition: 409 when stale.
    public func update<T: KubeObject>(_ object: T) async throws -> T { throw KubeError.configuration("not yet") }
    public func updateStatus<T: KubeObject>(_ object: T) async throws -> T { throw KubeError.configuration("not yet") }
    public func patch<T: KubeObject>(_ type: T.Type, namespace: String?, name: String, patch: Patch, subresource: String? = nil) async throws -> T { throw KubeError.configuration("not yet") }
    /// Server-side apply of `object` as `fieldManager`.
    public func apply<T: KubeObject>(_ object: T, fieldManager: String, force: Bool = true, subresource: String? = nil) async throws -> T { throw KubeError.configuration("not yet") }
    public func delete<T: KubeObject>(_ type: T.Type, namespace: String?, name: String, options: DeleteOptions = DeleteOptions()) async throws { throw KubeError.configuration("not yet") }
    /// The Eviction subresource: 429 when a PodDisruptionBudget allows no disruption.
    public func evict(namespace: String, podName: String) async throws { throw KubeError.configuration("not yet") }

    // MARK: Watches.

    /// One watch request from `options.resourceVersion`, streamed; ends when the server closes it.
    public func watch<T: KubeObject>(_ type: T.Type, namespace: String?, options: ListOptions = ListOptions()) -> AsyncThrowingStream<WatchEvent<T>, any Error> {
        AsyncThrowingStream { $0.finish(throwing: KubeError.configuration("not yet")) }
    }

    /// List, then watch from the list's resourceVersion, relisting on 410 Gone; reconnects with
    /// backoff and ends only when the consuming task is cancelled.
    public func watcher<T: KubeObject>(_ type: T.Type, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil) -> AsyncStream<WatcherEvent<T>> {
        AsyncStream { $0.finish() }
    }
}

/// Where and how to reach the API server.
public struct ClientConfiguration: Sendable {
    public var server: URL
    public var namespace: String
    public init(server: URL, namespace: String = "default") {
        self.server = server
        self.namespace = namespace
    }
}

/// Options of list and watch requests.
public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    public var limit: Int?
    public var continueToken: String?
    public var resourceVersion: String?
    public var timeoutSeconds: Int?
    public var allowWatchBookmarks: Bool

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
                resourceVersion: String? = nil, timeoutSeconds: Int? = nil, allowWatchBookmarks: Bool = true) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.timeoutSeconds = timeoutSeconds
        self.allowWatchBookmarks = allowWatchBookmarks
    }
}

/// A patch body and its content type.
public enum Patch: Sendable, Hashable {
    case merge(JSONValue)           // application/merge-patch+json
    case strategicMerge(JSONValue)  // application/strategic-merge-patch+json
    case json([JSONValue])          // application/json-patch+json
}

/// Options of delete requests.
public struct DeleteOptions: Sendable, Hashable {
    public var propagationPolicy: String?
    public var gracePeriodSeconds: Int?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?

    public init(propagationPolicy: String? = nil, gracePeriodSeconds: Int? = nil, preconditionUID: String? = nil, preconditionResourceVersion: String? = nil) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
    }
}

/// Errors of the client layer.
public enum KubeError: Error, Sendable {
    /// The server answered with a `Status`.
    case api(Status)
    case transport(String)
    case decoding(String)
    case configuration(String)

    public var status: Status? { if case .api(let status) = self { return status } else { return nil } }
    public var isNotFound: Bool { status?.code == 404 }
    public var isConflict: Bool { status?.code == 409 }
    public var isAlreadyExists: Bool { status?.reason == "AlreadyExists" }
    public var isGone: Bool { status?.code == 410 }
    public var isInvalid: Bool { status?.code == 422 }
    public var isTooManyRequests: Bool { status?.code == 429 }
}
