import Foundation

/// What Foundation on Linux can and cannot do about TLS, and the warnings that follow.
///
/// swift-corelibs-foundation drives libcurl and sets only `CURLOPT_CAINFO`, to the first
/// system bundle it finds (`/etc/ssl/certs/ca-certificates.crt` on Debian). It never
/// delivers server-trust challenges to a delegate (`NSURLAuthenticationMethodServerTrust`
/// is marked unavailable), offers no way to add a CA per session, and never turns off peer
/// verification (only on Android, through an environment variable). So:
/// - a cluster CA (`certificate-authority(-data)`, the service account's `ca.crt`) is
///   trusted only if it is in the system bundle;
/// - `insecure-skip-tls-verify` cannot be honoured: verification stays on;
/// - client certificates cannot be presented (see `Kubeconfig.clientCertificateMessage`).
public enum TLSTrust {
    /// The bundles libcurl is pointed at, in swift-corelibs-foundation's order.
    public static let systemBundlePaths = [
        "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
        "/usr/share/ssl/certs/ca-bundle.crt", "/usr/local/share/certs/ca-root-nss.crt", "/etc/ssl/cert.pem",
    ]

    /// The fix, in words, for a CA that is not trusted.
    /// (Environment variables such as SSL_CERT_FILE or CURL_CA_BUNDLE do not help: libcurl is
    /// given the bundle path explicitly.) In a pod, mounting the `kube-root-ca.crt` ConfigMap's
    /// `ca.crt` with `subPath` over the bundle works without root, since the operator only
    /// talks to the API server.
    public static let installCAHint = "add the CA to the system bundle: copy it to /usr/local/share/ca-certificates/kubernetes.crt and run update-ca-certificates (or append it to /etc/ssl/certs/ca-certificates.crt); in a pod, mount the kube-root-ca.crt ConfigMap's ca.crt at /etc/ssl/certs/ca-certificates.crt (subPath); or reach the API through `kubectl proxy`"

    /// Warnings for an https configuration whose TLS settings Foundation cannot apply.
    static func warnings(for configuration: ClientConfiguration, bundle: Data? = systemBundle()) -> [String] {
        guard configuration.server.scheme?.lowercased() == "https" else { return [] }
        var warnings: [String] = []
        if configuration.insecureSkipTLSVerify {
            warnings.append("insecure-skip-tls-verify is set, but Foundation on Linux always verifies the server's certificate against the system CA bundle; if requests fail with certificate errors, \(installCAHint)")
        }
        if let pem = configuration.certificateAuthorityPEM, !configuration.insecureSkipTLSVerify {
            let wanted = certificates(in: pem)
            let trusted = Set(certificates(in: bundle ?? Data()))
            let missing = wanted.filter { !trusted.contains($0) }
            if wanted.isEmpty {
                warnings.append("the cluster's certificate authority holds no PEM certificate; Foundation on Linux will verify the server against the system CA bundle only")
            } else if !missing.isEmpty {
                warnings.append("the cluster's certificate authority is not in the system CA bundle, and Foundation on Linux trusts only that bundle: TLS requests to \(configuration.server.absoluteString) will fail. To fix: \(installCAHint)")
            }
        }
        return warnings
    }

    /// The system bundle's contents, if any.
    static func systemBundle() -> Data? {
        for path in systemBundlePaths {
            if let data = FileManager.default.contents(atPath: path) { return data }
        }
        return nil
    }

    /// The base64 bodies of the PEM certificates in `pem`, whitespace removed, to compare.
    static func certificates(in pem: Data) -> [String] {
        guard let text = String(data: pem, encoding: .utf8) else { return [] }
        var result: [String] = []
        var current: String?
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "-----BEGIN CERTIFICATE-----" {
                current = ""
            } else if trimmed == "-----END CERTIFICATE-----" {
                if let body = current, !body.isEmpty { result.append(body) }
                current = nil
            } else if current != nil {
                current? += trimmed
            }
        }
        return result
    }

    /// A transport error's message, with the fix added when it is a certificate failure.
    static func explain(_ error: any Error, server: URL) -> String {
        let nsError = error as NSError
        let certificateCodes = [
            NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasBadDate,
            NSURLErrorServerCertificateHasUnknownRoot, NSURLErrorServerCertificateNotYetValid,
            NSURLErrorSecureConnectionFailed, NSURLErrorClientCertificateRejected,
        ]
        let description = "\(nsError.localizedDescription) (\(nsError.domain) \(nsError.code))"
        // libcurl's failures arrive as NSURLErrorUnknown with curl's text ("SSL certificate problem: ...").
        let mentionsTLS = description.contains("SSL") || description.contains("certificate")
        if nsError.domain == NSURLErrorDomain, certificateCodes.contains(nsError.code) || mentionsTLS {
            return "TLS with \(server.absoluteString) failed: \(description). Foundation on Linux trusts only the system CA bundle; \(installCAHint)"
        }
        return description
    }
}
