/// `core/v1 PodSpec`.
public struct PodSpec: Codable, Hashable, Sendable {
    public var containers: [Container]?
    public var initContainers: [Container]?
    public var volumes: [Volume]?
    public var affinity: Affinity?
    public var tolerations: [Toleration]?
    public var topologySpreadConstraints: [TopologySpreadConstraint]?
    public var nodeSelector: [String:String]?
    public var nodeName: String?
    public var hostname: String?
    public var subdomain: String?
    public var serviceAccountName: String?
    public var serviceAccount: String?
    public var automountServiceAccountToken: Bool?
    public var securityContext: PodSecurityContext?
    public var terminationGracePeriodSeconds: Int64?
    public var activeDeadlineSeconds: Int64?
    public var priorityClassName: String?
    public var priority: Int?
    public var preemptionPolicy: String?
    public var restartPolicy: String?
    public var dnsPolicy: String?
    public var dnsConfig: JSONValue?
    public var schedulerName: String?
    public var enableServiceLinks: Bool?
    public var hostNetwork: Bool?
    public var shareProcessNamespace: Bool?
    public var setHostnameAsFQDN: Bool?
    public var imagePullSecrets: [LocalObjectReference]?
    public var hostAliases: [HostAlias]?
    public var readinessGates: [PodReadinessGate]?

    public init(containers: [Container]? = nil, initContainers: [Container]? = nil, volumes: [Volume]? = nil, affinity: Affinity? = nil, tolerations: [Toleration]? = nil, topologySpreadConstraints: [TopologySpreadConstraint]? = nil, nodeSelector: [String:String]? = nil, nodeName: String? = nil, hostname: String? = nil, subdomain: String? = nil, serviceAccountName: String? = nil, serviceAccount: String? = nil, automountServiceAccountToken: Bool? = nil, securityContext: PodSecurityContext? = nil, terminationGracePeriodSeconds: Int64? = nil, activeDeadlineSeconds: Int64? = nil, priorityClassName: String? = nil, priority: Int? = nil, preemptionPolicy: String? = nil, restartPolicy: String? = nil, dnsPolicy: String? = nil, dnsConfig: JSONValue? = nil, schedulerName: String? = nil, enableServiceLinks: Bool? = nil, hostNetwork: Bool? = nil, shareProcessNamespace: Bool? = nil, setHostnameAsFQDN: Bool? = nil, imagePullSecrets: [LocalObjectReference]? = nil, hostAliases: [HostAlias]? = nil, readinessGates: [PodReadinessGate]? = nil) {
        self.containers = containers
        self.initContainers = initContainers
        self.volumes = volumes
        self.affinity = affinity
        self.tolerations = tolerations
        self.topologySpreadConstraints = topologySpreadConstraints
        self.nodeSelector = nodeSelector
        self.nodeName = nodeName
        self.hostname = hostname
        self.subdomain = subdomain
        self.serviceAccountName = serviceAccountName
        self.serviceAccount = serviceAccount
        self.automountServiceAccountToken = automountServiceAccountToken
        self.securityContext = securityContext
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.priorityClassName = priorityClassName
        self.priority = priority
        self.preemptionPolicy = preemptionPolicy
        self.restartPolicy = restartPolicy
        self.dnsPolicy = dnsPolicy
        self.dnsConfig = dnsConfig
        self.schedulerName = schedulerName
        self.enableServiceLinks = enableServiceLinks
        self.hostNetwork = hostNetwork
        self.shareProcessNamespace = shareProcessNamespace
        self.setHostnameAsFQDN = setHostnameAsFQDN
        self.imagePullSecrets = imagePullSecrets
        self.hostAliases = hostAliases
        self.readinessGates = readinessGates
    }
}

/// `core/v1 HostAlias`: extra `/etc/hosts` entries.
public struct HostAlias: Codable, Hashable, Sendable {
    public var ip: String?
    public var hostnames: [String]?

    public init(ip: String? = nil, hostnames: [String]? = nil) {
        self.ip = ip
        self.hostnames = hostnames
    }
}

/// `core/v1 PodReadinessGate`.
public struct PodReadinessGate: Codable, Hashable, Sendable {
    public var conditionType: String?

    public init(conditionType: String? = nil) {
        self.conditionType = conditionType
    }
}
