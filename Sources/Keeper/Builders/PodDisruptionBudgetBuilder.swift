import KubeModel

/// Builds `<name>`, the `policy/v1` PodDisruptionBudget: voluntary disruptions (drains,
/// evictions, Keeper's own restarts) take down at most one member at a time.
public enum PodDisruptionBudgetBuilder {
    public static func build(_ cluster: ZookeeperCluster) -> PodDisruptionBudget {
        let names = ClusterNames(cluster)
        return PodDisruptionBudget(
            metadata: ObjectMeta(name: names.podDisruptionBudget, namespace: names.namespace, labels: names.objectLabels, ownerReferences: [cluster.controllerReference]),
            spec: PodDisruptionBudgetSpec(maxUnavailable: .int(1), selector: LabelSelector(matchLabels: names.selectorLabels))
        )
    }
}
