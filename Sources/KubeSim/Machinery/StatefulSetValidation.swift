import KubeModel

/// kube-apiserver's StatefulSet validation, the rules Keeper's and kubectl's writes can hit,
/// with the real messages: `ValidateStatefulSetSpec`, `ValidatePodTemplateSpecForStatefulSet`
/// and `ValidateStatefulSetUpdate` of kubernetes `pkg/apis/apps/validation/validation.go`, and
/// of the pod template the checks of `pkg/apis/core/validation/validation.go` a re-keyed
/// entry trips (`validateContainerPorts`, `ValidateVolumes`' unique names).
public enum StatefulSetValidation {
    /// `ValidateStatefulSetUpdate`'s message in Kubernetes 1.32: every spec field but these
    /// is immutable.
    public static let immutableMessage = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
    /// The fields `ValidateStatefulSetUpdate` copies from the old spec before comparing.
    static let mutableFields = ["replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"]

    /// `ValidateStatefulSetSpec`, and on update the immutable-field rule.
    public static func validate(_ statefulSet: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = statefulSet["spec"] ?? [:]
        if let old {
            var newClone = spec
            let oldSpec = old["spec"] ?? [:]
            for field in mutableFields { newClone[field] = oldSpec[field] }
            if newClone != oldSpec { errors.append(.forbidden("spec", immutableMessage)) }
        }
        if let replicas = spec["replicas"]?.intValue, replicas < 0 {
            errors.append(.invalid("spec.replicas", .int(replicas), "must be greater than or equal to 0"))
        }
        let selector = spec["selector"]
        let matchLabels = (selector?["matchLabels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        let expressions = selector?["matchExpressions"]?.arrayValue ?? []
        if selector == nil || selector == .null {
            errors.append(.required("spec.selector"))
        } else if matchLabels.isEmpty && expressions.isEmpty {
            errors.append(.invalid("spec.selector", goValue: goSelector(matchLabels), "empty selector is not valid for statefulset."))
        }
        // ValidatePodTemplateSpecForStatefulSet: the selector must match the template's labels
        // (checked here for matchLabels, which is what Keeper and kubectl write).
        let templateLabels = (spec[path: ["template", "metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        if !matchLabels.isEmpty && expressions.isEmpty && !matchLabels.allSatisfy({ templateLabels[$0.key] == $0.value }) {
            errors.append(.invalid("spec.template.metadata.labels", goValue: goStringMap(templateLabels), "`selector` does not match template `labels`"))
        }
        if let podSpec = spec[path: ["template", "spec"]] {
            errors += validatePodSpec(podSpec, path: "spec.template.spec")
        }
        if let policy = spec[path: ["template", "spec", "restartPolicy"]]?.stringValue, policy != "Always" {
            errors.append(.notSupported("spec.template.spec.restartPolicy", .string(policy), supported: ["Always"]))
        }
        return errors
    }

    /// The pod spec rules an edited or re-keyed list entry can break: container port names
    /// unique per container and valid (`validateContainerPorts`), port numbers in range,
    /// volume names unique (`ValidateVolumes`).
    static func validatePodSpec(_ spec: JSONValue, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        var volumeNames = Set<String>()
        for (index, volume) in (spec["volumes"]?.arrayValue ?? []).enumerated() {
            let name = volume["name"]?.stringValue ?? ""
            if name.isEmpty {
                errors.append(.required("\(path).volumes[\(index)].name"))
            } else if !volumeNames.insert(name).inserted {
                errors.append(.duplicate("\(path).volumes[\(index)].name", .string(name)))
            }
        }
        for field in ["initContainers", "containers"] {
            for (index, container) in (spec[field]?.arrayValue ?? []).enumerated() {
                errors += validateContainerPorts(container["ports"]?.arrayValue ?? [], path: "\(path).\(field)[\(index)].ports")
            }
        }
        return errors
    }

    /// `validateContainerPorts`.
    static func validateContainerPorts(_ ports: [JSONValue], path: String) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            let entry = "\(path)[\(index)]"
            let name = port["name"]?.stringValue ?? ""
            if !name.isEmpty {
                let messages = ServiceValidation.portNameErrors(name)
                if !messages.isEmpty {
                    errors += messages.map { .invalid(entry + ".name", .string(name), $0) }
                } else if !names.insert(name).inserted {
                    errors.append(.duplicate(entry + ".name", .string(name)))
                }
            }
            let number = port["containerPort"]?.intValue ?? 0
            if number == 0 {
                errors.append(.required(entry + ".containerPort"))
            } else {
                errors += ServiceValidation.portNumberErrors(number).map { .invalid(entry + ".containerPort", .int(number), $0) }
            }
            let proto = port["protocol"]?.stringValue ?? ""
            if proto.isEmpty {
                errors.append(.required(entry + ".protocol"))
            } else if !ServiceValidation.protocols.contains(proto) {
                errors.append(.notSupported(entry + ".protocol", .string(proto), supported: ServiceValidation.protocols))
            }
        }
        return errors
    }

    /// A `map[string]string` as `%#v` prints it (keys sorted).
    static func goStringMap(_ map: [String: String]) -> String {
        "map[string]string{" + map.sorted { $0.key < $1.key }.map { "\(GoFormat.quote($0.key)):\(GoFormat.quote($0.value))" }.joined(separator: ", ") + "}"
    }

    /// A `*metav1.LabelSelector` as `%#v` prints the pointed-to value (`ErrorBody`
    /// dereferences pointers).
    static func goSelector(_ matchLabels: [String: String]) -> String {
        let labels = matchLabels.isEmpty ? "map[string]string(nil)" : goStringMap(matchLabels)
        return "v1.LabelSelector{MatchLabels:\(labels), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"
    }
}
