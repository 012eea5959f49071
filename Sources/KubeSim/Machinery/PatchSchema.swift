import KubeModel

/// The strategic-merge-patch metadata of built-in kinds: which lists merge (and by which
/// key), as the `patchStrategy`/`patchMergeKey` struct tags of k8s.io/api say. Fields not
/// described here behave as in a JSON merge patch (maps merge, lists are replaced), which
/// is also what the tags say for the lists left out (tolerations, volumeClaimTemplates,
/// envFrom, args, ...).
indirect enum PatchSchema: Sendable {
    /// A struct or map: known fields with their own metadata.
    case object([String: PatchSchema])
    /// `patchStrategy:"merge"`: a list merged by `key` (nil: a list of primitives merged
    /// as a set, e.g. finalizers).
    case mergeList(key: String?, element: PatchSchema)
    /// `patchStrategy:"replace"` on a struct (e.g. a PodDisruptionBudget's selector).
    case replace

    static let generic = PatchSchema.object([:])

    func field(_ name: String) -> PatchSchema {
        if case .object(let fields) = self, let field = fields[name] { return field }
        return .generic
    }

    static func list(_ key: String?, _ element: PatchSchema = .generic) -> PatchSchema { .mergeList(key: key, element: element) }

    static let objectMeta = PatchSchema.object(["finalizers": list(nil), "ownerReferences": list("uid")])
    static let conditions = PatchSchema.object(["conditions": list("type")])
    static let container = PatchSchema.object([
        "ports": list("containerPort"), "env": list("name"), "volumeMounts": list("mountPath"), "volumeDevices": list("devicePath"),
    ])
    static let podSpec = PatchSchema.object([
        "containers": list("name", container), "initContainers": list("name", container), "ephemeralContainers": list("name", container),
        "volumes": list("name"), "imagePullSecrets": list("name"), "hostAliases": list("ip"),
        "topologySpreadConstraints": list("topologyKey"), "schedulingGates": list("name"), "resourceClaims": list("name"),
    ])
    static let podStatus = PatchSchema.object(["conditions": list("type"), "podIPs": list("ip"), "hostIPs": list("ip")])
    static let podTemplate = PatchSchema.object(["metadata": objectMeta, "spec": podSpec])
    static let workload = PatchSchema.object(["metadata": objectMeta, "spec": .object(["template": podTemplate]), "status": conditions])

    /// The schema of each kind the server accepts strategic merge patches for.
    static let kinds: [String: PatchSchema] = [
        "Pod": .object(["metadata": objectMeta, "spec": podSpec, "status": podStatus]),
        "PodTemplate": .object(["metadata": objectMeta, "template": podTemplate]),
        "StatefulSet": workload, "Deployment": workload, "ReplicaSet": workload, "DaemonSet": workload,
        "ReplicationController": workload, "Job": workload,
        "CronJob": .object(["metadata": objectMeta, "spec": .object(["jobTemplate": .object(["spec": .object(["template": podTemplate])])])]),
        "Service": .object(["metadata": objectMeta, "spec": .object(["ports": list("port")]), "status": conditions]),
        "PodDisruptionBudget": .object(["metadata": objectMeta, "spec": .object(["selector": .replace]), "status": conditions]),
        "Node": .object(["metadata": objectMeta, "spec": .object(["podCIDRs": list(nil)]),
                         "status": .object(["conditions": list("type"), "addresses": list("type")])]),
        "Namespace": .object(["metadata": objectMeta, "status": conditions]),
        "PersistentVolumeClaim": .object(["metadata": objectMeta, "status": conditions]),
        "PersistentVolume": .object(["metadata": objectMeta]),
        "ServiceAccount": .object(["metadata": objectMeta, "secrets": list("name")]),
        "ConfigMap": .object(["metadata": objectMeta]), "Secret": .object(["metadata": objectMeta]),
        "Event": .object(["metadata": objectMeta]), "Lease": .object(["metadata": objectMeta]),
        "Endpoints": .object(["metadata": objectMeta]), "ControllerRevision": .object(["metadata": objectMeta]),
        "CustomResourceDefinition": .object(["metadata": objectMeta, "status": conditions]),
        "Scale": .object(["metadata": objectMeta]), "Eviction": .object(["metadata": objectMeta]),
    ]
}
