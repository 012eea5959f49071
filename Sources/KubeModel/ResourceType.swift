/// Where a kind of object lives in the API: group, version, plural, and whether it is namespaced.
public struct ResourceType: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String
    public var plural: String
    public var namespaced: Bool

    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
    }

    /// `v1` for the core group, `group/version` otherwise.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `plural.group`, the name a CRD or an RBAC rule uses.
    public var groupResource: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The REST path of a collection, an object, or one of its subresources.
    public func path(namespace: String? = nil, name: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { path += "/namespaces/\(namespace)" }
        path += "/\(plural)"
        if let name {
            path += "/\(name)"
            if let subresource { path += "/\(subresource)" }
        }
        return path
    }

    public var description: String { "\(groupResource)/\(version)" }
}

extension ResourceType {
    public static let namespaces = ResourceType(group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false)
    public static let configMaps = ResourceType(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true)
    public static let services = ResourceType(group: "", version: "v1", kind: "Service", plural: "services", namespaced: true)
    public static let pods = ResourceType(group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true)
    public static let events = ResourceType(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true)
    public static let secrets = ResourceType(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true)
    public static let serviceAccounts = ResourceType(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true)
    public static let persistentVolumeClaims = ResourceType(group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true)
    public static let persistentVolumes = ResourceType(group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false)
    public static let nodes = ResourceType(group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false)
    public static let resourceQuotas = ResourceType(group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", namespaced: true)
    public static let endpoints = ResourceType(group: "", version: "v1", kind: "Endpoints", plural: "endpoints", namespaced: true)
    public static let statefulSets = ResourceType(group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", namespaced: true)
    public static let deployments = ResourceType(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true)
    public static let replicaSets = ResourceType(group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", namespaced: true)
    public static let controllerRevisions = ResourceType(group: "apps", version: "v1", kind: "ControllerRevision", plural: "controllerrevisions", namespaced: true)
    public static let podDisruptionBudgets = ResourceType(group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", namespaced: true)
    public static let leases = ResourceType(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true)
    public static let roles = ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true)
    public static let clusterRoles = ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false)
    public static let roleBindings = ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", namespaced: true)
    public static let clusterRoleBindings = ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false)
    /// Create-only and never stored: the answer comes back in the response.
    public static let selfSubjectAccessReviews = ResourceType(group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview", plural: "selfsubjectaccessreviews", namespaced: false)
    public static let selfSubjectReviews = ResourceType(group: "authentication.k8s.io", version: "v1", kind: "SelfSubjectReview", plural: "selfsubjectreviews", namespaced: false)
    public static let customResourceDefinitions = ResourceType(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", namespaced: false)
}
