import KubeModel

/// Builds `<name>`, the StatefulSet running the members. `OnDelete` updates: Keeper decides
/// when each member restarts; a new pod template (image, resources, config hash) only marks
/// members outdated.
public enum StatefulSetBuilder {
    public static let containerName = "zookeeper"

    /// `shape` gives the replica count (the scaling planner's, one member at a time); without
    /// one, a new ensemble of `spec.replicas`.
    public static func build(_ cluster: ZookeeperCluster, clusterDomain: String = "cluster.local", shape: EnsembleShape? = nil) -> StatefulSet {
        let names = ClusterNames(cluster)
        let spec = ResolvedSpec(cluster.spec)
        let replicas = shape?.statefulSetReplicas ?? spec.replicas
        var retention: StatefulSetPersistentVolumeClaimRetentionPolicy?
        var claims: [PersistentVolumeClaim]?
        if !spec.ephemeral {
            retention = StatefulSetPersistentVolumeClaimRetentionPolicy(whenDeleted: spec.whenDeleted, whenScaled: spec.whenScaled)
            claims = [PersistentVolumeClaim(
                metadata: ObjectMeta(name: "data", labels: names.selectorLabels),
                spec: PersistentVolumeClaimSpec(accessModes: ["ReadWriteOnce"], resources: VolumeResourceRequirements(requests: ["storage": spec.storageSize]),
                                                storageClassName: spec.storageClassName)
            )]
        }
        return StatefulSet(
            metadata: ObjectMeta(name: names.statefulSet, namespace: names.namespace, labels: names.objectLabels, ownerReferences: [cluster.controllerReference]),
            spec: StatefulSetSpec(
                replicas: replicas,
                selector: LabelSelector(matchLabels: names.selectorLabels),
                template: podTemplate(names: names, spec: spec, clusterDomain: clusterDomain),
                volumeClaimTemplates: claims,
                serviceName: names.headlessService,
                podManagementPolicy: "Parallel",
                updateStrategy: StatefulSetUpdateStrategy(type: "OnDelete"),
                persistentVolumeClaimRetentionPolicy: retention
            )
        )
    }

    static func podTemplate(names: ClusterNames, spec: ResolvedSpec, clusterDomain: String) -> PodTemplateSpec {
        let labels = spec.podLabels.merging(names.objectLabels) { _, keeper in keeper }
        let annotations = spec.podAnnotations.merging([Labels.configHashAnnotation: ConfigMapBuilder.configHash(spec)]) { _, keeper in keeper }
        var volumes = [Volume(name: "config", configMap: ConfigMapVolumeSource(name: names.configMap, defaultMode: 0o755))]
        if spec.ephemeral {
            volumes.append(Volume(name: "data", emptyDir: EmptyDirVolumeSource()))
        }
        volumes.append(Volume(name: "logs", emptyDir: EmptyDirVolumeSource()))
        return PodTemplateSpec(
            metadata: ObjectMeta(labels: labels, annotations: annotations),
            spec: PodSpec(
                containers: [container(names: names, spec: spec, clusterDomain: clusterDomain)],
                volumes: volumes,
                affinity: affinity(names: names, spec: spec),
                tolerations: spec.tolerations.flatMap { $0.isEmpty ? nil : $0 },
                topologySpreadConstraints: topologySpread(names: names, spec: spec),
                nodeSelector: spec.nodeSelector.flatMap { $0.isEmpty ? nil : $0 },
                serviceAccountName: spec.serviceAccountName,
                securityContext: spec.securityContext,
                terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
                priorityClassName: spec.priorityClassName
            )
        )
    }

    static func container(names: ClusterNames, spec: ResolvedSpec, clusterDomain: String) -> Container {
        var env = [
            EnvVar(name: "POD_NAME", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.name"))),
            EnvVar(name: "POD_IP", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "status.podIP"))),
            EnvVar(name: "ZOO_DATA_DIR", value: MemberScripts.dataPath),
            EnvVar(name: "KEEPER_TEMPLATE_DIR", value: MemberScripts.mountPath),
            // A member missing from its membership file adds its own line: <pod>.<this domain>.
            EnvVar(name: "KEEPER_MEMBER_DOMAIN", value: names.memberDomain(clusterDomain: clusterDomain)),
            // The superuser digest (not the password) Keeper's `reconfig` authenticates against.
            EnvVar(name: "KEEPER_SUPER_DIGEST", valueFrom: EnvVarSource(secretKeyRef: SecretKeySelector(
                name: names.superuserSecret, key: SuperuserSecret.digestKey))),
        ]
        if let heap = spec.jvmHeapMebibytes {
            // zkEnv.sh turns ZK_SERVER_HEAP into -Xmx; SERVER_JVMFLAGS comes later on the
            // command line, so the two agree whichever the image's scripts honour.
            env.append(EnvVar(name: "ZK_SERVER_HEAP", value: String(heap)))
            env.append(EnvVar(name: "SERVER_JVMFLAGS", value: "-Xms\(heap)m -Xmx\(heap)m"))
        }
        return Container(
            name: containerName,
            image: spec.image,
            imagePullPolicy: spec.imagePullPolicy,
            command: ["/bin/bash", "\(MemberScripts.mountPath)/start.sh"],
            ports: [
                ContainerPort(name: "client", containerPort: Ports.client, protocol: "TCP"),
                ContainerPort(name: "quorum", containerPort: Ports.quorum, protocol: "TCP"),
                ContainerPort(name: "election", containerPort: Ports.election, protocol: "TCP"),
            ],
            env: env,
            resources: spec.resources,
            volumeMounts: [
                VolumeMount(name: "data", mountPath: MemberScripts.dataPath),
                VolumeMount(name: "config", mountPath: MemberScripts.mountPath, readOnly: true),
                VolumeMount(name: "logs", mountPath: "/logs"),
            ],
            livenessProbe: Probe(exec: ExecAction(command: ["/bin/bash", "\(MemberScripts.mountPath)/live.sh"]),
                                 initialDelaySeconds: 15, timeoutSeconds: 5, periodSeconds: 10, failureThreshold: 6),
            // Every second, and the script itself polls for up to 0.9 s (`MemberScripts.ready`): the
            // PodDisruptionBudget counts Ready pods, so the next member of a rollout can be evicted
            // only once the one restarted before is Ready. A 5 s period added up to 5 s per member
            // to a rolling restart, a 2 s one about 1 s (keeper-bench rollout).
            readinessProbe: Probe(exec: ExecAction(command: ["/bin/bash", "\(MemberScripts.mountPath)/ready.sh"]),
                                  initialDelaySeconds: 1, timeoutSeconds: 5, periodSeconds: 1, failureThreshold: 3),
            securityContext: SecurityContext(allowPrivilegeEscalation: false, capabilities: Capabilities(drop: ["ALL"]))
        )
    }

    static func affinity(names: ClusterNames, spec: ResolvedSpec) -> Affinity? {
        let term = PodAffinityTerm(labelSelector: LabelSelector(matchLabels: names.selectorLabels), topologyKey: "kubernetes.io/hostname")
        switch spec.antiAffinity {
        case .none:
            return nil
        case .preferred:
            return Affinity(podAntiAffinity: PodAntiAffinity(preferredDuringSchedulingIgnoredDuringExecution: [WeightedPodAffinityTerm(weight: 100, podAffinityTerm: term)]))
        case .required:
            return Affinity(podAntiAffinity: PodAntiAffinity(requiredDuringSchedulingIgnoredDuringExecution: [term]))
        }
    }

    static func topologySpread(names: ClusterNames, spec: ResolvedSpec) -> [TopologySpreadConstraint]? {
        guard let constraints = spec.topologySpreadConstraints, !constraints.isEmpty else { return nil }
        return constraints.map { constraint in
            var constraint = constraint
            if constraint.labelSelector == nil { constraint.labelSelector = LabelSelector(matchLabels: names.selectorLabels) }
            return constraint
        }
    }
}
