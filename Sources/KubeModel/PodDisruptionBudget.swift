/// `policy/v1 PodDisruptionBudget`.
public struct PodDisruptionBudget: KubeObject, Hashable {
    public static let resourceType = ResourceType.podDisruptionBudgets

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: PodDisruptionBudgetSpec?
    public var status: PodDisruptionBudgetStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: PodDisruptionBudgetSpec? = nil, status: PodDisruptionBudgetStatus? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec, status }

    /// Decodes leniently: list items carry no `apiVersion`/`kind`, and every field may be absent.
    public init(from decoder: any Decoder) throws {
        (apiVersion, kind, metadata) = try decoder.objectHeader(for: Self.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        spec = try container.decodeIfPresent(PodDisruptionBudgetSpec.self, forKey: .spec)
        status = try container.decodeIfPresent(PodDisruptionBudgetStatus.self, forKey: .status)
    }
}

/// `policy/v1 PodDisruptionBudgetSpec`: set one of `minAvailable` and `maxUnavailable`.
public struct PodDisruptionBudgetSpec: Codable, Hashable, Sendable {
    public var minAvailable: IntOrString?
    public var maxUnavailable: IntOrString?
    public var selector: LabelSelector?
    public var unhealthyPodEvictionPolicy: String?

    public init(minAvailable: IntOrString? = nil, maxUnavailable: IntOrString? = nil, selector: LabelSelector? = nil, unhealthyPodEvictionPolicy: String? = nil) {
        self.minAvailable = minAvailable
        self.maxUnavailable = maxUnavailable
        self.selector = selector
        self.unhealthyPodEvictionPolicy = unhealthyPodEvictionPolicy
    }
}

/// `policy/v1 PodDisruptionBudgetStatus`.
public struct PodDisruptionBudgetStatus: Codable, Hashable, Sendable {
    public var observedGeneration: Int64?
    public var disruptionsAllowed: Int?
    public var currentHealthy: Int?
    public var desiredHealthy: Int?
    public var expectedPods: Int?
    public var disruptedPods: [String:Time]?
    public var conditions: [Condition]?

    public init(observedGeneration: Int64? = nil, disruptionsAllowed: Int? = nil, currentHealthy: Int? = nil, desiredHealthy: Int? = nil, expectedPods: Int? = nil, disruptedPods: [String:Time]? = nil, conditions: [Condition]? = nil) {
        self.observedGeneration = observedGeneration
        self.disruptionsAllowed = disruptionsAllowed
        self.currentHealthy = currentHealthy
        self.desiredHealthy = desiredHealthy
        self.expectedPods = expectedPods
        self.disruptedPods = disruptedPods
        self.conditions = conditions
    }
}
