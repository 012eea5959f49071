import Foundation

/// Finds the client configuration in kubectl's order of preference: an explicit kubeconfig
/// path, `KUBECONFIG` (a colon-separated list), the in-cluster service account, then
/// `~/.kube/config`. Its inputs are fields so tests can point it at temporary files.
public struct ConfigLoader: Sendable {
    public var environment: [String: String]
    public var homeDirectory: String
    /// Where a pod's service account token, namespace and CA are mounted.
    public var serviceAccountDirectory: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                homeDirectory: String = NSHomeDirectory(),
                serviceAccountDirectory: String = "/var/run/secrets/kubernetes.io/serviceaccount") {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.serviceAccountDirectory = serviceAccountDirectory
    }

    /// Resolves the configuration; `context` overrides the kubeconfig's current context.
    public func load(kubeconfigPath: String? = nil, context: String? = nil) throws -> ClientConfiguration {
        if let path = kubeconfigPath, !path.isEmpty {
            guard FileManager.default.fileExists(atPath: path) else {
                throw KubeError.configuration("kubeconfig \(path) does not exist")
            }
            return try Kubeconfig(paths: [path]).configuration(context: context)
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let paths = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            let config = try Kubeconfig(paths: paths)
            guard !config.paths.isEmpty else {
                throw KubeError.configuration("none of the files in KUBECONFIG (\(list)) exists")
            }
            return try config.configuration(context: context)
        }
        if isInCluster {
            return try inCluster()
        }
        let home = URL(fileURLWithPath: homeDirectory).appendingPathComponent(".kube/config").path
        if FileManager.default.fileExists(atPath: home) {
            return try Kubeconfig(paths: [home]).configuration(context: context)
        }
        throw KubeError.configuration("no Kubernetes configuration found: pass --kubeconfig, set KUBECONFIG, run in a pod with a service account, or create ~/.kube/config")
    }

    /// Whether the process runs in a pod with a service account mounted.
    public var isInCluster: Bool {
        environment["KUBERNETES_SERVICE_HOST"].map { !$0.isEmpty } == true
            && FileManager.default.fileExists(atPath: serviceAccountDirectory + "/token")
    }

    /// The in-cluster configuration: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`,
    /// the service account token (re-read as it rotates), its namespace and CA.
    public func inCluster() throws -> ClientConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw KubeError.configuration("not in a cluster: KUBERNETES_SERVICE_HOST is not set")
        }
        let port = environment["KUBERNETES_SERVICE_PORT"].flatMap { $0.isEmpty ? nil : $0 } ?? "443"
        // An IPv6 address needs brackets in a URL.
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        guard let server = URL(string: "https://\(hostPart):\(port)") else {
            throw KubeError.configuration("invalid KUBERNETES_SERVICE_HOST/PORT: \(host) \(port)")
        }
        let tokenPath = serviceAccountDirectory + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubeError.configuration("in-cluster token \(tokenPath) is not readable")
        }
        let namespaceData = FileManager.default.contents(atPath: serviceAccountDirectory + "/namespace")
        let namespace = namespaceData.flatMap { String(data: $0, encoding: .utf8) }?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var configuration = ClientConfiguration(
            server: server, namespace: (namespace?.isEmpty ?? true) ? "default" : namespace ?? "default",
            credentials: .tokenFile(tokenPath),
            certificateAuthorityPEM: FileManager.default.contents(atPath: serviceAccountDirectory + "/ca.crt"),
            source: "in-cluster")
        configuration.warnings += TLSTrust.warnings(for: configuration)
        return configuration
    }
}
