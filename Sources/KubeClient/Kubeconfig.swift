import Foundation
import KubeModel
import YAML

/// One or more kubeconfig files merged the way kubectl merges `KUBECONFIG`: the first file
/// that defines a cluster, user or context by a name wins, and so does the first
/// `current-context`.
public struct Kubeconfig: Sendable {
    /// An entry of `clusters`, `users` or `contexts`, with the directory of the file that
    /// defined it (relative paths inside it resolve against that directory).
    struct Entry: Sendable {
        var value: JSONValue
        var directory: String?
    }

    var currentContext: String?
    var clusters: [String: Entry] = [:]
    var users: [String: Entry] = [:]
    var contexts: [String: Entry] = [:]
    /// The files that were read, first first.
    public private(set) var paths: [String] = []

    public init() {}

    /// Parses one kubeconfig text. `path` is used for messages and relative paths.
    public init(text: String, path: String? = nil) throws {
        let document: JSONValue
        do {
            document = try YAML.parse(text)
        } catch let error as YAMLError {
            throw KubeError.configuration("cannot read kubeconfig \(path ?? "text"): \(error)")
        }
        guard document.objectValue != nil || document.isNull else {
            throw KubeError.configuration("kubeconfig \(path ?? "text") is not a mapping")
        }
        let directory = path.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        currentContext = document["current-context"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        clusters = Self.named(document["clusters"], directory: directory)
        users = Self.named(document["users"], directory: directory)
        contexts = Self.named(document["contexts"], directory: directory)
        paths = path.map { [$0] } ?? []
    }

    /// Reads and merges files in order; missing files are skipped, as kubectl does.
    public init(paths: [String]) throws {
        self.init()
        for path in paths where FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw KubeError.configuration("cannot read kubeconfig \(path)")
            }
            merge(try Kubeconfig(text: text, path: path))
        }
    }

    /// Adds what `other` defines and `self` does not.
    public mutating func merge(_ other: Kubeconfig) {
        if currentContext == nil { currentContext = other.currentContext }
        clusters.merge(other.clusters) { first, _ in first }
        users.merge(other.users) { first, _ in first }
        contexts.merge(other.contexts) { first, _ in first }
        paths += other.paths
    }

    private static func named(_ list: JSONValue?, directory: String?) -> [String: Entry] {
        var result: [String: Entry] = [:]
        for item in list?.arrayValue ?? [] {
            guard let name = item["name"]?.stringValue, result[name] == nil else { continue }
            result[name] = Entry(value: item, directory: directory)
        }
        return result
    }

    /// Resolves `context` (or the current context) into a client configuration.
    public func configuration(context requested: String? = nil) throws -> ClientConfiguration {
        let source = paths.isEmpty ? "kubeconfig" : paths.joined(separator: ":")
        guard let contextName = requested ?? currentContext else {
            throw KubeError.configuration("kubeconfig \(source) has no current-context; name a context")
        }
        guard let context = contexts[contextName]?.value["context"] else {
            throw KubeError.configuration("context \"\(contextName)\" not found in kubeconfig \(source)")
        }
        guard let clusterName = context["cluster"]?.stringValue, let clusterEntry = clusters[clusterName],
              let cluster = clusterEntry.value["cluster"] else {
            throw KubeError.configuration("cluster of context \"\(contextName)\" not found in kubeconfig \(source)")
        }
        guard let serverText = cluster["server"]?.stringValue, let server = URL(string: serverText), server.scheme != nil, server.host != nil else {
            throw KubeError.configuration("cluster \"\(clusterName)\" has no valid server URL")
        }
        var warnings: [String] = []
        var caPEM: Data?
        if let data = cluster["certificate-authority-data"]?.stringValue {
            guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                throw KubeError.configuration("certificate-authority-data of cluster \"\(clusterName)\" is not base64")
            }
            caPEM = decoded
        } else if let file = cluster["certificate-authority"]?.stringValue {
            let path = Self.resolve(file, in: clusterEntry.directory)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeError.configuration("cannot read certificate-authority \(path) of cluster \"\(clusterName)\"")
            }
            caPEM = data
        }
        let insecure = cluster["insecure-skip-tls-verify"]?.boolValue ?? false

        var credentials = Credentials.none
        if let userName = context["user"]?.stringValue, !userName.isEmpty {
            guard let userEntry = users[userName] else {
                throw KubeError.configuration("user \"\(userName)\" of context \"\(contextName)\" not found in kubeconfig \(source)")
            }
            credentials = try Self.credentials(
                userName: userName, user: userEntry.value["user"] ?? .object([:]), directory: userEntry.directory,
                server: serverText, caData: cluster["certificate-authority-data"]?.stringValue, warnings: &warnings)
        }
        let namespace = context["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        var configuration = ClientConfiguration(
            server: server, namespace: namespace, credentials: credentials, certificateAuthorityPEM: caPEM,
            insecureSkipTLSVerify: insecure, warnings: warnings, source: source)
        configuration.warnings += TLSTrust.warnings(for: configuration)
        return configuration
    }

    private static func credentials(userName: String, user: JSONValue, directory: String?, server: String, caData: String?,
                                    warnings: inout [String]) throws -> Credentials {
        let hasClientCertificate = user["client-certificate-data"] != nil || user["client-certificate"] != nil
        if let token = user["token"]?.stringValue, !token.isEmpty {
            if hasClientCertificate { warnings.append("user \"\(userName)\": ignoring the client certificate, using the token") }
            return .token(token)
        }
        if let file = user["tokenFile"]?.stringValue, !file.isEmpty {
            return .tokenFile(resolve(file, in: directory))
        }
        if let exec = user["exec"], exec.objectValue != nil {
            guard let command = exec["command"]?.stringValue, !command.isEmpty else {
                throw KubeError.configuration("user \"\(userName)\": exec has no command")
            }
            var env: [String: String] = [:]
            for variable in exec["env"]?.arrayValue ?? [] {
                if let name = variable["name"]?.stringValue { env[name] = variable["value"]?.stringValue ?? "" }
            }
            return .exec(ExecConfig(
                apiVersion: exec["apiVersion"]?.stringValue ?? "client.authentication.k8s.io/v1",
                command: command, args: exec["args"]?.arrayValue?.compactMap(\.stringValue) ?? [], env: env,
                provideClusterInfo: exec["provideClusterInfo"]?.boolValue ?? false,
                installHint: exec["installHint"]?.stringValue, baseDirectory: directory,
                clusterServer: server, clusterCertificateAuthorityData: caData))
        }
        if let username = user["username"]?.stringValue, let password = user["password"]?.stringValue {
            return .basic(username: username, password: password)
        }
        if hasClientCertificate {
            throw KubeError.configuration(clientCertificateMessage(userName: userName))
        }
        if user["auth-provider"] != nil {
            throw KubeError.configuration("user \"\(userName)\" uses an auth-provider, which this client does not support: use an exec credential plugin (e.g. kubelogin, gke-gcloud-auth-plugin) or `kubectl proxy`")
        }
        return .none
    }

    /// Why a user with only a client certificate cannot work, and what to do instead.
    static func clientCertificateMessage(userName: String) -> String {
        "user \"\(userName)\" authenticates only with a client certificate, and Foundation's URLSession on Linux cannot present client certificates. Use a bearer token (`token`/`tokenFile`, e.g. from `kubectl create token SERVICEACCOUNT`), an exec credential plugin, or run `kubectl proxy` and point the client at http://127.0.0.1:8001"
    }

    /// A path from a kubeconfig, relative to the file that named it.
    static func resolve(_ path: String, in directory: String?) -> String {
        let expanded = path.hasPrefix("~/") ? NSHomeDirectory() + path.dropFirst() : path
        guard !expanded.hasPrefix("/"), let directory else { return expanded }
        return URL(fileURLWithPath: directory).appendingPathComponent(expanded).path
    }
}
