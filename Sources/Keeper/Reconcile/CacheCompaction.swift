import Controller
import KubeModel

/// How Keeper's informer caches hold objects (client-go's transform): what reconciles read,
/// with the parts that are equal across objects shared through one ``Interner``.
///
/// With 1000 clusters the caches hold 9000 objects, and most of their memory is small
/// allocations of the same content: the four `app.kubernetes.io/*` label keys in every map,
/// selectors repeated within each cluster, a pod template's containers and a Service's
/// ports that are identical in every cluster, the same start scripts in every ConfigMap.
/// Sharing changes no value, only where it is stored, so the child comparison
/// (``ChildSync``) sees exactly what the server sent.
///
/// Pods are the exception: Keeper reads a pod's identity, labels, owner, deletion mark, config
/// hash annotation, `Ready` condition, IP and node, and the cache keeps only those (the spec
/// is the StatefulSet's template, which Keeper has; container statuses and timestamps change
/// often and are never read).
public struct CacheCompaction: Sendable {
    public let interner: Interner

    public init(interner: Interner = Interner()) {
        self.interner = interner
    }

    /// `object` as its informer caches it (objects of other kinds unchanged).
    public func compact<T: KubeObject>(_ object: T) -> T {
        let compacted: (any KubeObject)? = switch object {
        case let cluster as ZookeeperCluster: self.cluster(cluster)
        case let service as Service: self.service(service)
        case let configMap as ConfigMap: self.configMap(configMap)
        case let budget as PodDisruptionBudget: podDisruptionBudget(budget)
        case let statefulSet as StatefulSet: self.statefulSet(statefulSet)
        case let pod as Pod: self.pod(pod)
        default: nil
        }
        return compacted as? T ?? object
    }

    public func cluster(_ cluster: ZookeeperCluster) -> ZookeeperCluster {
        var shared = cluster
        shared.metadata = interner.metadata(cluster.metadata)
        return shared
    }

    public func service(_ service: Service) -> Service {
        var shared = service
        shared.metadata = interner.metadata(service.metadata)
        shared.spec?.selector = interner.map(service.spec?.selector)
        shared.spec?.ports = interner.value(service.spec?.ports)
        return shared
    }

    public func configMap(_ configMap: ConfigMap) -> ConfigMap {
        var shared = configMap
        shared.metadata = interner.metadata(configMap.metadata)
        // The scripts are the same in every cluster; the membership file is not.
        shared.data = configMap.data.map { data in data.mapValues { interner.string($0) } }
        return shared
    }

    public func podDisruptionBudget(_ budget: PodDisruptionBudget) -> PodDisruptionBudget {
        var shared = budget
        shared.metadata = interner.metadata(budget.metadata)
        shared.spec?.selector = interner.selector(budget.spec?.selector)
        return shared
    }

    public func statefulSet(_ statefulSet: StatefulSet) -> StatefulSet {
        var shared = statefulSet
        shared.metadata = interner.metadata(statefulSet.metadata)
        shared.spec?.selector = interner.selector(statefulSet.spec?.selector)
        if let template = statefulSet.spec?.template {
            shared.spec?.template = podTemplate(template)
        }
        shared.spec?.volumeClaimTemplates = statefulSet.spec?.volumeClaimTemplates?.map { claim in
            var claim = claim
            claim.metadata = interner.metadata(claim.metadata)
            claim.spec = interner.value(claim.spec)
            return claim
        }
        return shared
    }

    /// A pod as Keeper's reconciles read it; see the type's documentation.
    public func pod(_ pod: Pod) -> Pod {
        var metadata = ObjectMeta(name: pod.metadata.name, namespace: pod.metadata.namespace)
        metadata.uid = pod.metadata.uid
        metadata.resourceVersion = pod.metadata.resourceVersion
        metadata.deletionTimestamp = pod.metadata.deletionTimestamp
        metadata.labels = pod.metadata.labels
        metadata.annotations = pod.metadata.annotations?[Labels.configHashAnnotation].map { [Labels.configHashAnnotation: $0] }
        metadata.ownerReferences = pod.metadata.ownerReferences
        metadata = interner.metadata(metadata)
        let status = pod.status.map { status in
            PodStatus(phase: status.phase,
                      conditions: interner.value(status.conditions?.map { PodCondition(type: $0.type, status: $0.status) }),
                      podIP: status.podIP)
        }
        return Pod(metadata: metadata, spec: pod.spec.map { PodSpec(nodeName: $0.nodeName) }, status: status)
    }

    private func container(_ container: Container) -> Container {
        var shared = interner.value(container)
        shared.ports = interner.value(container.ports)
        shared.volumeMounts = interner.value(container.volumeMounts)
        shared.command = interner.value(container.command)
        shared.livenessProbe = interner.value(container.livenessProbe)
        shared.readinessProbe = interner.value(container.readinessProbe)
        shared.securityContext = interner.value(container.securityContext)
        shared.env = container.env?.map { interner.value($0) }
        return shared
    }

    private func podTemplate(_ template: PodTemplateSpec) -> PodTemplateSpec {
        var shared = template
        shared.metadata = template.metadata.map { interner.metadata($0) }
        guard let spec = template.spec else { return shared }
        // Security context and tolerations carry no per-cluster names; volumes, affinity and
        // the container (the superuser Secret's name in its environment) do, so only their
        // parts are shared.
        shared.spec?.containers = spec.containers.map { $0.map(container) }
        shared.spec?.initContainers = interner.value(spec.initContainers)
        shared.spec?.securityContext = interner.value(spec.securityContext)
        shared.spec?.tolerations = interner.value(spec.tolerations)
        shared.spec?.nodeSelector = interner.map(spec.nodeSelector)
        shared.spec?.affinity = spec.affinity.map(affinity)
        shared.spec?.topologySpreadConstraints = spec.topologySpreadConstraints?.map { constraint in
            var constraint = constraint
            constraint.labelSelector = interner.selector(constraint.labelSelector)
            return constraint
        }
        return shared
    }

    private func affinity(_ affinity: Affinity) -> Affinity {
        func term(_ term: PodAffinityTerm) -> PodAffinityTerm {
            var term = term
            term.labelSelector = interner.selector(term.labelSelector)
            return term
        }
        func weighted(_ weighted: WeightedPodAffinityTerm) -> WeightedPodAffinityTerm {
            var weighted = weighted
            weighted.podAffinityTerm = weighted.podAffinityTerm.map(term)
            return weighted
        }
        var shared = affinity
        shared.nodeAffinity = interner.value(affinity.nodeAffinity)
        shared.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution = affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.map(term)
        shared.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution = affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.map(weighted)
        shared.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution = affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.map(term)
        shared.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution = affinity.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.map(weighted)
        return shared
    }
}
