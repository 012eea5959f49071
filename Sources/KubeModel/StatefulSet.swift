/// `apps/v1 StatefulSet`.
public struct StatefulSet: KubeObject, Hashable {
    public static let resourceType = ResourceType.statefulSets

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: StatefulSetSpec?
    public var status: StatefulSetStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: StatefulSetSpec? = nil, status: StatefulSetStatus? = nil) {
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
        spec = try container.decodeIfPresent(StatefulSetSpec.self, forKey: .spec)
        status = try container.decodeIfPresent(StatefulSetStatus.self, forKey: .status)
    }
}

/// `apps/v1 StatefulSetSpec`.
public struct StatefulSetSpec: Codable, Hashable, Sendable {
    public var replicas: Int?
    public var selector: LabelSelector?
    public var template: PodTemplateSpec?
    public var volumeClaimTemplates: [PersistentVolumeClaim]?
    public var serviceName: String?
    public var podManagementPolicy: String?
    public var updateStrategy: StatefulSetUpdateStrategy?
    public var revisionHistoryLimit: Int?
    public var minReadySeconds: Int?
    public var persistentVolumeClaimRetentionPolicy: StatefulSetPersistentVolumeClaimRetentionPolicy?
    public var ordinals: StatefulSetOrdinals?

    public init(replicas: Int? = nil, selector: LabelSelector? = nil, template: PodTemplateSpec? = nil, volumeClaimTemplates: [PersistentVolumeClaim]? = nil, serviceName: String? = nil, podManagementPolicy: String? = nil, updateStrategy: StatefulSetUpdateStrategy? = nil, revisionHistoryLimit: Int? = nil, minReadySeconds: Int? = nil, persistentVolumeClaimRetentionPolicy: StatefulSetPersistentVolumeClaimRetentionPolicy? = nil, ordinals: StatefulSetOrdinals? = nil) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
        self.volumeClaimTemplates = volumeClaimTemplates
        self.serviceName = serviceName
        self.podManagementPolicy = podManagementPolicy
        self.updateStrategy = updateStrategy
        self.revisionHistoryLimit = revisionHistoryLimit
        self.minReadySeconds = minReadySeconds
        self.persistentVolumeClaimRetentionPolicy = persistentVolumeClaimRetentionPolicy
        self.ordinals = ordinals
    }
}

/// `apps/v1 StatefulSetUpdateStrategy`: `type` is `RollingUpdate` or `OnDelete`.
public struct StatefulSetUpdateStrategy: Codable, Hashable, Sendable {
    public var type: String?
    public var rollingUpdate: RollingUpdateStatefulSetStrategy?

    public init(type: String? = nil, rollingUpdate: RollingUpdateStatefulSetStrategy? = nil) {
        self.type = type
        self.rollingUpdate = rollingUpdate
    }
}

/// `apps/v1 RollingUpdateStatefulSetStrategy`: pods with an ordinal below `partition` keep the old revision.
public struct RollingUpdateStatefulSetStrategy: Codable, Hashable, Sendable {
    public var partition: Int?
    public var maxUnavailable: IntOrString?

    public init(partition: Int? = nil, maxUnavailable: IntOrString? = nil) {
        self.partition = partition
        self.maxUnavailable = maxUnavailable
    }
}

/// `apps/v1 StatefulSetPersistentVolumeClaimRetentionPolicy`: `Retain` or `Delete` for each case.
public struct StatefulSetPersistentVolumeClaimRetentionPolicy: Codable, Hashable, Sendable {
    public var whenDeleted: String?
    public var whenScaled: String?

    public init(whenDeleted: String? = nil, whenScaled: String? = nil) {
        self.whenDeleted = whenDeleted
        self.whenScaled = whenScaled
    }
}

/// `apps/v1 StatefulSetOrdinals`: the first ordinal (default 0).
public struct StatefulSetOrdinals: Codable, Hashable, Sendable {
    public var start: Int?

    public init(start: Int? = nil) {
        self.start = start
    }
}

/// `apps/v1 StatefulSetStatus`.
public struct StatefulSetStatus: Codable, Hashable, Sendable {
    public var observedGeneration: Int64?
    public var replicas: Int?
    public var readyReplicas: Int?
    public var currentReplicas: Int?
    public var updatedReplicas: Int?
    public var availableReplicas: Int?
    public var currentRevision: String?
    public var updateRevision: String?
    public var collisionCount: Int?
    public var conditions: [StatefulSetCondition]?

    public init(observedGeneration: Int64? = nil, replicas: Int? = nil, readyReplicas: Int? = nil, currentReplicas: Int? = nil, updatedReplicas: Int? = nil, availableReplicas: Int? = nil, currentRevision: String? = nil, updateRevision: String? = nil, collisionCount: Int? = nil, conditions: [StatefulSetCondition]? = nil) {
        self.observedGeneration = observedGeneration
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.currentReplicas = currentReplicas
        self.updatedReplicas = updatedReplicas
        self.availableReplicas = availableReplicas
        self.currentRevision = currentRevision
        self.updateRevision = updateRevision
        self.collisionCount = collisionCount
        self.conditions = conditions
    }
}

/// `apps/v1 StatefulSetCondition`.
public struct StatefulSetCondition: Codable, Hashable, Sendable {
    public var type: String?
    public var status: String?
    public var lastTransitionTime: Time?
    public var reason: String?
    public var message: String?

    public init(type: String? = nil, status: String? = nil, lastTransitionTime: Time? = nil, reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}
