import KubeModel

/// The validation kube-apiserver runs on built-in kinds before storing a create or an update
/// (PUT, every patch type, and server-side apply, on the merged result), with its messages.
/// Object metadata for every kind (apimachinery `api/validation/objectmeta.go`:
/// `ValidateObjectMeta`, `ValidateLabels`, `ValidateAnnotations`); the kinds Keeper writes
/// get their own rules: `ServiceValidation`, `StatefulSetValidation`, and here ConfigMaps
/// (`ValidateConfigMap`) and PodDisruptionBudgets (`ValidatePodDisruptionBudgetSpec` in
/// `pkg/apis/policy/validation/validation.go`).
public enum BuiltInValidation {
    /// `core.MaxSecretSize`, the limit on a ConfigMap's data and binaryData together.
    public static let maxConfigMapSize = 1024 * 1024
    /// `TotalAnnotationSizeLimitB`.
    public static let maxAnnotationsSize = 256 * 1024

    /// The field errors of writing `object` of `kind` over `old` (nil on create).
    public static func validate(_ object: JSONValue, old: JSONValue?, kind: String, namespaced: Bool) -> [FieldError] {
        var errors: [FieldError]
        if old == nil {
            errors = NameValidation.validateObjectMeta(object, kind: kind, namespaced: namespaced)
        } else {
            // ValidateObjectMetaUpdate: name and namespace cannot change (the server keeps
            // them), labels and annotations are validated again.
            errors = NameValidation.validateObjectMeta(object, kind: kind, namespaced: namespaced)
                .filter { $0.field != "metadata.name" && $0.field != "metadata.namespace" }
        }
        errors += annotationSize(object)
        switch kind {
        case "Service": errors += ServiceValidation.validate(object, old: old)
        case "StatefulSet": errors += StatefulSetValidation.validate(object, old: old)
        case "ConfigMap": errors += validateConfigMap(object)
        case "PodDisruptionBudget": errors += validatePodDisruptionBudget(object)
        default: break
        }
        return errors
    }

    /// `ValidateAnnotations`' total size: keys and values together at most 256 KiB.
    static func annotationSize(_ object: JSONValue) -> [FieldError] {
        let annotations = object[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        let total = annotations.reduce(0) { $0 + $1.key.utf8.count + ($1.value.stringValue?.utf8.count ?? 0) }
        return total > maxAnnotationsSize ? [.tooLong("metadata.annotations", maxLength: maxAnnotationsSize)] : []
    }

    /// `ValidateConfigMap`: keys are config keys (`IsConfigMapKey`), a key appears in only
    /// one of data and binaryData, and the values together are at most 1 MiB.
    static func validateConfigMap(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let data = object["data"]?.objectValue ?? [:]
        let binaryData = object["binaryData"]?.objectValue ?? [:]
        var total = 0
        for key in data.keys.sorted() {
            errors += configMapKeyErrors(key).map { .invalid("data[\(key)]", .string(key), $0) }
            if binaryData[key] != nil { errors.append(.invalid("data[\(key)]", .string(key), "duplicate of key present in binaryData")) }
            total += data[key]?.stringValue?.utf8.count ?? 0
        }
        for key in binaryData.keys.sorted() {
            errors += configMapKeyErrors(key).map { .invalid("binaryData[\(key)]", .string(key), $0) }
            // The stored value is base64; its decoded size counts.
            total += (binaryData[key]?.stringValue?.utf8.count ?? 0) * 3 / 4
        }
        if total > maxConfigMapSize {
            // field.NewPath(""): the error is about the whole object.
            errors.append(.tooLong("", maxLength: maxConfigMapSize))
        }
        return errors
    }

    /// `IsConfigMapKey`.
    static func configMapKeyErrors(_ key: String) -> [String] {
        var errors: [String] = []
        if key.count > 253 { errors.append("must be no more than 253 characters") }
        let format = "[-._a-zA-Z0-9]+"
        if !NameValidation.fullMatch(key, format) {
            errors.append(NameValidation.regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", format, ["key.name", "KEY_NAME", "key-name"]))
        }
        // hasChDirPrefix.
        if key == "." {
            errors.append("must not be '.'")
        } else if key == ".." {
            errors.append("must not be '..'")
        } else if key.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    /// `ValidatePodDisruptionBudgetSpec`: at most one of minAvailable and maxUnavailable, each
    /// a non-negative integer or a percentage of at most 100%.
    static func validatePodDisruptionBudget(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = object["spec"] ?? [:]
        let minAvailable = spec["minAvailable"].flatMap { $0 == .null ? nil : $0 }
        let maxUnavailable = spec["maxUnavailable"].flatMap { $0 == .null ? nil : $0 }
        if minAvailable != nil && maxUnavailable != nil {
            // Go prints the spec's pointer fields as addresses; the rest of the message is exact.
            errors.append(.invalid("spec", goValue: "policy.PodDisruptionBudgetSpec{...}", "minAvailable and maxUnavailable cannot be both set"))
        }
        for (name, value) in [("minAvailable", minAvailable), ("maxUnavailable", maxUnavailable)] {
            guard let value else { continue }
            errors += intOrPercentErrors(value, path: "spec." + name)
        }
        if let policy = spec["unhealthyPodEvictionPolicy"]?.stringValue, !["AlwaysAllow", "IfHealthyBudget"].contains(policy) {
            errors.append(.notSupported("spec.unhealthyPodEvictionPolicy", .string(policy), supported: ["AlwaysAllow", "IfHealthyBudget"]))
        }
        return errors
    }

    /// `ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent`. The bad value is an
    /// `intstr.IntOrString` (its `String()` has a pointer receiver, so `%#v` prints it).
    static func intOrPercentErrors(_ value: JSONValue, path: String) -> [FieldError] {
        switch value {
        case .string(let text):
            let rendered = "intstr.IntOrString{Type:1, IntVal:0, StrVal:\(GoFormat.quote(text))}"
            let format = "[0-9]+%"
            guard NameValidation.fullMatch(text, format) else {
                return [.invalid(path, goValue: rendered, NameValidation.regexError("a valid percent string must be a numeric string followed by an ending '%'", format, ["1%", "93%"]))]
            }
            if let percent = Int(text.dropLast()), percent > 100 {
                return [.invalid(path, goValue: rendered, "must not be greater than 100%")]
            }
            return []
        default:
            guard let number = value.intValue else {
                return [.invalid(path, goValue: "intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}", "must be an integer or percentage (e.g '5%')")]
            }
            return number < 0 ? [.invalid(path, .int(number), "must be greater than or equal to 0")] : []
        }
    }
}
