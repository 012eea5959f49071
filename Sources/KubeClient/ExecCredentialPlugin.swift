import Foundation
import KubeModel

/// Runs a client-go credential plugin (`users[].user.exec`) and caches the token it prints
/// until its `expirationTimestamp`, or until the server rejects it (401).
///
/// Supports `client.authentication.k8s.io/v1` and `v1beta1` `ExecCredential`s. The plugin
/// gets `KUBERNETES_EXEC_INFO` (with the cluster when `provideClusterInfo` is set), the
/// kubeconfig's `env` on top of this process's environment, and no terminal: Keeper is
/// never interactive.
actor ExecCredentialPlugin {
    private let config: ExecConfig
    private var cached: (token: String, expires: Date?)?

    init(config: ExecConfig) {
        self.config = config
    }

    /// The cached token, or a fresh one from the plugin.
    func token(now: Date = Date()) async throws -> String {
        if let cached, cached.expires.map({ now < $0 }) ?? true { return cached.token }
        let output = try await run()
        let credential = try Self.parseOutput(output, apiVersion: config.apiVersion)
        cached = credential
        return credential.token
    }

    /// Forgets the cached token: the next request runs the plugin again.
    func invalidate() {
        cached = nil
    }

    /// Reads the plugin's `ExecCredential` output: its token and expiry.
    static func parseOutput(_ data: Data, apiVersion: String) throws -> (token: String, expires: Date?) {
        let json: JSONValue
        do { json = try JSONValue.parse(data) } catch {
            throw KubeError.configuration("exec credential plugin printed no JSON ExecCredential: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        guard json["kind"]?.stringValue == "ExecCredential" else {
            throw KubeError.configuration("exec credential plugin printed kind \(json["kind"]?.stringValue ?? "none"), want ExecCredential")
        }
        if let version = json["apiVersion"]?.stringValue, version != apiVersion {
            throw KubeError.configuration("exec credential plugin printed apiVersion \(version), want \(apiVersion)")
        }
        guard let token = json[path: ["status", "token"]]?.stringValue, !token.isEmpty else {
            if json[path: ["status", "clientCertificateData"]] != nil {
                throw KubeError.configuration("exec credential plugin returned a client certificate, and Foundation's URLSession on Linux cannot present client certificates: use a plugin that returns a token, or `kubectl proxy`")
            }
            throw KubeError.configuration("exec credential plugin returned no status.token")
        }
        let expires = json[path: ["status", "expirationTimestamp"]]?.stringValue.flatMap(parseTimestamp)
        return (token, expires)
    }

    /// `KUBERNETES_EXEC_INFO`: the ExecCredential the plugin receives.
    static func execInfo(for config: ExecConfig) -> String {
        var spec: JSONValue = ["interactive": false]
        if config.provideClusterInfo {
            var cluster: JSONValue = ["server": .string(config.clusterServer ?? "")]
            if let ca = config.clusterCertificateAuthorityData { cluster["certificate-authority-data"] = .string(ca) }
            spec["cluster"] = cluster
        }
        let info: JSONValue = ["apiVersion": .string(config.apiVersion), "kind": "ExecCredential", "spec": spec]
        return String(decoding: info.serialized(), as: UTF8.self)
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// The command's path: absolute, relative to the kubeconfig's directory, or from `PATH`.
    static func resolveCommand(_ command: String, baseDirectory: String?, path: String?) -> String? {
        if command.contains("/") { return Kubeconfig.resolve(command, in: baseDirectory) }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private func run() async throws -> Data {
        let config = self.config
        var environment = ProcessInfo.processInfo.environment
        environment.merge(config.env) { _, new in new }
        environment["KUBERNETES_EXEC_INFO"] = Self.execInfo(for: config)
        guard let executable = Self.resolveCommand(config.command, baseDirectory: config.baseDirectory, path: environment["PATH"]) else {
            throw KubeError.configuration("exec credential plugin \(config.command) not found\(config.installHint.map { ": \($0)" } ?? "")")
        }
        let processEnvironment = environment
        // Process blocks a thread while the plugin runs; keep it off the cooperative pool.
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = config.args
                process.environment = processEnvironment
                let output = Pipe()
                let errors = Pipe()
                process.standardOutput = output
                process.standardError = errors
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: KubeError.configuration("cannot run exec credential plugin \(executable): \(error)"))
                    return
                }
                let data = output.fileHandleForReading.readDataToEndOfFile()
                let stderr = errors.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                if process.terminationStatus != 0 {
                    let message = String(decoding: stderr.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    continuation.resume(throwing: KubeError.configuration("exec credential plugin \(config.command) exited with status \(process.terminationStatus): \(message)"))
                } else {
                    continuation.resume(returning: data)
                }
            }
        }
    }
}
