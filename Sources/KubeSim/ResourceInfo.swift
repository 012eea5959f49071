import KubeModel

/// Everything the API server knows about one served resource: where it lives, what
/// discovery says about it, and which semantics its writes get.
public struct ResourceInfo: Sendable {
    /// Where the scale subresource reads and writes its fields (JSON paths without the leading dot).
    public struct ScaleSpec: Sendable, Hashable {
        public var specReplicasPath: [String]
        public var statusReplicasPath: [String]
        public var labelSelectorPath: [String]?
    }

    public var type: ResourceType
    public var singular: String
    public var shortNames: [String] = []
    public var categories: [String] = []
    public var verbs: [String] = ResourceInfo.allVerbs
    /// Whether `<plural>/status` is served, and writes to the main resource ignore status.
    public var statusSubresource = false
    public var scale: ScaleSpec?
    /// Extra subresources: `eviction` for pods, `token` for serviceaccounts.
    public var otherSubresources: [String] = []
    /// Whether `metadata.generation` is kept (and bumped on spec changes).
    public var tracksGeneration = false
    /// A custom resource's schema; nil for built-in kinds.
    public var schema: StructuralSchema?
    /// A custom resource's printer columns; nil means the built-in columns.
    public var printerColumns: [TableConverter.Column]?
    /// Built-in kinds take strategic merge patches; custom resources do not.
    public var isBuiltIn = true

    public static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// The key objects of this resource are stored under (every version shares it).
    public var storageKey: String { type.groupResource }

    /// `<kind>List`.
    public var listKind: String { type.kind + "List" }
}

extension ResourceInfo {
    /// The built-in resources kube-sim serves from the start.
    static let builtIns: [ResourceInfo] = [
        ResourceInfo(type: .namespaces, singular: "namespace", shortNames: ["ns"],
                     verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], statusSubresource: true),
        ResourceInfo(type: .configMaps, singular: "configmap", shortNames: ["cm"]),
        ResourceInfo(type: .services, singular: "service", shortNames: ["svc"], categories: ["all"], statusSubresource: true),
        ResourceInfo(type: .pods, singular: "pod", shortNames: ["po"], categories: ["all"], statusSubresource: true,
                     otherSubresources: ["eviction"]),
        ResourceInfo(type: .events, singular: "event", shortNames: ["ev"]),
        ResourceInfo(type: .secrets, singular: "secret"),
        ResourceInfo(type: .serviceAccounts, singular: "serviceaccount", shortNames: ["sa"], otherSubresources: ["token"]),
        ResourceInfo(type: .persistentVolumeClaims, singular: "persistentvolumeclaim", shortNames: ["pvc"], statusSubresource: true),
        ResourceInfo(type: .persistentVolumes, singular: "persistentvolume", shortNames: ["pv"], statusSubresource: true),
        ResourceInfo(type: .nodes, singular: "node", shortNames: ["no"], statusSubresource: true),
        ResourceInfo(type: .resourceQuotas, singular: "resourcequota", shortNames: ["quota"], statusSubresource: true),
        ResourceInfo(type: .endpoints, singular: "endpoints", shortNames: ["ep"]),
        ResourceInfo(type: .statefulSets, singular: "statefulset", shortNames: ["sts"], categories: ["all"], statusSubresource: true,
                     scale: .init(specReplicasPath: ["spec", "replicas"], statusReplicasPath: ["status", "replicas"], labelSelectorPath: nil),
                     tracksGeneration: true),
        ResourceInfo(type: .deployments, singular: "deployment", shortNames: ["deploy"], categories: ["all"], statusSubresource: true,
                     scale: .init(specReplicasPath: ["spec", "replicas"], statusReplicasPath: ["status", "replicas"], labelSelectorPath: nil),
                     tracksGeneration: true),
        ResourceInfo(type: .replicaSets, singular: "replicaset", shortNames: ["rs"], categories: ["all"], statusSubresource: true,
                     scale: .init(specReplicasPath: ["spec", "replicas"], statusReplicasPath: ["status", "replicas"], labelSelectorPath: nil),
                     tracksGeneration: true),
        ResourceInfo(type: .controllerRevisions, singular: "controllerrevision"),
        ResourceInfo(type: .podDisruptionBudgets, singular: "poddisruptionbudget", shortNames: ["pdb"], statusSubresource: true, tracksGeneration: true),
        ResourceInfo(type: .leases, singular: "lease"),
        ResourceInfo(type: .roles, singular: "role"),
        ResourceInfo(type: .clusterRoles, singular: "clusterrole"),
        ResourceInfo(type: .roleBindings, singular: "rolebinding"),
        ResourceInfo(type: .clusterRoleBindings, singular: "clusterrolebinding"),
        ResourceInfo(type: .selfSubjectAccessReviews, singular: "selfsubjectaccessreview", verbs: ["create"]),
        ResourceInfo(type: .selfSubjectReviews, singular: "selfsubjectreview", verbs: ["create"]),
        ResourceInfo(type: .customResourceDefinitions, singular: "customresourcedefinition", shortNames: ["crd", "crds"],
                     categories: ["api-extensions"], statusSubresource: true, tracksGeneration: true),
    ]
}
