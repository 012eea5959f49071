/// `core/v1 Affinity`.
public struct Affinity: Codable, Hashable, Sendable {
    public var nodeAffinity: NodeAffinity?
    public var podAffinity: PodAffinity?
    public var podAntiAffinity: PodAntiAffinity?

    public init(nodeAffinity: NodeAffinity? = nil, podAffinity: PodAffinity? = nil, podAntiAffinity: PodAntiAffinity? = nil) {
        self.nodeAffinity = nodeAffinity
        self.podAffinity = podAffinity
        self.podAntiAffinity = podAntiAffinity
    }
}

/// `core/v1 NodeAffinity`.
public struct NodeAffinity: Codable, Hashable, Sendable {
    public var requiredDuringSchedulingIgnoredDuringExecution: NodeSelector?
    public var preferredDuringSchedulingIgnoredDuringExecution: [PreferredSchedulingTerm]?

    public init(requiredDuringSchedulingIgnoredDuringExecution: NodeSelector? = nil, preferredDuringSchedulingIgnoredDuringExecution: [PreferredSchedulingTerm]? = nil) {
        self.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution
        self.preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution
    }
}

/// `core/v1 NodeSelector`: the terms are ORed.
public struct NodeSelector: Codable, Hashable, Sendable {
    public var nodeSelectorTerms: [NodeSelectorTerm]?

    public init(nodeSelectorTerms: [NodeSelectorTerm]? = nil) {
        self.nodeSelectorTerms = nodeSelectorTerms
    }
}

/// `core/v1 NodeSelectorTerm`: the requirements are ANDed.
public struct NodeSelectorTerm: Codable, Hashable, Sendable {
    public var matchExpressions: [NodeSelectorRequirement]?
    public var matchFields: [NodeSelectorRequirement]?

    public init(matchExpressions: [NodeSelectorRequirement]? = nil, matchFields: [NodeSelectorRequirement]? = nil) {
        self.matchExpressions = matchExpressions
        self.matchFields = matchFields
    }
}

/// `core/v1 NodeSelectorRequirement`: `operator` is `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt` or `Lt`.
public struct NodeSelectorRequirement: Codable, Hashable, Sendable {
    public var key: String?
    public var `operator`: String?
    public var values: [String]?

    public init(key: String? = nil, `operator`: String? = nil, values: [String]? = nil) {
        self.key = key
        self.`operator` = `operator`
        self.values = values
    }
}

/// `core/v1 PreferredSchedulingTerm`.
public struct PreferredSchedulingTerm: Codable, Hashable, Sendable {
    public var weight: Int?
    public var preference: NodeSelectorTerm?

    public init(weight: Int? = nil, preference: NodeSelectorTerm? = nil) {
        self.weight = weight
        self.preference = preference
    }
}

/// `core/v1 PodAffinity`.
public struct PodAffinity: Codable, Hashable, Sendable {
    public var requiredDuringSchedulingIgnoredDuringExecution: [PodAffinityTerm]?
    public var preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm]?

    public init(requiredDuringSchedulingIgnoredDuringExecution: [PodAffinityTerm]? = nil, preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm]? = nil) {
        self.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution
        self.preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution
    }
}

/// `core/v1 PodAntiAffinity`.
public struct PodAntiAffinity: Codable, Hashable, Sendable {
    public var requiredDuringSchedulingIgnoredDuringExecution: [PodAffinityTerm]?
    public var preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm]?

    public init(requiredDuringSchedulingIgnoredDuringExecution: [PodAffinityTerm]? = nil, preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm]? = nil) {
        self.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution
        self.preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution
    }
}

/// `core/v1 PodAffinityTerm`.
public struct PodAffinityTerm: Codable, Hashable, Sendable {
    public var labelSelector: LabelSelector?
    public var namespaces: [String]?
    public var topologyKey: String?
    public var namespaceSelector: LabelSelector?
    public var matchLabelKeys: [String]?
    public var mismatchLabelKeys: [String]?

    public init(labelSelector: LabelSelector? = nil, namespaces: [String]? = nil, topologyKey: String? = nil, namespaceSelector: LabelSelector? = nil, matchLabelKeys: [String]? = nil, mismatchLabelKeys: [String]? = nil) {
        self.labelSelector = labelSelector
        self.namespaces = namespaces
        self.topologyKey = topologyKey
        self.namespaceSelector = namespaceSelector
        self.matchLabelKeys = matchLabelKeys
        self.mismatchLabelKeys = mismatchLabelKeys
    }
}

/// `core/v1 WeightedPodAffinityTerm`.
public struct WeightedPodAffinityTerm: Codable, Hashable, Sendable {
    public var weight: Int?
    public var podAffinityTerm: PodAffinityTerm?

    public init(weight: Int? = nil, podAffinityTerm: PodAffinityTerm? = nil) {
        self.weight = weight
        self.podAffinityTerm = podAffinityTerm
    }
}

/// `core/v1 Toleration`.
public struct Toleration: Codable, Hashable, Sendable {
    public var key: String?
    public var `operator`: String?
    public var value: String?
    public var effect: String?
    public var tolerationSeconds: Int64?

    public init(key: String? = nil, `operator`: String? = nil, value: String? = nil, effect: String? = nil, tolerationSeconds: Int64? = nil) {
        self.key = key
        self.`operator` = `operator`
        self.value = value
        self.effect = effect
        self.tolerationSeconds = tolerationSeconds
    }
}

/// `core/v1 TopologySpreadConstraint`.
public struct TopologySpreadConstraint: Codable, Hashable, Sendable {
    public var maxSkew: Int?
    public var topologyKey: String?
    public var whenUnsatisfiable: String?
    public var labelSelector: LabelSelector?
    public var minDomains: Int?
    public var nodeAffinityPolicy: String?
    public var nodeTaintsPolicy: String?
    public var matchLabelKeys: [String]?

    public init(maxSkew: Int? = nil, topologyKey: String? = nil, whenUnsatisfiable: String? = nil, labelSelector: LabelSelector? = nil, minDomains: Int? = nil, nodeAffinityPolicy: String? = nil, nodeTaintsPolicy: String? = nil, matchLabelKeys: [String]? = nil) {
        self.maxSkew = maxSkew
        self.topologyKey = topologyKey
        self.whenUnsatisfiable = whenUnsatisfiable
        self.labelSelector = labelSelector
        self.minDomains = minDomains
        self.nodeAffinityPolicy = nodeAffinityPolicy
        self.nodeTaintsPolicy = nodeTaintsPolicy
        self.matchLabelKeys = matchLabelKeys
    }
}
