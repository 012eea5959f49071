import KubeModel

/// kube-apiserver's Service validation, the rules Keeper's and kubectl's writes can hit, with
/// the real messages: `ValidateService`, `validateServicePort` and `ValidateServiceUpdate`
/// (`validateUpgradeDowngradeClusterIPs`) of kubernetes `pkg/apis/core/validation/validation.go`,
/// and the port checks of apimachinery `util/validation/validation.go` (`IsValidPortNum`,
/// `IsValidPortName`). Runs on the object after defaulting, as the registry does.
public enum ServiceValidation {
    /// `supportedPortProtocols`, sorted as `sets.List` returns them.
    static let protocols = ["SCTP", "TCP", "UDP"]

    /// The spec checks of `ValidateService` plus, on update, `ValidateServiceUpdate`'s.
    public static func validate(_ service: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = service["spec"] ?? [:]
        let headless = spec["clusterIP"]?.stringValue == "None"
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        let ports = spec["ports"]?.arrayValue ?? []
        if ports.isEmpty && !headless && type != "ExternalName" {
            errors.append(.required("spec.ports"))
        }
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            errors += validatePort(port, requireName: ports.count > 1, names: &names, path: "spec.ports[\(index)]")
        }
        // "Check for duplicate Ports, considering (protocol,port) pairs": the key is an
        // internal core.ServicePort, which the error prints with %#v.
        var pairs = Set<String>()
        for (index, port) in ports.enumerated() {
            let number = port["port"]?.intValue ?? 0
            let proto = port["protocol"]?.stringValue ?? ""
            if !pairs.insert("\(proto)/\(number)").inserted {
                let key = "core.ServicePort{Name:\"\", Protocol:\(GoFormat.quote(proto)), AppProtocol:(*string)(nil), Port:\(number), "
                    + "TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"
                errors.append(FieldError(.duplicate, field: "spec.ports[\(index)]", goValue: key))
            }
        }
        if let old { errors += validateClusterIPUpdate(service, old: old) }
        return errors
    }

    /// `validateServicePort`: a name (required when there are several ports, a DNS-1123
    /// label, unique), the port number, the protocol and the target port.
    static func validatePort(_ port: JSONValue, requireName: Bool, names: inout Set<String>, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        let name = port["name"]?.stringValue ?? ""
        if requireName && name.isEmpty {
            errors.append(.required(path + ".name"))
        } else if !name.isEmpty {
            errors += NameValidation.dns1123Label(name).map { .invalid(path + ".name", .string(name), $0) }
            if !names.insert(name).inserted {
                errors.append(.duplicate(path + ".name", .string(name)))
            }
        }
        let number = port["port"]?.intValue ?? 0
        errors += portNumberErrors(number).map { .invalid(path + ".port", .int(number), $0) }
        let proto = port["protocol"]?.stringValue ?? ""
        if proto.isEmpty {
            errors.append(.required(path + ".protocol"))
        } else if !protocols.contains(proto) {
            errors.append(.notSupported(path + ".protocol", .string(proto), supported: protocols))
        }
        // ValidatePortNumOrName.
        switch port["targetPort"] {
        case .string(let targetName)?:
            errors += portNameErrors(targetName).map { .invalid(path + ".targetPort", .string(targetName), $0) }
        case let target? where target.intValue != nil:
            let targetNumber = target.intValue ?? 0
            errors += portNumberErrors(targetNumber).map { .invalid(path + ".targetPort", .int(targetNumber), $0) }
        default:
            break
        }
        return errors
    }

    /// `validateUpgradeDowngradeClusterIPs`: the primary cluster IP may not change (except
    /// from or to ExternalName and between headless versions).
    static func validateClusterIPUpdate(_ service: JSONValue, old: JSONValue) -> [FieldError] {
        if service[path: ["spec", "type"]] == "ExternalName" || old[path: ["spec", "type"]] == "ExternalName" { return [] }
        let newIPs = (service[path: ["spec", "clusterIPs"]]?.arrayValue ?? []).compactMap(\.stringValue)
        let oldIPs = (old[path: ["spec", "clusterIPs"]]?.arrayValue ?? []).compactMap(\.stringValue)
        if newIPs.first == "None" && oldIPs.first == "None" { return [] }
        let rendered = "[]string{" + newIPs.map(GoFormat.quote).joined(separator: ", ") + "}"
        var errors: [FieldError] = []
        if newIPs.isEmpty && !oldIPs.isEmpty {
            errors.append(.invalid("spec.clusterIPs[0]", goValue: rendered, "primary clusterIP can not be unset"))
        }
        for (index, ip) in oldIPs.enumerated() where index < newIPs.count && newIPs[index] != ip {
            errors.append(.invalid("spec.clusterIPs[\(index)]", goValue: rendered, "may not change once set"))
        }
        return errors
    }

    /// `IsValidPortNum`.
    static func portNumberErrors(_ port: Int64) -> [String] {
        (1...65535).contains(port) ? [] : ["must be between 1 and 65535, inclusive"]
    }

    /// `IsValidPortName` (an IANA_SVC_NAME), in its order of checks.
    static func portNameErrors(_ name: String) -> [String] {
        var errors: [String] = []
        if name.count > 15 { errors.append("must be no more than 15 characters") }
        if !NameValidation.fullMatch(name, "[-a-z0-9]+") {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !name.contains(where: { ("a"..."z").contains($0) }) { errors.append("must contain at least one letter (a-z)") }
        if name.contains("--") { errors.append("must not contain consecutive hyphens") }
        if name.hasPrefix("-") || name.hasSuffix("-") { errors.append("must not begin or end with a hyphen") }
        return errors
    }
}
