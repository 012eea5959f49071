import KubeModel
import YAML

/// The `ZookeeperCluster` CRD, generated from the Swift definitions: `keeper crd` prints it
/// and `crds/keeper.dev_zookeeperclusters.yaml` holds it (a test keeps the two equal).
///
/// The schema checks what can be checked statically (types, enums, minimums, the 255-member
/// maximum) and carries the defaults; everything else (owned config keys, name length, quantities, image tags)
/// is left to `SpecValidator`, so such mistakes show up as an `InvalidSpec` condition and
/// Event on the object instead of a refused request.
public enum CustomResourceDefinition {
    public static func definition() -> JSONValue {
        let type = ZookeeperCluster.resourceType
        return [
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": ["name": .string(type.groupResource)],
            "spec": [
                "group": .string(type.group),
                "names": [
                    "kind": .string(type.kind),
                    "listKind": .string(type.kind + "List"),
                    "plural": .string(type.plural),
                    "singular": "zookeepercluster",
                    "shortNames": ["zk", "zkc"],
                    "categories": ["all", "keeper"],
                ],
                "scope": "Namespaced",
                "versions": [[
                    "name": .string(type.version),
                    "served": true,
                    "storage": true,
                    "schema": ["openAPIV3Schema": schema],
                    "subresources": [
                        "status": [:],
                        "scale": [
                            "specReplicasPath": ".spec.replicas",
                            "statusReplicasPath": ".status.replicas",
                            "labelSelectorPath": ".status.selector",
                        ],
                    ],
                    "additionalPrinterColumns": [
                        ["name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas", "description": "Desired ensemble size"],
                        ["name": "Ready", "type": "integer", "jsonPath": ".status.readyReplicas", "description": "Members whose pods are ready"],
                        ["name": "Leader", "type": "string", "jsonPath": ".status.leader", "description": "The member that leads"],
                        ["name": "Version", "type": "string", "jsonPath": ".status.version", "description": "ZooKeeper version"],
                        ["name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"],
                    ],
                ]],
            ],
        ]
    }

    static var schema: JSONValue {
        OpenAPISchema.object([
            "apiVersion": OpenAPISchema.string(),
            "kind": OpenAPISchema.string(),
            "spec": specSchema,
            "status": statusSchema,
        ], description: "A ZooKeeper ensemble managed by Keeper.")
    }

    static var specSchema: JSONValue {
        let defaults = ResolvedSpec.Defaults.self
        return OpenAPISchema.object([
            // ZooKeeper server ids are 1-255 and a member's id is ordinal + 1 (`ZooKeeperLimits`).
            "replicas": OpenAPISchema.integer("Ensemble size, 1-255 (ZooKeeper server ids); odd sizes are recommended.", minimum: 1,
                                              maximum: ZooKeeperLimits.maximumReplicas, default: defaults.replicas),
            "image": OpenAPISchema.string("ZooKeeper image; its tag is the version.", default: defaults.image, minLength: 1),
            "imagePullPolicy": OpenAPISchema.string(enum: ["Always", "IfNotPresent", "Never"]),
            "config": OpenAPISchema.stringMap("zoo.cfg settings (values as strings). Keys Keeper owns (server.*, dataDir, clientPort, dynamicConfigFile, reconfigEnabled, standaloneEnabled, 4lw.commands.whitelist, ...) are refused."),
            "storage": OpenAPISchema.object([
                "size": OpenAPISchema.string("Size of each member's volume claim.", default: defaults.storageSize),
                "storageClassName": OpenAPISchema.string(),
                "ephemeral": OpenAPISchema.boolean("Keep data in an emptyDir (lost with the pod) instead of a claim.", default: false),
                "retentionPolicy": OpenAPISchema.object([
                    "whenDeleted": OpenAPISchema.string(enum: ["Retain", "Delete"], default: defaults.whenDeleted),
                    "whenScaled": OpenAPISchema.string(enum: ["Retain", "Delete"], default: defaults.whenScaled),
                ], description: "What happens to the claims when the cluster is deleted or scaled down.", default: [:]),
            ], description: "Where members keep their data.", default: [:]),
            "pod": OpenAPISchema.object([
                "resources": OpenAPISchema.object([
                    "requests": OpenAPISchema.stringMap("Quantities as strings, e.g. \"500m\", \"1Gi\"."),
                    "limits": OpenAPISchema.stringMap("Quantities as strings."),
                ]),
                "jvmHeap": OpenAPISchema.string("JVM heap, e.g. 512Mi; default half the memory limit."),
                "nodeSelector": OpenAPISchema.stringMap(),
                "tolerations": OpenAPISchema.array(of: OpenAPISchema.object([
                    "key": OpenAPISchema.string(),
                    "operator": OpenAPISchema.string(enum: ["Exists", "Equal"]),
                    "value": OpenAPISchema.string(),
                    "effect": OpenAPISchema.string(enum: ["NoSchedule", "PreferNoSchedule", "NoExecute"]),
                    "tolerationSeconds": OpenAPISchema.integer(format: "int64"),
                ])),
                "antiAffinity": OpenAPISchema.string("Spread members over nodes.", enum: ResolvedSpec.AntiAffinity.allCases.map(\.rawValue), default: defaults.antiAffinity.rawValue),
                "topologySpreadConstraints": OpenAPISchema.array(of: OpenAPISchema.object([
                    "maxSkew": OpenAPISchema.integer(minimum: 1),
                    "topologyKey": OpenAPISchema.string(),
                    "whenUnsatisfiable": OpenAPISchema.string(enum: ["DoNotSchedule", "ScheduleAnyway"]),
                    "labelSelector": OpenAPISchema.opaqueObject("Defaults to this cluster's members."),
                    "minDomains": OpenAPISchema.integer(minimum: 1),
                    "nodeAffinityPolicy": OpenAPISchema.string(enum: ["Honor", "Ignore"]),
                    "nodeTaintsPolicy": OpenAPISchema.string(enum: ["Honor", "Ignore"]),
                    "matchLabelKeys": OpenAPISchema.array(of: OpenAPISchema.string()),
                ], required: ["maxSkew", "topologyKey", "whenUnsatisfiable"])),
                "labels": OpenAPISchema.stringMap("Extra labels on member pods."),
                "annotations": OpenAPISchema.stringMap("Extra annotations on member pods."),
                "priorityClassName": OpenAPISchema.string(),
                "securityContext": OpenAPISchema.opaqueObject("A PodSecurityContext replacing Keeper's default (uid/gid 1000, non-root)."),
                "serviceAccountName": OpenAPISchema.string(),
                "terminationGracePeriodSeconds": OpenAPISchema.integer(format: "int64", minimum: 0),
            ], description: "How member pods are scheduled and sized.", default: [:]),
            "clientService": OpenAPISchema.object([
                "type": OpenAPISchema.string(enum: ["ClusterIP", "NodePort", "LoadBalancer"], default: defaults.clientServiceType),
                "annotations": OpenAPISchema.stringMap(),
            ], description: "The <name>-client Service.", default: [:]),
            "rollout": OpenAPISchema.object([
                "memberTimeoutSeconds": OpenAPISchema.integer("How long a restarted member may take to be back in sync before the rollout halts.",
                                                              minimum: 1, default: defaults.memberTimeoutSeconds),
            ], description: "Rolling restarts: one member at a time, the leader last.", default: [:]),
        ], default: [:])
    }

    static var statusSchema: JSONValue {
        OpenAPISchema.object([
            "observedGeneration": OpenAPISchema.integer(format: "int64"),
            "replicas": OpenAPISchema.integer(),
            "readyReplicas": OpenAPISchema.integer(),
            "selector": OpenAPISchema.string(),
            "leader": OpenAPISchema.string(),
            "members": OpenAPISchema.array(of: OpenAPISchema.object([
                "name": OpenAPISchema.string(),
                "id": OpenAPISchema.integer(),
                "role": OpenAPISchema.string(enum: ["leader", "follower", "observer", "standalone", "unknown"]),
                "membership": OpenAPISchema.string("participant, observer, or none (runs but is not in the committed configuration).",
                                                   enum: ["participant", "observer", "none"]),
                "ready": OpenAPISchema.boolean(),
                "upToDate": OpenAPISchema.boolean(),
            ], required: ["name", "id", "role", "ready", "upToDate"])),
            "voters": OpenAPISchema.integer("Participants in the committed ZooKeeper configuration."),
            "restart": OpenAPISchema.object([
                "member": OpenAPISchema.string(),
                "podUID": OpenAPISchema.string(),
                "revision": OpenAPISchema.string(),
                "leaderZxid": OpenAPISchema.integer(format: "int64"),
                "startedAt": ["type": "string", "format": "date-time"],
            ], required: ["member", "podUID", "startedAt"], description: "The member restart a rollout waits on."),
            "clientEndpoint": OpenAPISchema.string(),
            "version": OpenAPISchema.string(),
            "conditions": OpenAPISchema.array(of: OpenAPISchema.condition),
        ])
    }
}

extension CustomResourceDefinition {
    /// The CRD as the YAML committed in `crds/` and printed by `keeper crd`.
    public static func rendered() -> String {
        "# Generated by `keeper crd` from the Swift definitions in Sources/Keeper/API; do not edit.\n" + YAML.render(definition())
    }

    /// Reads a rendered CRD back.
    public static func parse(_ text: String) throws -> JSONValue {
        try YAML.parse(text)
    }
}
