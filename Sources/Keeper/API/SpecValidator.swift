import KubeModel

/// Checks what the CRD schema cannot: the answers are the precise messages of the
/// `Degraded=True, reason InvalidSpec` condition and its Warning Event. An empty list means
/// the spec is valid.
public enum SpecValidator {
    /// zoo.cfg keys Keeper writes itself; a user value would break the ensemble or Keeper.
    public static let ownedConfigKeys: Set<String> = [
        "dataDir", "dataLogDir", "clientPort", "clientPortAddress", "dynamicConfigFile",
        "reconfigEnabled", "standaloneEnabled", "4lw.commands.whitelist", "quorumListenOnAllIPs",
    ]
    /// Prefixes of owned keys: the membership lines.
    public static let ownedConfigPrefixes = ["server.", "group.", "weight."]
    /// zoo.cfg settings that must be whole numbers.
    public static let integerConfigKeys: Set<String> = [
        "tickTime", "initLimit", "syncLimit", "maxClientCnxns", "minSessionTimeout", "maxSessionTimeout",
        "autopurge.snapRetainCount", "autopurge.purgeInterval", "globalOutstandingLimit", "preAllocSize",
        "snapCount", "connectToLearnerMasterLimit", "admin.serverPort", "electionPortBindRetry",
    ]
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
        }
        problems += validateImage(spec.image ?? ResolvedSpec.Defaults.image)
        problems += validateConfig(spec.config ?? [:])
        problems += validateStorage(spec.storage)
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

    static func validateConfig(_ config: [String: String]) -> [String] {
        var problems: [String] = []
        for key in config.keys.sorted() {
            let value = config[key] ?? ""
            if ownedConfigKeys.contains(key) || ownedConfigPrefixes.contains(where: { key.hasPrefix($0) }) {
                problems.append("spec.config: key \"\(key)\" is managed by Keeper and cannot be set")
                continue
            }
            if key.isEmpty || key.contains(where: { $0 == "=" || $0.isNewline || $0.isWhitespace || $0 == "#" }) {
                problems.append("spec.config: key \"\(key)\" is not a valid zoo.cfg key")
                continue
            }
            if value.contains(where: \.isNewline) {
                problems.append("spec.config: value of \"\(key)\" contains a line break")
                continue
            }
            if integerConfigKeys.contains(key), Int(value) == nil {
                problems.append("spec.config: \"\(key)\" must be a whole number, not \"\(value)\"")
            }
        }
        return problems
    }

    static func validateStorage(_ storage: StorageSpec?) -> [String] {
        guard let storage else { return [] }
        var problems: [String] = []
        if let size = storage.size {
            if let parsed = ParsedQuantity(size) {
                if parsed.value <= 0 { problems.append("spec.storage.size: \"\(size)\" must be greater than zero") }
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
        if let heap = pod.jvmHeap {
            if let parsed = ParsedQuantity(heap) {
                if parsed.wholeMebibytes < 1 {
                    problems.append("spec.pod.jvmHeap: \"\(heap)\" is below 1Mi")
                } else if let limit = pod.resources?.limits?["memory"].flatMap(ParsedQuantity.init), parsed >= limit {
                    problems.append("spec.pod.jvmHeap: \"\(heap)\" does not fit in the memory limit \(pod.resources?.limits?["memory"] ?? "")")
                }
            } else {
                problems.append("spec.pod.jvmHeap: \"\(heap)\" is not a quantity (e.g. 512Mi)")
            }
        }
        if let antiAffinity = pod.antiAffinity, ResolvedSpec.AntiAffinity(rawValue: antiAffinity) == nil {
            problems.append("spec.pod.antiAffinity: \"\(antiAffinity)\" is not one of preferred, required, none")
        }
        let reserved = Set([Labels.name, Labels.instance, Labels.component, Labels.managedBy])
        for key in (pod.labels ?? [:]).keys.sorted() where reserved.contains(key) {
            problems.append("spec.pod.labels: \"\(key)\" is set by Keeper and cannot be overridden")
        }
        return problems
    }
}
