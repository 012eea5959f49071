import KubeModel

/// The Pod Security Standards checks of `staging/src/k8s.io/pod-security-admission/policy`,
/// evaluated on a pod's JSON (`metadata`, `spec`) without I/O, with the real checks' reasons
/// and details word for word.
///
/// Implemented: the baseline checks `hostNamespaces`, `hostPorts`, `privileged` and the
/// overlapping `capabilities_baseline`, `hostPathVolumes`, `seccompProfile_baseline`; the
/// restricted checks `allowPrivilegeEscalation`, `capabilities_restricted`,
/// `restrictedVolumes`, `runAsNonRoot`, `runAsUser`, `seccompProfile_restricted`. Not
/// implemented: AppArmor, procMount, SELinux options, sysctls, Windows host process and
/// probe/lifecycle host checks (fields Keeper's pods never set). Checks are not versioned:
/// every one listed here is in force from v1.23 on, so the `-version` label only names the
/// policy in messages.
public enum PodSecurityEvaluator {
    /// One failed check (`policy.CheckResult` with `Allowed: false`).
    public struct Violation: Hashable, Sendable {
        public var check: Check
        /// `ForbiddenReason`, e.g. `seccompProfile`.
        public var reason: String
        /// `ForbiddenDetail`, e.g. `pod or container "zookeeper" must set ...`.
        public var detail: String
    }

    /// The checks, by their IDs in `policy/check_*.go`.
    public enum Check: String, Hashable, Sendable {
        case hostNamespaces, hostPorts, privileged
        case capabilitiesBaseline = "capabilities_baseline", hostPathVolumes, seccompProfileBaseline = "seccompProfile_baseline"
        case allowPrivilegeEscalation, capabilitiesRestricted = "capabilities_restricted", restrictedVolumes, runAsNonRoot, runAsUser
        case seccompProfileRestricted = "seccompProfile_restricted"
    }

    /// The checks a level runs, in the real registry's order (`policy/registry.go`
    /// `EvaluatePod`: the baseline checks, then either the overlapping baseline checks or the
    /// restricted ones that replace them; within each, the order of the check files).
    public static func checks(for level: PodSecurityPolicy.Level) -> [Check] {
        switch level {
        case .privileged: return []
        case .baseline: return [.hostNamespaces, .hostPorts, .privileged, .capabilitiesBaseline, .hostPathVolumes, .seccompProfileBaseline]
        case .restricted:
            return [.hostNamespaces, .hostPorts, .privileged, .allowPrivilegeEscalation, .capabilitiesRestricted, .restrictedVolumes,
                    .runAsNonRoot, .runAsUser, .seccompProfileRestricted]
        }
    }

    /// The violations of `pod` (a Pod's JSON) against `level`; empty when it is allowed.
    public static func evaluate(_ level: PodSecurityPolicy.Level, pod: JSONValue) -> [Violation] {
        let spec = pod["spec"] ?? [:]
        return checks(for: level).compactMap { check in
            run(check, spec: spec).map { Violation(check: check, reason: $0.reason, detail: $0.detail) }
        }
    }

    /// `AggregateCheckResult.ForbiddenDetail` (`policy/checks.go`): `reason (detail), reason (detail)`.
    public static func forbiddenDetail(_ violations: [Violation]) -> String {
        violations.map { $0.detail.isEmpty ? $0.reason : "\($0.reason) (\($0.detail))" }.joined(separator: ", ")
    }

    /// A failed check's reason and detail.
    typealias Finding = (reason: String, detail: String)

    private static func run(_ check: Check, spec: JSONValue) -> Finding? {
        switch check {
        case .hostNamespaces: return hostNamespaces(spec)
        case .hostPorts: return hostPorts(spec)
        case .privileged: return privileged(spec)
        case .capabilitiesBaseline: return capabilitiesBaseline(spec)
        case .hostPathVolumes: return hostPathVolumes(spec)
        case .seccompProfileBaseline: return seccompProfile(spec, restricted: false)
        case .allowPrivilegeEscalation: return allowPrivilegeEscalation(spec)
        case .capabilitiesRestricted: return capabilitiesRestricted(spec)
        case .restrictedVolumes: return restrictedVolumes(spec)
        case .runAsNonRoot: return runAsNonRoot(spec)
        case .runAsUser: return runAsUser(spec)
        case .seccompProfileRestricted: return seccompProfile(spec, restricted: true)
        }
    }

    // MARK: Baseline

    /// `check_hostNamespaces.go` `hostNamespaces_1_0`.
    static func hostNamespaces(_ spec: JSONValue) -> Finding? {
        let used = ["hostIPC", "hostNetwork", "hostPID"].filter { spec[$0]?.boolValue == true }
        return used.isEmpty ? nil : ("host namespaces", used.joined(separator: ", "))
    }

    /// `check_hostPorts.go` `hostPorts_1_0`.
    static func hostPorts(_ spec: JSONValue) -> Finding? {
        var bad: [String] = []
        var ports: Set<String> = []
        for container in containers(spec) {
            let used = (container["ports"]?.arrayValue ?? []).compactMap { $0["hostPort"]?.intValue }.filter { $0 != 0 }
            if !used.isEmpty { bad.append(name(container)) }
            ports.formUnion(used.map { String($0) })
        }
        guard !bad.isEmpty else { return nil }
        return ("hostPort", "\(pluralize("container", bad.count)) \(joinQuote(bad)) \(bad.count == 1 ? "uses" : "use") "
            + "\(pluralize("hostPort", ports.count)) \(ports.sorted().joined(separator: ", "))")
    }

    /// `check_privileged.go` `privileged_1_0`.
    static func privileged(_ spec: JSONValue) -> Finding? {
        let bad = containers(spec).filter { $0[path: ["securityContext", "privileged"]]?.boolValue == true }.map(name)
        return bad.isEmpty ? nil : ("privileged", "\(pluralize("container", bad.count)) \(joinQuote(bad)) must not set securityContext.privileged=true")
    }

    /// `check_capabilities_baseline.go` `capabilitiesBaseline_1_0`.
    static let defaultCapabilities: Set<String> = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                                                  "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]

    static func capabilitiesBaseline(_ spec: JSONValue) -> Finding? {
        var bad: [String] = []
        var added: Set<String> = []
        for container in containers(spec) {
            let nonDefault = capabilities(container, "add").filter { !defaultCapabilities.contains($0) }
            if !nonDefault.isEmpty { bad.append(name(container)) }
            added.formUnion(nonDefault)
        }
        guard !bad.isEmpty else { return nil }
        return ("non-default capabilities",
                "\(pluralize("container", bad.count)) \(joinQuote(bad)) must not include \(joinQuote(added.sorted())) in securityContext.capabilities.add")
    }

    /// `check_hostPathVolumes.go` `hostPathVolumes_1_0`.
    static func hostPathVolumes(_ spec: JSONValue) -> Finding? {
        let bad = (spec["volumes"]?.arrayValue ?? []).filter { isSet($0["hostPath"]) }.map(name)
        return bad.isEmpty ? nil : ("hostPath volumes", "\(pluralize("volume", bad.count)) \(joinQuote(bad))")
    }

    /// `check_seccompProfile_baseline.go` `seccompProfileBaseline_1_19` and
    /// `check_seccompProfile_restricted.go` `seccompProfileRestricted_1_19`: a type other than
    /// `RuntimeDefault`/`Localhost` is refused; restricted also requires one on the pod or on
    /// every container.
    static func seccompProfile(_ spec: JSONValue, restricted: Bool) -> Finding? {
        func valid(_ type: String?) -> Bool { type == "RuntimeDefault" || type == "Localhost" }
        var setters: [String] = []
        var badValues: Set<String> = []
        var podSet = false
        if let profile = spec[path: ["securityContext", "seccompProfile"]], isSet(profile) {
            let type = profile["type"]?.stringValue
            if valid(type) { podSet = true } else {
                setters.append("pod")
                badValues.insert(type ?? "")
            }
        }
        var explicit: [String] = []
        var implicit: [String] = []
        for container in containers(spec) {
            if let profile = container[path: ["securityContext", "seccompProfile"]], isSet(profile) {
                let type = profile["type"]?.stringValue
                if !valid(type) {
                    explicit.append(name(container))
                    badValues.insert(type ?? "")
                }
            } else if !podSet {
                implicit.append(name(container))
            }
        }
        if !explicit.isEmpty { setters.append("\(pluralize("container", explicit.count)) \(joinQuote(explicit))") }
        if !setters.isEmpty {
            return ("seccompProfile", "\(setters.joined(separator: " and ")) must not set securityContext.seccompProfile.type to \(joinQuote(badValues.sorted()))")
        }
        if restricted, !implicit.isEmpty {
            return ("seccompProfile",
                    "pod or \(pluralize("container", implicit.count)) \(joinQuote(implicit)) must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"")
        }
        return nil
    }

    // MARK: Restricted

    /// `check_allowPrivilegeEscalation.go` `allowPrivilegeEscalation_1_8`.
    static func allowPrivilegeEscalation(_ spec: JSONValue) -> Finding? {
        let bad = containers(spec).filter { $0[path: ["securityContext", "allowPrivilegeEscalation"]]?.boolValue != false }.map(name)
        return bad.isEmpty ? nil : ("allowPrivilegeEscalation != false",
                                    "\(pluralize("container", bad.count)) \(joinQuote(bad)) must set securityContext.allowPrivilegeEscalation=false")
    }

    /// `check_capabilities_restricted.go` `capabilitiesRestricted_1_22`.
    static func capabilitiesRestricted(_ spec: JSONValue) -> Finding? {
        var missingDropAll: [String] = []
        var adding: [String] = []
        var forbidden: Set<String> = []
        for container in containers(spec) {
            guard let capabilities = container[path: ["securityContext", "capabilities"]], isSet(capabilities) else {
                missingDropAll.append(name(container))
                continue
            }
            if !self.capabilities(container, "drop").contains("ALL") { missingDropAll.append(name(container)) }
            let added = self.capabilities(container, "add").filter { $0 != "NET_BIND_SERVICE" }
            if !added.isEmpty { adding.append(name(container)) }
            forbidden.formUnion(added)
        }
        var details: [String] = []
        if !missingDropAll.isEmpty {
            details.append("\(pluralize("container", missingDropAll.count)) \(joinQuote(missingDropAll)) must set securityContext.capabilities.drop=[\"ALL\"]")
        }
        if !adding.isEmpty {
            details.append("\(pluralize("container", adding.count)) \(joinQuote(adding)) must not include \(joinQuote(forbidden.sorted())) in securityContext.capabilities.add")
        }
        return details.isEmpty ? nil : ("unrestricted capabilities", details.joined(separator: "; "))
    }

    /// The volume sources `restricted` allows (`check_restrictedVolumes.go`).
    static let allowedVolumeSources = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]
    /// The restricted sources the message names, in the check's order.
    static let restrictedVolumeSources = ["hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd",
                                          "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk",
                                          "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos"]

    /// `check_restrictedVolumes.go` `restrictedVolumes_1_0`.
    static func restrictedVolumes(_ spec: JSONValue) -> Finding? {
        var bad: [String] = []
        var types: Set<String> = []
        for volume in spec["volumes"]?.arrayValue ?? [] where !allowedVolumeSources.contains(where: { isSet(volume[$0]) }) {
            bad.append(name(volume))
            types.insert(restrictedVolumeSources.first { isSet(volume[$0]) } ?? "unknown")
        }
        guard !bad.isEmpty else { return nil }
        return ("restricted volume types", "\(pluralize("volume", bad.count)) \(joinQuote(bad)) \(bad.count == 1 ? "uses" : "use") "
            + "\(pluralize("restricted volume type", types.count)) \(joinQuote(types.sorted()))")
    }

    /// `check_runAsNonRoot.go` (`runAsNonRoot_1_0`; the user-namespace relaxation is opt-in and off).
    static func runAsNonRoot(_ spec: JSONValue) -> Finding? {
        var setters: [String] = []
        var podNonRoot = false
        if let value = spec[path: ["securityContext", "runAsNonRoot"]]?.boolValue {
            if value { podNonRoot = true } else { setters.append("pod") }
        }
        var explicit: [String] = []
        var implicit: [String] = []
        for container in containers(spec) {
            if let value = container[path: ["securityContext", "runAsNonRoot"]]?.boolValue {
                if !value { explicit.append(name(container)) }
            } else if !podNonRoot {
                implicit.append(name(container))
            }
        }
        if !explicit.isEmpty { setters.append("\(pluralize("container", explicit.count)) \(joinQuote(explicit))") }
        if !setters.isEmpty { return ("runAsNonRoot != true", "\(setters.joined(separator: " and ")) must not set securityContext.runAsNonRoot=false") }
        if !implicit.isEmpty {
            return ("runAsNonRoot != true", "pod or \(pluralize("container", implicit.count)) \(joinQuote(implicit)) must set securityContext.runAsNonRoot=true")
        }
        return nil
    }

    /// `check_runAsUser.go` `runAsUser_1_23`.
    static func runAsUser(_ spec: JSONValue) -> Finding? {
        var setters: [String] = []
        if spec[path: ["securityContext", "runAsUser"]]?.intValue == 0 { setters.append("pod") }
        let explicit = containers(spec).filter { $0[path: ["securityContext", "runAsUser"]]?.intValue == 0 }.map(name)
        if !explicit.isEmpty { setters.append("\(pluralize("container", explicit.count)) \(joinQuote(explicit))") }
        return setters.isEmpty ? nil : ("runAsUser=0", "\(setters.joined(separator: " and ")) must not set runAsUser=0")
    }

    // MARK: Helpers (`policy/helpers.go`, `policy/visitor.go`)

    /// Init containers, containers, then ephemeral containers (`visitContainers`).
    static func containers(_ spec: JSONValue) -> [JSONValue] {
        ["initContainers", "containers", "ephemeralContainers"].flatMap { spec[$0]?.arrayValue ?? [] }
    }

    static func name(_ object: JSONValue) -> String { object["name"]?.stringValue ?? "" }

    static func capabilities(_ container: JSONValue, _ list: String) -> [String] {
        (container[path: ["securityContext", "capabilities", list]]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// A Go pointer field that is set: present and not JSON null.
    static func isSet(_ value: JSONValue?) -> Bool { value.map { !$0.isNull } ?? false }

    /// `joinQuote`: `"a", "b"`.
    static func joinQuote(_ items: [String]) -> String {
        items.isEmpty ? "" : "\"" + items.joined(separator: "\", \"") + "\""
    }

    /// `pluralize(singular, singular+"s", count)`.
    static func pluralize(_ singular: String, _ count: Int) -> String { count == 1 ? singular : singular + "s" }
}
