import Foundation

/// Who a request is from, decided from its `Authorization` header as kube-apiserver's chain
/// decides it with anonymous authentication on (its default):
/// - no header, or one that is not `Bearer <token>`: no authenticator handles it, so the
///   request is `system:anonymous` (authentication/request/bearertoken/bearertoken.go returns
///   "not handled"; pkg/kubeapiserver/authenticator/config.go puts the anonymous
///   authenticator behind `union.NewFailOnError`);
/// - a bearer token nobody issued: an error, which the anonymous fallback does not swallow,
///   so the request gets 401 `Unauthorized` (endpoints/filters/authentication.go).
struct RequestAuthenticator {
    enum Outcome: Equatable {
        case user(UserInfo)
        case invalidToken
    }

    /// The admin kubeconfig's token.
    let adminToken: String
    /// ServiceAccount tokens.
    let serviceAccountToken: (String) -> UserInfo?

    func authenticate(authorizationHeader: String?) -> Outcome {
        guard let token = Self.bearerToken(authorizationHeader) else { return .user(.anonymous) }
        if token == adminToken { return .user(.admin) }
        if let user = serviceAccountToken(token) { return .user(user) }
        return .invalidToken
    }

    /// The token of `Bearer <token>` (scheme case-insensitive), nil when there is none.
    static func bearerToken(_ header: String?) -> String? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        let parts = header.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }
}
