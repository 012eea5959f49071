import KubeModel

/// Builds the two Services: the headless one that gives members their DNS names, and the
/// client one.
public enum ServiceBuilder {
    static let ports = [
        ServicePort(name: "client", protocol: "TCP", port: Ports.client, targetPort: .int(Ports.client)),
        ServicePort(name: "quorum", protocol: "TCP", port: Ports.quorum, targetPort: .int(Ports.quorum)),
        ServicePort(name: "election", protocol: "TCP", port: Ports.election, targetPort: .int(Ports.election)),
    ]

    /// `<name>-headless`: `publishNotReadyAddresses` so peers resolve each other before any
    /// is ready (a member only becomes ready once it is in a quorum).
    public static func headless(_ cluster: ZookeeperCluster) -> Service {
        let names = ClusterNames(cluster)
        return Service(
            metadata: ObjectMeta(name: names.headlessService, namespace: names.namespace, labels: names.objectLabels, ownerReferences: [cluster.controllerReference]),
            spec: ServiceSpec(type: "ClusterIP", selector: names.selectorLabels, ports: ports, clusterIP: "None", publishNotReadyAddresses: true)
        )
    }

    /// `<name>-client`: port 2181 to ready members; type and annotations from the spec.
    public static func client(_ cluster: ZookeeperCluster) -> Service {
        let names = ClusterNames(cluster)
        let spec = ResolvedSpec(cluster.spec)
        return Service(
            metadata: ObjectMeta(name: names.clientService, namespace: names.namespace, labels: names.objectLabels,
                                 annotations: spec.clientServiceAnnotations.flatMap { $0.isEmpty ? nil : $0 },
                                 ownerReferences: [cluster.controllerReference]),
            spec: ServiceSpec(type: spec.clientServiceType, selector: names.selectorLabels, ports: [ports[0]])
        )
    }
}
