import Foundation

/// Where and how to reach the API server: what `KubeClient.load` resolves from a kubeconfig
/// or the in-cluster service account, or what a caller builds by hand.
public struct ClientConfiguration: Sendable {
    /// The API server, e.g. `https://10.96.0.1:443` or `http://127.0.0.1:8001` (`kubectl proxy`).
    public var server: URL
    /// The default namespace of the context (`default` if it names none).
    public var namespace: String
    /// How requests authenticate.
    public var credentials: Credentials
    /// The PEM bundle that should verify the server (`certificate-authority(-data)`, or the
    /// service account's `ca.crt`). See `TLSTrust` for what Foundation on Linux can do with it.
    public var certificateAuthorityPEM: Data?
    /// `insecure-skip-tls-verify`. Foundation on Linux cannot honour it; see `TLSTrust`.
    public var insecureSkipTLSVerify: Bool
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// When and how long to wait before retrying a failed request.
    public var retryPolicy: RetryPolicy
    /// Timeout of a non-watch request, in seconds.
    public var requestTimeout: TimeInterval
    /// Things the loader noticed that the user should know (printed by `KubeClient.load`).
    public var warnings: [String]
    /// Where the configuration came from, for messages: a kubeconfig path or `in-cluster`.
    public var source: String

    public init(
        server: URL, namespace: String = "default", credentials: Credentials = .none,
        certificateAuthorityPEM: Data? = nil, insecureSkipTLSVerify: Bool = false,
        userAgent: String = "keeper/0.1 (linux) KubeClient", retryPolicy: RetryPolicy = RetryPolicy(),
        requestTimeout: TimeInterval = 30, warnings: [String] = [], source: String = "explicit"
    ) {
        self.server = server
        self.namespace = namespace
        self.credentials = credentials
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.userAgent = userAgent
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
        self.warnings = warnings
        self.source = source
    }
}

/// How requests authenticate to the API server.
public enum Credentials: Sendable, Hashable {
    /// No `Authorization` header (`kubectl proxy`, kube-sim).
    case none
    /// A fixed bearer token.
    case token(String)
    /// A bearer token read from a file, re-read when the file changes (projected service
    /// account tokens rotate).
    case tokenFile(String)
    /// A client-go credential plugin (`users[].user.exec`).
    case exec(ExecConfig)
    /// HTTP basic authentication (`username`/`password`).
    case basic(username: String, password: String)
}

/// `users[].user.exec` of a kubeconfig: a command that prints an `ExecCredential`.
public struct ExecConfig: Sendable, Hashable {
    public var apiVersion: String
    public var command: String
    public var args: [String]
    public var env: [String: String]
    public var provideClusterInfo: Bool
    /// `installHint`, shown when the command cannot be run.
    public var installHint: String?
    /// The directory of the kubeconfig that named the command: a relative command path is
    /// resolved against it, as kubectl does.
    public var baseDirectory: String?
    /// Sent in `KUBERNETES_EXEC_INFO` when `provideClusterInfo` is set.
    public var clusterServer: String?
    public var clusterCertificateAuthorityData: String?

    public init(apiVersion: String, command: String, args: [String] = [], env: [String: String] = [:],
                provideClusterInfo: Bool = false, installHint: String? = nil, baseDirectory: String? = nil,
                clusterServer: String? = nil, clusterCertificateAuthorityData: String? = nil) {
        self.apiVersion = apiVersion
        self.command = command
        self.args = args
        self.env = env
        self.provideClusterInfo = provideClusterInfo
        self.installHint = installHint
        self.baseDirectory = baseDirectory
        self.clusterServer = clusterServer
        self.clusterCertificateAuthorityData = clusterCertificateAuthorityData
    }
}
