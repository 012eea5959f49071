import KubeModel

extension ResourceType {
    /// `keeper.dev/v1alpha1 ZookeeperCluster`, the custom resource Keeper serves.
    public static let zookeeperClusters = ResourceType(group: "keeper.dev", version: "v1alpha1", kind: "ZookeeperCluster", plural: "zookeeperclusters", namespaced: true)
}

/// A ZooKeeper ensemble as the user declares it (`spec`) and as Keeper observes it (`status`).
public struct ZookeeperCluster: KubeObject, Hashable {
    public static let resourceType = ResourceType.zookeeperClusters

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: ZookeeperClusterSpec
    public var status: ZookeeperClusterStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: ZookeeperClusterSpec = ZookeeperClusterSpec(), status: ZookeeperClusterStatus? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec, status }

    /// Decodes leniently: a missing `spec` is an all-defaults spec.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion) ?? Self.resourceType.apiVersion
        kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? Self.resourceType.kind
        metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try container.decodeIfPresent(ZookeeperClusterSpec.self, forKey: .spec) ?? ZookeeperClusterSpec()
        status = try container.decodeIfPresent(ZookeeperClusterStatus.self, forKey: .status)
    }

    /// The owner reference every child carries: Kubernetes garbage-collects the children
    /// with the cluster, and Keeper maps child events back to the cluster through it.
    public var controllerReference: OwnerReference {
        OwnerReference(apiVersion: apiVersion, kind: kind, name: name, uid: metadata.uid ?? "", controller: true, blockOwnerDeletion: true)
    }
}
