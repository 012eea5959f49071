import Foundation
import KubeClient
import KubeModel

/// The kubelet's token manager (`pkg/kubelet/token/token_manager.go`): bound ServiceAccount
/// tokens for pods' `serviceAccountToken` projections, requested through the TokenRequest API
/// (`POST .../serviceaccounts/<name>/token`, bound to the pod), cached per pod and projection,
/// and requested again once 80% of their lifetime has passed (or 24 h), so the file a pod
/// reads is always a valid token. The kubelet rewrites projected volumes on every resync.
actor ServiceAccountTokens {
    struct Issued: Equatable {
        var token: String
        var expiration: Date
        var expirationSeconds: Int64
    }

    private let client: KubeClient
    private var cache: [String: Issued] = [:]

    init(client: KubeClient) {
        self.client = client
    }

    /// `requiresRefresh` without the jitter: past 24 h since issue, or within the last 20% of
    /// the lifetime.
    static func requiresRefresh(_ issued: Issued, now: Date) -> Bool {
        let lifetime = TimeInterval(issued.expirationSeconds)
        let issuedAt = issued.expiration.addingTimeInterval(-lifetime)
        if now > issuedAt.addingTimeInterval(24 * 3600) { return true }
        return now > issued.expiration.addingTimeInterval(-lifetime * 0.2)
    }

    /// The tokens `pod`'s projections need, by `PodReferences.tokenKey`.
    func tokens(for pod: Pod, now: Date = Date()) async throws -> [String: String] {
        var result: [String: String] = [:]
        for volume in pod.spec?.volumes ?? [] {
            for source in volume.projected?.sources ?? [] {
                guard let projection = source.serviceAccountToken else { continue }
                let key = PodReferences.tokenKey(audience: projection.audience, expirationSeconds: projection.expirationSeconds)
                result[key] = try await token(for: pod, audience: projection.audience,
                                              expirationSeconds: projection.expirationSeconds ?? 3600, key: key, now: now)
            }
        }
        return result
    }

    func forget(podUID: String) {
        cache = cache.filter { !$0.key.hasPrefix(podUID + "/") }
    }

    private func token(for pod: Pod, audience: String?, expirationSeconds: Int64, key: String, now: Date) async throws -> String {
        let podUID = pod.metadata.uid ?? ""
        let cacheKey = "\(podUID)/\(key)"
        if let cached = cache[cacheKey], !Self.requiresRefresh(cached, now: now) { return cached.token }
        let namespace = pod.metadata.namespace ?? "default"
        let account = pod.spec?.serviceAccountName ?? "default"
        var spec: JSONValue = ["expirationSeconds": .int(expirationSeconds),
                               "boundObjectRef": ["apiVersion": "v1", "kind": "Pod", "name": .string(pod.metadata.name ?? ""), "uid": .string(podUID)]]
        if let audience, !audience.isEmpty { spec["audiences"] = [.string(audience)] }
        let request: JSONValue = ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                                  "metadata": ["name": .string(account), "namespace": .string(namespace)], "spec": spec]
        let response = try await client.create(.serviceAccounts, namespace: namespace, object: request, subresource: "token", name: account)
        guard let token = response[path: ["status", "token"]]?.stringValue, !token.isEmpty else {
            throw KubeError.configuration("the TokenRequest for \(namespace)/\(account) returned no token")
        }
        let expiration = response[path: ["status", "expirationTimestamp"]]?.stringValue.flatMap(RFC3339.date)
            ?? now.addingTimeInterval(TimeInterval(expirationSeconds))
        let granted = response[path: ["spec", "expirationSeconds"]]?.intValue ?? expirationSeconds
        cache[cacheKey] = Issued(token: token, expiration: expiration, expirationSeconds: granted)
        return token
    }
}
