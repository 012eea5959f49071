import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The cluster's certificate authority and the API server's serving certificate, made with the
/// `openssl` command line (Foundation has no X.509 API on Linux): what a cluster's PKI gives
/// kube-apiserver (`--tls-cert-file`) and kube-controller-manager (`--root-ca-file`, which the
/// root CA publisher copies into every namespace's `kube-root-ca.crt` ConfigMap).
///
/// The serving certificate names `127.0.0.1` and `localhost` (where kube-sim's TLS front
/// listens) and the names a real one carries (`kubernetes`, `kubernetes.default`,
/// `kubernetes.default.svc`, `kubernetes.default.svc.cluster.local`). Keys are P-256.
public struct ClusterCertificates: Sendable, Equatable {
    /// Holds `ca.crt`, `ca.key`, `server.crt`, `server.key` and `server.pem` (certificate and key, for socat).
    public var directory: URL
    /// The CA certificate, PEM.
    public var caPEM: String

    public var caCertificatePath: String { directory.appendingPathComponent("ca.crt").path }
    public var serverCertificatePath: String { directory.appendingPathComponent("server.crt").path }
    public var serverKeyPath: String { directory.appendingPathComponent("server.key").path }

    public static let subjectAlternativeNames = "IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"

    /// Reads the certificates in `directory`, making them first when absent.
    public static func load(orCreateIn directory: URL, openssl: String = "/usr/bin/openssl") throws -> ClusterCertificates {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        let ca = directory.appendingPathComponent("ca.crt").path
        if !fileManager.fileExists(atPath: ca) || !fileManager.fileExists(atPath: directory.appendingPathComponent("server.key").path) {
            guard fileManager.isExecutableFile(atPath: openssl) else {
                throw ClusterCertificatesError("no openssl at \(openssl) to make the cluster's certificates (apt-get install openssl)")
            }
            let dir = directory.path
            let steps: [[String]] = [
                ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "3650",
                 "-subj", "/CN=kube-sim-ca", "-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.crt"],
                ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=kube-apiserver",
                 "-keyout", "\(dir)/server.key", "-out", "\(dir)/server.csr"],
                ["x509", "-req", "-in", "\(dir)/server.csr", "-CA", "\(dir)/ca.crt", "-CAkey", "\(dir)/ca.key", "-CAcreateserial",
                 "-days", "3650", "-extfile", "\(dir)/server.ext", "-out", "\(dir)/server.crt"],
            ]
            try Data("subjectAltName=\(subjectAlternativeNames)\nextendedKeyUsage=serverAuth\n".utf8)
                .write(to: directory.appendingPathComponent("server.ext"))
            for arguments in steps { try run(openssl, arguments) }
            let pem = try Data(contentsOf: directory.appendingPathComponent("server.crt")) + Data(contentsOf: directory.appendingPathComponent("server.key"))
            try pem.write(to: directory.appendingPathComponent("server.pem"))
            chmod(directory.appendingPathComponent("server.pem").path, 0o600)
        }
        return ClusterCertificates(directory: directory, caPEM: try String(contentsOfFile: ca, encoding: .utf8))
    }

    /// One set per process, in a temporary directory: every kube-sim server of a test run
    /// shares it (making keys costs a few hundred milliseconds).
    public static let shared: Result<ClusterCertificates, ClusterCertificatesError> = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-sim-pki-\(getpid())", isDirectory: true)
        do {
            return .success(try load(orCreateIn: directory))
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
