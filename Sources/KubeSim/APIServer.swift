import Foundation
import HTTPServer
import KubeModel
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// kube-sim's in-memory Kubernetes API server on loopback: discovery, CRUD with
/// resourceVersions, watches, CRDs, garbage collection, patches and server-side apply,
/// behaving like kube-apiserver in everything Keeper and kubectl touch.
public final class APIServer: Sendable {
    /// How the server runs.
    public struct Configuration: Sendable {
        /// 0 picks a free port on 127.0.0.1.
        public var port: Int
        /// How many changes the watch history keeps; older resourceVersions get 410 Gone.
        public var historyCapacity: Int
        /// How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK.
        public var bookmarkInterval: TimeInterval
        /// A watch without `timeoutSeconds` ends after this long.
        public var defaultWatchTimeout: TimeInterval
        /// When set, each watch event line is written in pieces of this many bytes, each
        /// flushed on its own, so clients must reassemble lines split across chunks.
        public var watchChunkSize: Int?
        /// The version `/version` reports.
        public var kubernetesVersion: String
        /// How long a node may go without renewing its Lease or Ready heartbeat before the node
        /// lifecycle controller marks it NotReady (kube-controller-manager's `--node-monitor-grace-period`).
        public var nodeMonitorGracePeriod: TimeInterval
        /// The cluster's CA and serving certificate (the TLS front serves it, the root CA
        /// publisher copies the CA into every namespace); nil uses `ClusterCertificates.shared`.
        public var certificates: ClusterCertificates?

        public init(port: Int = 0, historyCapacity: Int = 10_000, bookmarkInterval: TimeInterval = 60,
                    defaultWatchTimeout: TimeInterval = 1800, watchChunkSize: Int? = nil, kubernetesVersion: String = "v1.32.0",
                    nodeMonitorGracePeriod: TimeInterval = 40) {
            self.port = port
            self.historyCapacity = historyCapacity
            self.bookmarkInterval = bookmarkInterval
            self.defaultWatchTimeout = defaultWatchTimeout
            self.watchChunkSize = watchChunkSize
            self.kubernetesVersion = kubernetesVersion
            self.nodeMonitorGracePeriod = nodeMonitorGracePeriod
        }
    }

    public let configuration: Configuration
    /// Makes the next requests fail (tests of retries).
    public let faults = FaultInjector()
    /// The objects themselves, with their history.
    public let store: ObjectStore
    let registry = ResourceRegistry()
    let controllers: ControllerRunner
    /// The cluster's PKI, when `openssl` could make it.
    public let certificates: ClusterCertificates?
    private let http = Mutex<HTTPServer?>(nil)
    private let tlsFront = Mutex<TLSFront?>(nil)
    private let counts = Mutex(RequestCounts())
    private let uidCounter = Atomic<Int>(0)
    /// The bearer token of the kubeconfig kube-sim writes: user `kube-sim-admin` in
    /// `system:masters`. Random per server, like a static token kube-apiserver is given.
    public let adminToken = ServiceAccountTokenIssuer.randomToken()
    /// Issues ServiceAccount tokens (the TokenRequest API; the kubelet's projected volumes).
    public let serviceAccountTokens: ServiceAccountTokenIssuer
    /// The authorizer's decisions on requests served over HTTP.
    public let authorizationLog = AuthorizationLog()
    /// The authorizer over the current RBAC objects; dropped when one of them changes.
    let authorizerCache = Mutex<(generation: Int, authorizer: APIAuthorizer?)>((0, nil))

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.store = ObjectStore(historyCapacity: configuration.historyCapacity)
        self.controllers = ControllerRunner()
        self.certificates = configuration.certificates ?? (try? ClusterCertificates.shared.get())
        self.serviceAccountTokens = ServiceAccountTokenIssuer { [store] namespace, name in
            guard let account = store.get(ResourceType.serviceAccounts.groupResource, ObjectKey(namespace: namespace, name: name)),
                  account[path: ["metadata", "deletionTimestamp"]] == nil else { return nil }
            return account[path: ["metadata", "uid"]]?.stringValue
        }
        store.addCommitHook { [weak self] change in
            if Self.rbacStorageKeys.contains(change.storageKey) { self?.authorizerCache.withLock { $0 = ($0.generation + 1, nil) } }
        }
        bootstrap()
        controllers.attach(self)
        // The ServiceAccounts controller first: a pass that sees a new namespace gives it its
        // `default` ServiceAccount before any controller of the same pass creates pods there.
        var all: [any SimController] = [ServiceAccountsController()]
        if let certificates { all.append(RootCACertPublisher(rootCA: certificates.caPEM)) }
        all += [GarbageCollector(), NamespaceController(), CRDController(), DisruptionController(), StatefulSetController(),
                DeploymentController(), ReplicaSetController(), NodeLifecycleController(gracePeriod: configuration.nodeMonitorGracePeriod)]
        // The namespaces the server starts with have their account and CA bundle from the
        // start, as a cluster's system namespaces have by the time anyone uses them.
        for controller in all.prefix(certificates == nil ? 1 : 2) { controller.sync(self) }
        for controller in all {
            controllers.add(controller)
        }
        store.addCommitHook { [weak controllers] change in controllers?.notify(change) }
    }

    /// Starts listening.
    public func start() throws {
        let server = HTTPServer(host: "127.0.0.1", port: configuration.port) { [weak self] request in
            guard let self else { return HTTPResponse(status: 503) }
            return self.handleExternal(request)
        }
        try server.start()
        http.withLock { $0 = server }
    }

    /// Stops listening and ends every open watch.
    public func stop() {
        let server = http.withLock { server -> HTTPServer? in
            defer { server = nil }
            return server
        }
        store.closeAllSubscriptions()
        tlsFront.withLock { front in
            front?.stop()
            front = nil
        }
        server?.stop()
        controllers.stop()
    }

    /// The bound port (after `start()`).
    public var port: Int { http.withLock { $0?.port ?? 0 } }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL {
        // A loopback URL with a numeric port always parses.
        URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// A kubeconfig (JSON, which is YAML) for `KubeClient` (Keeper, the kubelet, tests):
    /// plain HTTP, authenticating with `token` (default: the administrator's, `adminToken`).
    /// kubectl needs `kubectlKubeconfigYAML`, as it sends no token over plain HTTP.
    public func kubeconfigYAML(namespace: String = "default", token: String? = nil) -> String {
        Self.kubeconfig(server: baseURL, certificateAuthorityPEM: nil, token: token ?? adminToken, namespace: namespace)
    }

    /// A kubeconfig for kubectl: through this server's TLS front (started on first use, stopped
    /// with the server), trusting the cluster CA, authenticating with `token` (default: the
    /// administrator's). kubectl drops the user's credentials for plain-HTTP servers
    /// (client-go's clientcmd reads them only for TLS, kubernetes/kubectl#744).
    public func kubectlKubeconfigYAML(namespace: String = "default", token: String? = nil) throws -> String {
        let front = try startTLSFront()
        return Self.kubeconfig(server: front.baseURL, certificateAuthorityPEM: front.certificates.caPEM, token: token ?? adminToken,
                               namespace: namespace)
    }

    /// This server's TLS front (`TLSFront`, serving `certificates`), started on first use on
    /// `port` (0: a free one), stopped with the server: what kubectl and in-cluster clients
    /// (pods' `KUBERNETES_SERVICE_HOST/PORT`) reach the server through.
    public func startTLSFront(port requested: Int = 0, logPath: String? = nil) throws -> TLSFront {
        guard let certificates else { return try TLSFront(backendPort: port, certificates: ClusterCertificates.shared.get()) }
        return try tlsFront.withLock { front in
            if let front { return front }
            let started = try TLSFront(backendPort: port, certificates: certificates, port: requested, logPath: logPath)
            front = started
            return started
        }
    }

    static func kubeconfig(server: URL, certificateAuthorityPEM: String?, token: String, namespace: String) -> String {
        var cluster: JSONValue = ["server": .string(server.absoluteString)]
        if let certificateAuthorityPEM { cluster["certificate-authority-data"] = .string(Data(certificateAuthorityPEM.utf8).base64EncodedString()) }
        let config: JSONValue = [
            "apiVersion": "v1", "kind": "Config", "preferences": [:],
            "clusters": [["name": "kube-sim", "cluster": cluster]],
            "users": [["name": "kube-sim", "user": ["token": .string(token)]]],
            "contexts": [["name": "kube-sim", "context": ["cluster": "kube-sim", "user": "kube-sim", "namespace": .string(namespace)]]],
            "current-context": "kube-sim",
        ]
        return String(decoding: config.serialized(pretty: true), as: UTF8.self) + "\n"
    }

    /// Requests answered per verb since the last reset (requests from tests and clients over
    /// HTTP, including those failed by `faults`; kube-sim's own controllers are not counted).
    public var requestCounts: RequestCounts { counts.withLock { $0 } }

    public func resetRequestCounts() { counts.withLock { $0 = RequestCounts() } }

    /// Forgets the watch history: a watch or continue token from an older resourceVersion then gets 410 Gone.
    public func compactWatchHistory() { store.compact() }

    /// Ends every open watch stream.
    public func closeAllWatches() { store.closeAllSubscriptions() }

    /// Adds a controller that runs after every change (kube-sim's StatefulSet controller, ...).
    public func addController(_ controller: any SimController) { controllers.add(controller) }

    // MARK: Request entry points

    private func handleExternal(_ request: HTTPRequest) -> HTTPResponse {
        let info = RequestInfo.parse(method: request.method, path: request.path, watchParameter: Self.isTrue(request.query("watch")),
                                     fieldSelector: request.query("fieldSelector"))
        if info.isResourceRequest {
            counts.withLock { $0.record(info.verb) }
        }
        let user: UserInfo
        switch authenticate(request) {
        case .success(let authenticated): user = authenticated
        case .failure(let refusal): return Self.statusResponse(refusal)
        }
        if let fault = faults.take(path: request.path) {
            var status = Status(message: fault.status == 429 ? "Too many requests, please try again later." : "the server is currently unable to handle the request",
                                reason: StatusErrors.reason(forCode: fault.status), code: fault.status)
            var headers = HTTPHeaders()
            if let seconds = fault.retryAfterSeconds {
                status.details = .init(retryAfterSeconds: seconds)
                headers.add("Retry-After", String(seconds))
            }
            return Self.statusResponse(status, headers: headers)
        }
        let decision = authorize(user, AuthorizationAttributes(info))
        guard decision.isAllowed else {
            return Self.statusResponse(APIErrors.forbidden(user: user, attributes: AuthorizationAttributes(info), reason: decision.reason))
        }
        return handle(request, info: info, user: user)
    }

    /// Answers a request without counting it, injecting faults or asking the authorizer:
    /// kube-sim's controllers and the in-process `storage` use it, as kube-apiserver's own
    /// loopback client (`system:apiserver`, in `system:masters`) is never refused.
    func handleInternal(_ request: HTTPRequest) -> HTTPResponse {
        let info = RequestInfo.parse(method: request.method, path: request.path, watchParameter: Self.isTrue(request.query("watch")),
                                     fieldSelector: request.query("fieldSelector"))
        return handle(request, info: info, user: nil)
    }

    private func handle(_ request: HTTPRequest, info: RequestInfo, user: UserInfo?) -> HTTPResponse {
        do {
            if info.isResourceRequest {
                return try handleResource(RequestContext(http: request, info: info, user: user))
            }
            return try handleNonResource(request)
        } catch let status as Status {
            return Self.statusResponse(status)
        } catch let error as StoreError {
            return Self.statusResponse(StatusErrors.internalError("\(error)"))
        } catch {
            return Self.statusResponse(StatusErrors.internalError("\(error)"))
        }
    }

    // MARK: Helpers

    static func isTrue(_ value: String?) -> Bool { value == "true" || value == "1" }

    static func statusResponse(_ status: Status, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", "application/json")
        let body = (try? JSONValue(encoding: status))?.serialized() ?? Data()
        return HTTPResponse(status: status.code ?? 500, headers: headers, body: body)
    }

    static func jsonResponse(_ code: Int, _ value: JSONValue, warnings: [String] = []) -> HTTPResponse {
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        for warning in warnings {
            let escaped = warning.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            headers.add("Warning", "299 - \"\(escaped)\"")
        }
        var body = JSONWriter.data(value)
        body.append(10)
        return HTTPResponse(status: code, headers: headers, body: body)
    }

    /// A fresh uid in the 8-4-4-4-12 form.
    func newUID() -> String { UUID().uuidString.lowercased() }

    /// RFC 3339 with second precision, as Kubernetes writes `metav1.Time`.
    static func timestamp(_ date: Date = Date()) -> String {
        RFC3339.seconds(date)
    }

    /// RFC 3339 with microseconds, as `metav1.MicroTime` (Leases, events.k8s.io).
    static func microTimestamp(_ date: Date = Date()) -> String {
        RFC3339.microseconds(date)
    }

    private func bootstrap() {
        var objects: [(ResourceType, JSONValue)] = ["default", "kube-system", "kube-public", "kube-node-lease"].map { name in
            (.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
        }
        objects += BootstrapPolicy.objects
        for (type, object) in objects {
            let response = handleInternal(HTTPRequest(method: "POST", target: type.path() + "?fieldManager=kube-apiserver",
                                                      headers: HTTPHeaders([("Content-Type", "application/json")]), body: object.serialized()))
            assert(response.status == 201, "bootstrap \(type.kind) \(object[path: ["metadata", "name"]] ?? .null): \(response.status)")
        }
    }
}
