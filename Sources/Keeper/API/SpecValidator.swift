import Foundation
import KubeModel

/// Checks what the CRD schema cannot: the answers are the precise messages of the
/// `Degraded=True, reason InvalidSpec` condition and its Warning Event. An empty list means
/// the spec is valid.
public enum SpecValidator {
    /// The longest cluster name whose derived names all fit: the StatefulSet controller
    /// labels pods with `controller-revision-hash: <name>-<10 characters>`, a label value of
    /// at most 63 characters.
    public static let maximumNameLength = 52

    /// Every problem of `cluster`, in a stable order.
    public static func validate(_ cluster: ZookeeperCluster) -> [String] {
        var problems: [String] = []
        problems += validateName(cluster.name)
        let spec = cluster.spec
        if let replicas = spec.replicas, replicas < 1 {
            problems.append("spec.replicas: \(replicas) is below the minimum of 1")
        } else if let replicas = spec.replicas, replicas > ZooKeeperLimits.maximumReplicas {
            problems.append("spec.replicas: \(replicas) is above the maximum of \(ZooKeeperLimits.maximumReplicas): ZooKeeper server ids are 1-255 and a member's id is its ordinal + 1")
        }
        problems += validateImage(spec.image ?? ResolvedSpec.Defaults.image)
        problems += ConfigValidator.validate(spec.config ?? [:])
        problems += validateStorage(spec.storage, config: spec.config ?? [:])
        problems += validatePod(spec.pod)
        if let type = spec.clientService?.type, !["ClusterIP", "NodePort", "LoadBalancer"].contains(type) {
            problems.append("spec.clientService.type: \"\(type)\" is not one of ClusterIP, NodePort, LoadBalancer")
        }
        return problems
    }

    static func validateName(_ name: String) -> [String] {
        var problems: [String] = []
        if name.count > maximumNameLength {
            problems.append("metadata.name: \"\(name)\" is \(name.count) characters; derived names (pods' controller-revision-hash label, \(name)-headless) allow at most \(maximumNameLength)")
        }
        let isLabel = name.first.map { $0.isASCII && $0.isLowercase && $0.isLetter } == true
            && name.last.map { $0.isASCII && ($0.isLowercase || $0.isNumber) } == true
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        if !isLabel {
            problems.append("metadata.name: \"\(name)\" must be a DNS label starting with a letter (lowercase letters, digits, '-'), as the Service names derived from it are")
        }
        return problems
    }

    static func validateImage(_ image: String) -> [String] {
        let reference = ImageReference(image)
        guard let tag = reference.tag else {
            return ["spec.image: \"\(image)\" has no tag; Keeper reads the ZooKeeper version from the tag (e.g. zookeeper:3.9.4)"]
        }
        guard tag.first?.isNumber == true else {
            return ["spec.image: tag \"\(tag)\" is not a version; use a versioned tag such as 3.9.4 (not latest), so restarts are deliberate"]
        }
        return []
    }

    static func validateStorage(_ storage: StorageSpec?, config: [String: String]) -> [String] {
        guard let storage else { return [] }
        var problems: [String] = []
        if let size = storage.size {
            if let parsed = ParsedQuantity(size) {
                let block = ConfigValidator.preAllocBytes(config)
                if parsed.value <= 0 {
                    problems.append("spec.storage.size: \"\(size)\" must be greater than zero")
                } else if storage.ephemeral != true, parsed.value <= Decimal(block) {
                    problems.append("spec.storage.size: \"\(size)\" is not larger than one \(block / 1_048_576)Mi block of the transaction log, which ZooKeeper preallocates (preAllocSize): the first write would fail")
                }
            } else {
                problems.append("spec.storage.size: \"\(size)\" is not a quantity (e.g. 10Gi)")
            }
        }
        for (field, value) in [("whenDeleted", storage.retentionPolicy?.whenDeleted), ("whenScaled", storage.retentionPolicy?.whenScaled)] {
            if let value, value != "Retain", value != "Delete" {
                problems.append("spec.storage.retentionPolicy.\(field): \"\(value)\" is not Retain or Delete")
            }
        }
        return problems
    }

    static func validatePod(_ pod: PodPolicy?) -> [String] {
        guard let pod else { return [] }
        var problems: [String] = []
        for (kind, values) in [("requests", pod.resources?.requests), ("limits", pod.resources?.limits)] {
            for (resource, quantity) in (values ?? [:]).sorted(by: { $0.key < $1.key }) where ParsedQuantity(quantity) == nil {
                problems.append("spec.pod.resources.\(kind).\(resource): \"\(quantity)\" is not a quantity")
            }
        }
        problems += validateHeap(pod)
        if let antiAffinity = pod.antiAffinity, ResolvedSpec.AntiAffinity(rawValue: antiAffinity) == nil {
            problems.append("spec.pod.antiAffinity: \"\(antiAffinity)\" is not one of preferred, required, none")
        }
        let reserved = Set([Labels.name, Labels.instance, Labels.component, Labels.managedBy])
        for key in (pod.labels ?? [:]).keys.sorted() where reserved.contains(key) {
            problems.append("spec.pod.labels: \"\(key)\" is set by Keeper and cannot be overridden")
        }
        return problems
    }

    /// The heap against what a JVM starts with and what the memory limit leaves for it
    /// (`ZooKeeperLimits.minimumHeapMebibytes`, `nonHeapMebibytes`).
    static func validateHeap(_ pod: PodPolicy) -> [String] {
        let minimumHeap = ZooKeeperLimits.minimumHeapMebibytes
        let nonHeap = ZooKeeperLimits.nonHeapMebibytes
        let limitText = pod.resources?.limits?["memory"]
        let limit = limitText.flatMap(ParsedQuantity.init)?.wholeMebibytes
        guard let heapText = pod.jvmHeap else {
            // Keeper derives half the limit (`ResolvedSpec`).
            guard let limit, let limitText, limit < 2 * max(minimumHeap, nonHeap) else { return [] }
            return ["spec.pod.resources.limits.memory: \"\(limitText)\" is below \(2 * max(minimumHeap, nonHeap))Mi, the least a member runs in: Keeper gives the JVM half the limit as heap (here \(limit / 2)Mi; ZooKeeper needs at least \(minimumHeap)Mi, and the JVM stops at start with less) and the other half must hold the \(nonHeap)Mi ZooKeeper uses besides its heap; raise the limit or set spec.pod.jvmHeap"]
        }
        guard let heap = ParsedQuantity(heapText)?.wholeMebibytes else {
            return ["spec.pod.jvmHeap: \"\(heapText)\" is not a quantity (e.g. 512Mi)"]
        }
        if heap < minimumHeap {
            return ["spec.pod.jvmHeap: \"\(heapText)\" is below \(minimumHeap)Mi, the smallest heap ZooKeeper starts with (the JVM stops at start with \"Too small maximum heap\" or runs out of heap)"]
        }
        if let limit, let limitText, limit < heap + nonHeap {
            return ["spec.pod.jvmHeap: \"\(heapText)\" does not fit in the memory limit \(limitText) with the \(nonHeap)Mi ZooKeeper uses besides its heap (the container would be OOM-killed)"]
        }
        return []
    }
}
