import Foundation

/// The cluster's certificate authority and the API server's serving certificate, made with
/// the `openssl` command line (Foundation has no X.509 API on Linux). kube-sim needs them for
/// kubectl: kubectl sends no credentials to a plain-HTTP server (clientcmd reads the user's
/// token only for TLS connections, kubernetes/kubectl#744), so kubectl reaches kube-sim
/// through `TLSFront` with this CA in its kubeconfig.
public struct ClusterCertificates: Sendable, Equatable {
    /// Holds `ca.crt`, `ca.key`, `server.crt`, `server.key` and `server.pem` (both, for socat).
    public var directory: URL
    /// The CA certificate, PEM.
    public var caPEM: String

    public var caCertificatePath: String { directory.appendingPathComponent("ca.crt").path }

    /// Where the TLS front listens (127.0.0.1) and the names a real serving certificate carries.
    public static let subjectAlternativeNames = "IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"

    /// Reads the certificates in `directory`, making them first when absent.
    public static func load(orCreateIn directory: URL, openssl: String = "/usr/bin/openssl") throws -> ClusterCertificates {
        let files = FileManager.default
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.path
        if !files.fileExists(atPath: "\(path)/server.pem") {
            guard files.isExecutableFile(atPath: openssl) else {
                throw ClusterCertificatesError("no openssl at \(openssl) to make the cluster's certificates (hack/install-deps.sh installs it)")
            }
            try Data("subjectAltName=\(subjectAlternativeNames)\nextendedKeyUsage=serverAuth\n".utf8).write(to: directory.appendingPathComponent("server.ext"))
            let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            for arguments in [
                ["req", "-x509"] + curve + ["-days", "3650", "-subj", "/CN=kube-sim-ca", "-keyout", "\(path)/ca.key", "-out", "\(path)/ca.crt"],
                ["req"] + curve + ["-subj", "/CN=kube-apiserver", "-keyout", "\(path)/server.key", "-out", "\(path)/server.csr"],
                ["x509", "-req", "-in", "\(path)/server.csr", "-CA", "\(path)/ca.crt", "-CAkey", "\(path)/ca.key", "-CAcreateserial",
                 "-days", "3650", "-extfile", "\(path)/server.ext", "-out", "\(path)/server.crt"],
            ] {
                try run(openssl, arguments)
            }
            let pem = try Data(contentsOf: directory.appendingPathComponent("server.crt")) + Data(contentsOf: directory.appendingPathComponent("server.key"))
            try pem.write(to: directory.appendingPathComponent("server.pem.partial"))
            chmod("\(path)/server.pem.partial", 0o600)
            _ = rename("\(path)/server.pem.partial", "\(path)/server.pem")
        }
        return ClusterCertificates(directory: directory, caPEM: try String(contentsOfFile: "\(path)/ca.crt", encoding: .utf8))
    }

    /// One set per process in a temporary directory, shared by every kube-sim server of a
    /// test run (making keys costs a few hundred milliseconds).
    public static let shared: Result<ClusterCertificates, ClusterCertificatesError> = {
        do {
            return .success(try load(orCreateIn: FileManager.default.temporaryDirectory.appendingPathComponent("kube-sim-pki-\(getpid())", isDirectory: true)))
        } catch let error as ClusterCertificatesError {
            return .failure(error)
        } catch {
            return .failure(ClusterCertificatesError("\(error)"))
        }
    }()

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ClusterCertificatesError("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self))")
        }
    }
}

public struct ClusterCertificatesError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
