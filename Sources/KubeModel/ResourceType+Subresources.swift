extension ResourceType {
    /// `autoscaling/v1 Scale`: not a collection of its own but the body of the `scale`
    /// subresource of StatefulSets, Deployments and custom resources with a scale subresource.
    public static let scale = ResourceType(group: "autoscaling", version: "v1", kind: "Scale", plural: "scale", namespaced: true)
    /// `policy/v1 Eviction`: the body POSTed to `pods/NAME/eviction`.
    public static let eviction = ResourceType(group: "policy", version: "v1", kind: "Eviction", plural: "eviction", namespaced: true)
}
