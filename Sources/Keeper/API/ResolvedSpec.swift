import KubeModel

/// A spec with every default applied: what the builders work from. Defaults live here (and
/// are repeated in the CRD schema), so a cluster the server did not default builds the same.
public struct ResolvedSpec: Hashable, Sendable {
    public enum Defaults {
        public static let replicas = 3
        public static let image = "zookeeper:3.9.4"
        public static let storageSize = "10Gi"
        public static let antiAffinity = AntiAffinity.preferred
        public static let whenDeleted = "Retain"
        public static let whenScaled = "Delete"
        public static let clientServiceType = "ClusterIP"
        public static let memberTimeoutSeconds = 300
        /// zoo.cfg settings Keeper writes unless the user sets them.
        public static let config: [String: String] = [
            "tickTime": "2000",
            "initLimit": "10",
            "syncLimit": "5",
            "maxClientCnxns": "60",
            "autopurge.snapRetainCount": "3",
            "autopurge.purgeInterval": "1",
            // The AdminServer binds 0.0.0.0:8080; Keeper does not need it.
            "admin.enableServer": "false",
        ]
        /// Keeper's pod security context, matching the official image's `zookeeper` user, with
        /// the runtime's default seccomp profile: with the container's own settings (no privilege
        /// escalation, every capability dropped) the pod meets the `restricted` Pod Security Standard.
        public static let securityContext = PodSecurityContext(runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, fsGroup: 1000,
                                                               fsGroupChangePolicy: "OnRootMismatch", seccompProfile: SeccompProfile(type: "RuntimeDefault"))
    }

    /// How member pods avoid sharing a node.
    public enum AntiAffinity: String, Hashable, Sendable, CaseIterable {
        case preferred, required, none
    }

    public var replicas: Int
    public var image: String
    public var imagePullPolicy: String?
    /// User settings merged over `Defaults.config`.
    public var config: [String: String]
    public var ephemeral: Bool
    public var storageSize: Quantity
    public var storageClassName: String?
    public var whenDeleted: String
    public var whenScaled: String
    public var resources: ResourceRequirements?
    /// Heap in MiB, when one is set or derivable from the memory limit.
    public var jvmHeapMebibytes: Int?
    public var nodeSelector: [String: String]?
    public var tolerations: [Toleration]?
    public var antiAffinity: AntiAffinity
    public var topologySpreadConstraints: [TopologySpreadConstraint]?
    public var podLabels: [String: String]
    public var podAnnotations: [String: String]
    public var priorityClassName: String?
    public var securityContext: PodSecurityContext
    public var serviceAccountName: String?
    public var terminationGracePeriodSeconds: Int64?
    public var clientServiceType: String
    public var clientServiceAnnotations: [String: String]?
    /// How long a restarted member may take to be back in sync.
    public var memberTimeoutSeconds: Int

    /// Applies the defaults. Values validation refuses (an unknown anti-affinity, an
    /// unparseable heap) fall back to defaults here; `SpecValidator` reports them.
    public init(_ spec: ZookeeperClusterSpec) {
        // Never more members than ZooKeeper has server ids, whatever got stored (a spec from
        // before the schema's maximum): no builder makes a StatefulSet or membership larger.
        replicas = min(spec.replicas ?? Defaults.replicas, ZooKeeperLimits.maximumReplicas)
        image = spec.image ?? Defaults.image
        imagePullPolicy = spec.imagePullPolicy
        config = Defaults.config.merging(spec.config ?? [:]) { _, user in user }
        ephemeral = spec.storage?.ephemeral ?? false
        storageSize = spec.storage?.size ?? Defaults.storageSize
        storageClassName = spec.storage?.storageClassName
        whenDeleted = spec.storage?.retentionPolicy?.whenDeleted ?? Defaults.whenDeleted
        whenScaled = spec.storage?.retentionPolicy?.whenScaled ?? Defaults.whenScaled
        let pod = spec.pod ?? PodPolicy()
        resources = pod.resources
        if let heap = pod.jvmHeap.flatMap(ParsedQuantity.init) {
            jvmHeapMebibytes = heap.wholeMebibytes
        } else if let limit = pod.resources?.limits?["memory"].flatMap(ParsedQuantity.init) {
            jvmHeapMebibytes = limit.wholeMebibytes / 2
        } else {
            jvmHeapMebibytes = nil
        }
        nodeSelector = pod.nodeSelector
        tolerations = pod.tolerations
        antiAffinity = pod.antiAffinity.flatMap(AntiAffinity.init(rawValue:)) ?? Defaults.antiAffinity
        topologySpreadConstraints = pod.topologySpreadConstraints
        podLabels = pod.labels ?? [:]
        podAnnotations = pod.annotations ?? [:]
        priorityClassName = pod.priorityClassName
        securityContext = pod.securityContext ?? Defaults.securityContext
        serviceAccountName = pod.serviceAccountName
        terminationGracePeriodSeconds = pod.terminationGracePeriodSeconds
        clientServiceType = spec.clientService?.type ?? Defaults.clientServiceType
        clientServiceAnnotations = spec.clientService?.annotations
        memberTimeoutSeconds = spec.rollout?.memberTimeoutSeconds ?? Defaults.memberTimeoutSeconds
    }

    /// The ZooKeeper version: the image tag (`zookeeper:3.9.4` → `3.9.4`), without a digest.
    public var version: String? { ImageReference(image).tag }
}

/// The parts of an image reference Keeper reads: `[registry[:port]/]path[:tag][@digest]`.
public struct ImageReference: Hashable, Sendable {
    public var tag: String?
    public var digest: String?

    public init(_ reference: String) {
        var rest = Substring(reference)
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        // A colon after the last slash separates the tag; one before it is a registry port.
        let lastComponent = rest.split(separator: "/", omittingEmptySubsequences: false).last ?? rest
        if let colon = lastComponent.lastIndex(of: ":") {
            let tag = lastComponent[lastComponent.index(after: colon)...]
            self.tag = tag.isEmpty ? nil : String(tag)
        }
    }
}
