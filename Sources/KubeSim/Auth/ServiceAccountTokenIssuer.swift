import Foundation
import KubeModel
import Synchronization

/// Issues and checks ServiceAccount tokens: what the TokenRequest API
/// (`POST .../serviceaccounts/NAME/token`, `kubectl create token`) returns and what the
/// kubelet mounts into pods. A token is 32 random bytes from the system's secure generator
/// (getrandom(2)), base64url, opaque; it authenticates as the ServiceAccount until it
/// expires or the ServiceAccount is deleted (or re-created: the UID must match, as the real
/// bound-token validator in pkg/serviceaccount/claims.go checks).
public final class ServiceAccountTokenIssuer: Sendable {
    /// The audience the API server accepts (`--api-audiences`, which defaults to the issuer).
    public static let apiServerAudience = "https://kubernetes.default.svc.cluster.local"
    /// TokenRequestSpec's default `expirationSeconds` (pkg/apis/authentication/v1/defaults.go).
    public static let defaultExpirationSeconds: Int64 = 3600
    /// The shortest lifetime the TokenRequest validation accepts (10 minutes).
    public static let minimumExpirationSeconds: Int64 = 600

    /// What a token was issued for.
    struct Grant: Sendable {
        var namespace: String
        var serviceAccount: String
        var serviceAccountUID: String
        var audiences: [String]
        var expiresAt: Date
    }

    /// A freshly issued token and when it expires.
    struct Issued: Sendable {
        var token: String
        var grant: Grant
    }

    private let grants = Mutex<[String: Grant]>([:])
    /// The UID of a live ServiceAccount, nil when there is none (or it is being deleted).
    private let serviceAccountUID: @Sendable (_ namespace: String, _ name: String) -> String?

    init(serviceAccountUID: @escaping @Sendable (_ namespace: String, _ name: String) -> String?) {
        self.serviceAccountUID = serviceAccountUID
    }

    /// A token for ServiceAccount `serviceAccount` in `namespace`, valid for `expirationSeconds`
    /// (at least 600) for `audiences` (empty: the API server's own). Throws the API's 404 when
    /// the ServiceAccount does not exist and its 422 for a too short lifetime.
    public func issue(namespace: String, serviceAccount: String, audiences: [String] = [],
                      expirationSeconds: Int64 = ServiceAccountTokenIssuer.defaultExpirationSeconds) throws -> String {
        try issueToken(namespace: namespace, serviceAccount: serviceAccount, audiences: audiences, expirationSeconds: expirationSeconds).token
    }

    func issueToken(namespace: String, serviceAccount: String, audiences: [String], expirationSeconds: Int64, now: Date = Date()) throws -> Issued {
        guard let uid = serviceAccountUID(namespace, serviceAccount) else {
            throw APIErrors.notFound(resource: .serviceAccounts, name: serviceAccount)
        }
        if let message = Self.invalidExpiration(expirationSeconds) {
            throw APIErrors.invalid(kind: "TokenRequest", group: "authentication.k8s.io", name: "",
                                    causes: [Status.Cause(reason: "FieldValueInvalid", message: "Invalid value: \(expirationSeconds): \(message)", field: "spec.expirationSeconds")])
        }
        let grant = Grant(namespace: namespace, serviceAccount: serviceAccount, serviceAccountUID: uid,
                          audiences: audiences.isEmpty ? [Self.apiServerAudience] : audiences,
                          expiresAt: now.addingTimeInterval(TimeInterval(expirationSeconds)))
        let token = Self.randomToken()
        grants.withLock { grants in
            grants = grants.filter { $0.value.expiresAt > now }
            grants[token] = grant
        }
        return Issued(token: token, grant: grant)
    }

    /// The user a bearer token authenticates as, or nil when it is unknown, expired, not meant
    /// for the API server, or its ServiceAccount is gone.
    func authenticate(_ token: String, now: Date = Date()) -> UserInfo? {
        guard let grant = grants.withLock({ $0[token] }), grant.expiresAt > now,
              grant.audiences.contains(Self.apiServerAudience),
              serviceAccountUID(grant.namespace, grant.serviceAccount) == grant.serviceAccountUID else { return nil }
        return .serviceAccount(namespace: grant.namespace, name: grant.serviceAccount, uid: grant.serviceAccountUID)
    }

    /// pkg/apis/authentication/validation: `may not specify a duration less than 10 minutes`,
    /// `may not specify a duration larger than 2^32 seconds`.
    static func invalidExpiration(_ seconds: Int64) -> String? {
        if seconds < minimumExpirationSeconds { return "may not specify a duration less than 10 minutes" }
        if seconds > 1 << 32 { return "may not specify a duration larger than 2^32 seconds" }
        return nil
    }

    /// 32 bytes from `SystemRandomNumberGenerator` (getrandom(2) on Linux), base64url without padding.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
