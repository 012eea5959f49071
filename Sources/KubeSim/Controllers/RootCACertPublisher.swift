import Foundation
import KubeModel

/// kube-controller-manager's root CA publisher (`pkg/controller/certificates/rootcacertpublisher/publisher.go`):
/// every namespace has a ConfigMap `kube-root-ca.crt` whose `ca.crt` is the cluster's CA, with
/// the real description annotation; an edited or deleted one is put back. Pods read it through
/// the `kube-api-access-*` volume the ServiceAccount admission plugin adds.
struct RootCACertPublisher: SimController {
    static let configMapName = "kube-root-ca.crt"
    static let descriptionAnnotation = "kubernetes.io/description"
    static let description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."
    static let manager = "kube-controller-manager"

    /// The CA bundle published, PEM.
    let rootCA: String

    func isInterested(in change: WatchRecord) -> Bool {
        change.storageKey == ResourceType.namespaces.groupResource
            || (change.storageKey == ResourceType.configMaps.groupResource
                && (change.object[path: ["metadata", "name"]]?.stringValue == Self.configMapName))
    }

    func sync(_ server: APIServer) {
        for item in server.store.list(ResourceType.namespaces.groupResource, namespace: nil).items {
            // `syncNamespace` skips namespaces being deleted.
            guard item.object[path: ["metadata", "deletionTimestamp"]] == nil else { continue }
            let namespace = item.key.name
            let wanted: JSONValue = ["ca.crt": .string(rootCA)]
            guard var existing = server.store.get(ResourceType.configMaps.groupResource, ObjectKey(namespace: namespace, name: Self.configMapName)) else {
                let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap",
                                            "metadata": ["name": .string(Self.configMapName), "namespace": .string(namespace),
                                                         "annotations": [Self.descriptionAnnotation: .string(Self.description)]],
                                            "data": wanted]
                _ = try? server.storage.create(.configMaps, configMap, fieldManager: Self.manager)
                continue
            }
            guard existing["data"] != wanted || existing[path: ["metadata", "annotations", Self.descriptionAnnotation]]?.stringValue != Self.description else { continue }
            existing["data"] = wanted
            existing[path: ["metadata", "annotations", Self.descriptionAnnotation]] = .string(Self.description)
            _ = try? server.storage.update(.configMaps, existing, fieldManager: Self.manager)
        }
    }
}

/// kube-controller-manager's ServiceAccounts controller (`pkg/controller/serviceaccount/serviceaccounts_controller.go`):
/// every active namespace has the ServiceAccount `default`, put back when deleted.
struct ServiceAccountsController: SimController {
    static let manager = "kube-controller-manager"

    func isInterested(in change: WatchRecord) -> Bool {
        change.storageKey == ResourceType.namespaces.groupResource
            || (change.storageKey == ResourceType.serviceAccounts.groupResource && change.type == "DELETED")
    }

    func sync(_ server: APIServer) {
        for item in server.store.list(ResourceType.namespaces.groupResource, namespace: nil).items
        where item.object[path: ["metadata", "deletionTimestamp"]] == nil {
            let namespace = item.key.name
            guard server.store.get(ResourceType.serviceAccounts.groupResource, ObjectKey(namespace: namespace, name: "default")) == nil else { continue }
            let account: JSONValue = ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default", "namespace": .string(namespace)]]
            _ = try? server.storage.create(.serviceAccounts, account, fieldManager: Self.manager)
        }
    }
}
