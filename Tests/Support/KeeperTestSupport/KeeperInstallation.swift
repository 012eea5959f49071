import Foundation
import KubeClient
import KubeModel
import KubeSim
import YAML

/// Keeper installed on a kube-sim server as a user installs it on a real cluster: the
/// manifests of `crds/`, `deploy/00-namespace.yaml` and `deploy/01-rbac.yaml` applied
/// unchanged by the administrator, then a token of the `keeper` ServiceAccount from the
/// TokenRequest API (what `kubectl -n keeper-system create token keeper` does). Keeper then
/// runs with `client()`, under its own identity, and RBAC decides what it may do.
public struct KeeperInstallation: Sendable {
    public static let namespace = "keeper-system"
    public static let serviceAccount = "keeper"
    /// The user name Keeper's requests carry.
    public static let userName = UserInfo.serviceAccountUsername(namespace: namespace, name: serviceAccount)
    /// What the README tells users to apply before running Keeper outside the cluster.
    public static let manifests = ["crds/keeper.dev_zookeeperclusters.yaml", "deploy/00-namespace.yaml", "deploy/01-rbac.yaml"]
    /// The repository (Package.swift's directory).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Keeper's bearer token.
    public let token: String
    /// A plain-HTTP kubeconfig authenticating as Keeper.
    public let kubeconfigYAML: String

    /// A client acting as Keeper.
    public func client() throws -> KubeClient { try KubeClient.fromKubeconfig(kubeconfigYAML) }

    /// The documents of a manifest file of the repository.
    public static func documents(_ path: String) throws -> [JSONValue] {
        try YAML.parseAll(String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8))
    }

    /// Applies the manifests to `server` as its administrator, waits until the CRD is
    /// established and returns Keeper's credentials. `editRBAC` may change a document of
    /// `deploy/01-rbac.yaml` before it is applied (a test removing one rule).
    public static func install(on server: APIServer, editRBAC: @Sendable (inout JSONValue) -> Void = { _ in }) async throws -> KeeperInstallation {
        let admin = try KubeClient.fromKubeconfig(server.kubeconfigYAML())
        for path in manifests {
            for var document in try documents(path) {
                if path.hasSuffix("rbac.yaml") { editRBAC(&document) }
                try await apply(document, with: admin)
            }
        }
        try await waitUntilEstablished(admin, crd: "zookeeperclusters.keeper.dev")
        let request: JSONValue = ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": [:]]
        let response = try await admin.create(.serviceAccounts, namespace: namespace, object: request, subresource: "token", name: serviceAccount)
        guard let token = response[path: ["status", "token"]]?.stringValue else { throw InstallationError("no token in \(response)") }
        return KeeperInstallation(token: token, kubeconfigYAML: server.kubeconfigYAML(token: token))
    }

    /// The kinds the manifests hold.
    static let types: [String: ResourceType] = Dictionary(uniqueKeysWithValues: [
        ResourceType.customResourceDefinitions, .namespaces, .serviceAccounts, .clusterRoles, .clusterRoleBindings, .roles, .roleBindings,
    ].map { ($0.kind, $0) })

    /// `kubectl apply --server-side` of one document.
    static func apply(_ document: JSONValue, with client: KubeClient) async throws {
        guard let kind = document["kind"]?.stringValue, let type = types[kind], let name = document[path: ["metadata", "name"]]?.stringValue else {
            throw InstallationError("cannot apply \(document["kind"] ?? .null) \(document[path: ["metadata", "name"]] ?? .null)")
        }
        _ = try await client.apply(type, namespace: document[path: ["metadata", "namespace"]]?.stringValue, name: name, object: document, fieldManager: "kubectl")
    }

    static func waitUntilEstablished(_ client: KubeClient, crd: String) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let object = try await client.get(.customResourceDefinitions, namespace: nil, name: crd)
            if (object[path: ["status", "conditions"]]?.arrayValue ?? []).contains(where: { $0["type"] == "Established" && $0["status"] == "True" }) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw InstallationError("the CRD \(crd) was not established within 20 s")
    }
}

public struct InstallationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
