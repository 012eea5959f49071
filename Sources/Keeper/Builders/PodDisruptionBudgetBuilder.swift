import KubeModel

/// Builds `<name>`, the `policy/v1` PodDisruptionBudget: voluntary disruptions (drains,
/// evictions, Keeper's own restarts) never take more members down than the voters can spare
/// (`PodDisruptionBudgetPolicy.maxUnavailable`: one for 3 or 5 voters).
public enum PodDisruptionBudgetBuilder {
    public static func build(_ cluster: ZookeeperCluster, shape: EnsembleShape? = nil) -> PodDisruptionBudget {
        let names = ClusterNames(cluster)
        let shape = shape ?? EnsembleShape.initial(replicas: ResolvedSpec(cluster.spec).replicas)
        return PodDisruptionBudget(
            metadata: ObjectMeta(name: names.podDisruptionBudget, namespace: names.namespace, labels: names.objectLabels, ownerReferences: [cluster.controllerReference]),
            spec: PodDisruptionBudgetSpec(maxUnavailable: .int(shape.maxUnavailable), selector: LabelSelector(matchLabels: names.selectorLabels))
        )
    }
}
