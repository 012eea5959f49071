import KubeModel

/// apimachinery's name and label validation (`util/validation`), with its exact
/// messages, and the `ObjectMeta` checks the apiserver runs on every write
/// (`ValidateObjectMeta`), as field errors for `APIErrors.invalid`.
public enum NameValidation {
    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainFormat = dns1123LabelFormat + "(\\." + dns1123LabelFormat + ")*"
    static let dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let labelValueFormat = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"
    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"

    /// `RegexError`: the message, examples and the regular expression.
    static func regexError(_ message: String, _ format: String, _ examples: [String]) -> String {
        if examples.isEmpty { return message + " (regex used for validation is '\(format)')" }
        var text = message + " (e.g. "
        for (index, example) in examples.enumerated() {
            if index > 0 { text += " or " }
            text += "'\(example)', "
        }
        return text + "regex used for validation is '\(format)')"
    }

    static func fullMatch(_ text: String, _ format: String) -> Bool {
        SchemaValidator.matches(text, pattern: "^(?:" + format + ")$")
    }

    /// `IsDNS1123Subdomain`: names of most objects (ConfigMaps, StatefulSets, custom resources...).
    public static func dns1123Subdomain(_ value: String) -> [String] {
        var errors: [String] = []
        if value.count > 253 { errors.append("must be no more than 253 characters") }
        if !fullMatch(value, dns1123SubdomainFormat) {
            errors.append(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", dns1123SubdomainFormat, ["example.com"]))
        }
        return errors
    }

    /// `IsDNS1123Label`: namespace names.
    public static func dns1123Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.count > 63 { errors.append("must be no more than 63 characters") }
        if !fullMatch(value, dns1123LabelFormat) {
            errors.append(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", dns1123LabelFormat, ["my-name", "123-abc"]))
        }
        return errors
    }

    /// `IsDNS1035Label`: Service names.
    public static func dns1035Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.count > 63 { errors.append("must be no more than 63 characters") }
        if !fullMatch(value, dns1035LabelFormat) {
            errors.append(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", dns1035LabelFormat, ["my-name", "abc-123"]))
        }
        return errors
    }

    /// `IsValidLabelValue`.
    public static func labelValue(_ value: String) -> [String] {
        var errors: [String] = []
        if value.count > 63 { errors.append("must be no more than 63 characters") }
        if !fullMatch(value, labelValueFormat) {
            errors.append(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", labelValueFormat, ["MyValue", "my_value", "12345"]))
        }
        return errors
    }

    /// `IsQualifiedName`: label and annotation keys (`prefix/name`).
    public static func qualifiedName(_ value: String) -> [String] {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name: String
        var errors: [String] = []
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            name = parts[1]
            if parts[0].isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dns1123Subdomain(parts[0]).map { "prefix part " + $0 }
            }
        default:
            return [regexError("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", qualifiedNameFormat, ["MyName", "my.name", "123-abc"]) + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.count > 63 {
            errors.append("name part must be no more than 63 characters")
        }
        if !fullMatch(name, qualifiedNameFormat) {
            errors.append("name part " + regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", qualifiedNameFormat, ["MyName", "my.name", "123-abc"]))
        }
        return errors
    }

    /// `path.IsValidPathSegmentName`: what RBAC objects' names must be (`system:discovery`
    /// is one), pkg/apis/rbac/validation `ValidateRBACName`.
    public static func pathSegmentName(_ value: String) -> [String] {
        if value == "." || value == ".." { return ["may not be '\(value)'"] }
        return ["/", "%"].filter { value.contains($0) }.map { "may not contain '\($0)'" }
    }

    /// The name rule of a kind: DNS-1035 labels for Services, DNS-1123 labels for
    /// Namespaces, path segments for RBAC objects, DNS-1123 subdomains for everything else.
    public static func nameErrors(kind: String, name: String) -> [String] {
        switch kind {
        case "Service": return dns1035Label(name)
        case "Namespace": return dns1123Label(name)
        case "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding": return pathSegmentName(name)
        default: return dns1123Subdomain(name)
        }
    }

    /// `ValidateObjectMeta`'s checks on name, generateName, namespace, labels and
    /// annotations keys: `metadata.name: Required value: name or generateName is
    /// required`, `metadata.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain ...`,
    /// `metadata.labels: Invalid value: "x y": a valid label must be ...`.
    public static func validateObjectMeta(_ object: JSONValue, kind: String, namespaced: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let metadata = object["metadata"] ?? [:]
        let name = metadata["name"]?.stringValue ?? ""
        let generateName = metadata["generateName"]?.stringValue ?? ""
        if name.isEmpty && generateName.isEmpty {
            errors.append(.required("metadata.name", detail: "name or generateName is required"))
        } else if !name.isEmpty {
            errors += nameErrors(kind: kind, name: name).map { .invalid("metadata.name", .string(name), $0) }
        }
        let namespace = metadata["namespace"]?.stringValue ?? ""
        if namespaced && namespace.isEmpty {
            errors.append(.required("metadata.namespace"))
        } else if !namespaced && !namespace.isEmpty {
            errors.append(.forbidden("metadata.namespace", "not allowed on this type"))
        }
        for (key, value) in (metadata["labels"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            errors += qualifiedName(key).map { .invalid("metadata.labels", .string(key), $0) }
            let text = value.stringValue ?? ""
            errors += labelValue(text).map { .invalid("metadata.labels", .string(text), $0) }
        }
        for key in (metadata["annotations"]?.objectValue ?? [:]).keys.sorted() {
            errors += qualifiedName(key.lowercased()).map { .invalid("metadata.annotations", .string(key), $0) }
        }
        return errors
    }
}
