/// What the children reflect of the ensemble's membership rather than of the spec: the
/// StatefulSet's replica count (grown and shrunk one member at a time by the scaling
/// planner, so it is not `spec.replicas`), the membership a member with no membership file is
/// seeded with (the committed voters), and the PodDisruptionBudget's allowance (from the
/// voters). The reconciler derives it from the observation and the plan; the builders take it.
public struct EnsembleShape: Hashable, Sendable {
    public var statefulSetReplicas: Int
    /// Server ids the ConfigMap's `zoo.cfg.dynamic` lists; a member whose id is not among
    /// them adds its own line at start (see `MemberScripts.start`).
    public var seedMemberIDs: [Int]
    public var maxUnavailable: Int

    public init(statefulSetReplicas: Int, seedMemberIDs: [Int], maxUnavailable: Int) {
        self.statefulSetReplicas = statefulSetReplicas
        self.seedMemberIDs = seedMemberIDs.sorted()
        self.maxUnavailable = maxUnavailable
    }

    /// A new ensemble: every member from the start, all of them voters.
    public static func initial(replicas: Int) -> EnsembleShape {
        EnsembleShape(statefulSetReplicas: replicas, seedMemberIDs: Array(stride(from: 1, through: max(replicas, 1), by: 1)),
                      maxUnavailable: PodDisruptionBudgetPolicy.maxUnavailable(voters: replicas))
    }

    /// Part of the "children satisfied" fingerprint: the children depend on this as well as on
    /// the spec.
    var fingerprint: String {
        "\(statefulSetReplicas)/\(seedMemberIDs.map(String.init).joined(separator: ","))/\(maxUnavailable)"
    }
}
