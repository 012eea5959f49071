import KubeModel

/// What the user asks for. Every field is optional: `ResolvedSpec` applies the defaults in
/// code, so Keeper never depends on the API server having defaulted the object.
public struct ZookeeperClusterSpec: Codable, Hashable, Sendable {
    /// Ensemble size (the scale subresource's `.spec.replicas`). Default 3, minimum 1.
    public var replicas: Int?
    /// The container image; its tag is the ZooKeeper version. Default `zookeeper:3.9.4`.
    public var image: String?
    /// `Always`, `IfNotPresent` or `Never`; the server's default when absent.
    public var imagePullPolicy: String?
    /// zoo.cfg keys to values. Keys Keeper owns (`server.*`, `dataDir`, ...) are refused.
    public var config: [String: String]?
    public var storage: StorageSpec?
    public var pod: PodPolicy?
    public var clientService: ClientServiceSpec?
    /// How rolling restarts proceed.
    public var rollout: RolloutPolicy?

    public init(replicas: Int? = nil, image: String? = nil, imagePullPolicy: String? = nil, config: [String: String]? = nil,
                storage: StorageSpec? = nil, pod: PodPolicy? = nil, clientService: ClientServiceSpec? = nil, rollout: RolloutPolicy? = nil) {
        self.replicas = replicas
        self.image = image
        self.imagePullPolicy = imagePullPolicy
        self.config = config
        self.storage = storage
        self.pod = pod
        self.clientService = clientService
        self.rollout = rollout
    }
}

/// Rolling restarts: one member at a time, the leader last, each gated on the member being
/// back in sync.
public struct RolloutPolicy: Codable, Hashable, Sendable {
    /// How long a restarted member may take to be back in sync before the rollout halts
    /// (`Degraded=True RolloutHalted`). Default 300.
    public var memberTimeoutSeconds: Int?

    public init(memberTimeoutSeconds: Int? = nil) {
        self.memberTimeoutSeconds = memberTimeoutSeconds
    }
}

/// Where the members keep their data.
public struct StorageSpec: Codable, Hashable, Sendable {
    /// Size of each member's claim. Default `10Gi`.
    public var size: Quantity?
    /// The claims' StorageClass; the cluster's default class when absent.
    public var storageClassName: String?
    /// Keep data in an emptyDir instead of a claim: it is lost when a pod is deleted.
    public var ephemeral: Bool?
    /// What happens to the claims when the cluster is deleted or scaled down.
    public var retentionPolicy: ClaimRetentionPolicy?

    public init(size: Quantity? = nil, storageClassName: String? = nil, ephemeral: Bool? = nil, retentionPolicy: ClaimRetentionPolicy? = nil) {
        self.size = size
        self.storageClassName = storageClassName
        self.ephemeral = ephemeral
        self.retentionPolicy = retentionPolicy
    }
}

/// `Retain` or `Delete` for each way a member's claim can lose its pod.
public struct ClaimRetentionPolicy: Codable, Hashable, Sendable {
    /// When the ZookeeperCluster is deleted. Default `Retain`: data outlives an accident.
    public var whenDeleted: String?
    /// When the ensemble shrinks. Default `Delete`: a member that left the ensemble must not
    /// come back later with stale data and a stale membership file.
    public var whenScaled: String?

    public init(whenDeleted: String? = nil, whenScaled: String? = nil) {
        self.whenDeleted = whenDeleted
        self.whenScaled = whenScaled
    }
}

/// How the member pods are scheduled and sized.
public struct PodPolicy: Codable, Hashable, Sendable {
    public var resources: ResourceRequirements?
    /// JVM heap size (a quantity such as `512Mi`). Default: half the memory limit when one is
    /// set, else the image's default.
    public var jvmHeap: Quantity?
    public var nodeSelector: [String: String]?
    public var tolerations: [Toleration]?
    /// Spread members over nodes: `preferred` (default), `required` or `none`.
    public var antiAffinity: String?
    /// Extra spreading, e.g. over zones; an absent `labelSelector` selects this cluster's members.
    public var topologySpreadConstraints: [TopologySpreadConstraint]?
    /// Added to the member pods' labels (the selector labels cannot be overridden).
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var priorityClassName: String?
    /// Replaces Keeper's default (uid/gid 1000, non-root, fsGroup 1000) as a whole.
    public var securityContext: PodSecurityContext?
    public var serviceAccountName: String?
    public var terminationGracePeriodSeconds: Int64?

    public init(resources: ResourceRequirements? = nil, jvmHeap: Quantity? = nil, nodeSelector: [String: String]? = nil,
                tolerations: [Toleration]? = nil, antiAffinity: String? = nil, topologySpreadConstraints: [TopologySpreadConstraint]? = nil,
                labels: [String: String]? = nil, annotations: [String: String]? = nil, priorityClassName: String? = nil,
                securityContext: PodSecurityContext? = nil, serviceAccountName: String? = nil, terminationGracePeriodSeconds: Int64? = nil) {
        self.resources = resources
        self.jvmHeap = jvmHeap
        self.nodeSelector = nodeSelector
        self.tolerations = tolerations
        self.antiAffinity = antiAffinity
        self.topologySpreadConstraints = topologySpreadConstraints
        self.labels = labels
        self.annotations = annotations
        self.priorityClassName = priorityClassName
        self.securityContext = securityContext
        self.serviceAccountName = serviceAccountName
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }
}

/// The client Service (`<name>-client`).
public struct ClientServiceSpec: Codable, Hashable, Sendable {
    /// `ClusterIP` (default), `NodePort` or `LoadBalancer`.
    public var type: String?
    public var annotations: [String: String]?

    public init(type: String? = nil, annotations: [String: String]? = nil) {
        self.type = type
        self.annotations = annotations
    }
}
