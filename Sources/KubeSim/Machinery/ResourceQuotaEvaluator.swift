import Foundation
import KubeModel

/// ResourceQuota admission of a pod create, without I/O: what
/// `staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go`
/// `CheckRequest` decides with the pod evaluator of `pkg/quota/v1/evaluator/core/pods.go`.
/// Usage is computed from the namespace's live pods (kube-sim runs no quota controller, so
/// `status.used` is not read): every pod not in a terminal phase counts (`QuotaV1Pod`).
///
/// Tracked: `pods`, `count/pods`, `cpu`, `memory`, `requests.cpu`, `requests.memory`,
/// `limits.cpu`, `limits.memory`. Quota scopes and scope selectors are not modelled.
public enum ResourceQuotaEvaluator {
    /// Why a create is refused; `message` is the real error text (the 403 reason).
    public enum Refusal: Hashable, Sendable {
        /// `failed quota: <quota>: must specify <resources>` (`Constraints`).
        case mustSpecify(quota: String, resources: [String])
        /// `exceeded quota: <quota>, requested: ..., used: ..., limited: ...`.
        case exceeded(quota: String, requested: String, used: String, limited: String)

        public var message: String {
            switch self {
            case .mustSpecify(let quota, let resources):
                return "failed quota: \(quota): must specify \(resources.joined(separator: ","))"
            case .exceeded(let quota, let requested, let used, let limited):
                return "exceeded quota: \(quota), requested: \(requested), used: \(used), limited: \(limited)"
            }
        }
    }

    /// The resources the pod evaluator tracks (`podResources`).
    static let podResources: Set<String> = ["pods", "count/pods", "cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]
    /// The resources every container must name when a quota tracks them (`validationSet`).
    static let validationSet: Set<String> = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]

    /// The refusal of creating `pod` under `quotas` (ResourceQuota JSON, any order) given the
    /// namespace's `livePods`, or nil when it is admitted.
    public static func check(pod: JSONValue, quotas: [JSONValue], livePods: [JSONValue]) -> Refusal? {
        let sorted = quotas.sorted { name($0) < name($1) }
        // Constraints first, over every quota (`CheckRequest`'s first loop).
        for quota in sorted {
            let required = Set(hard(quota).keys).intersection(validationSet)
            guard !required.isEmpty else { continue }
            var missing: Set<String> = []
            for container in containers(pod) {
                missing.formUnion(required.subtracting(usage(requests: container.requests, limits: container.limits).keys))
            }
            if !missing.isEmpty { return .mustSpecify(quota: name(quota), resources: missing.sorted()) }
        }
        let requested = usage(of: pod)
        var used: [String: Decimal] = [:]
        for live in livePods where !isTerminal(live) {
            for (resource, amount) in usage(of: live) { used[resource, default: 0] += amount }
        }
        for quota in sorted {
            let limits = hard(quota)
            let tracked = Set(limits.keys).intersection(podResources)
            let asked = requested.filter { tracked.contains($0.key) }
            let exceeded = asked.keys.filter { resource in
                guard let limit = limits[resource].flatMap(ParsedQuantity.init) else { return false }
                return (used[resource] ?? 0) + (asked[resource] ?? 0) > limit.value
            }.sorted()
            guard !exceeded.isEmpty else { continue }
            func list(_ value: (String) -> String) -> String { exceeded.map { "\($0)=\(value($0))" }.joined(separator: ",") }
            return .exceeded(quota: name(quota),
                             requested: list { format(asked[$0] ?? 0, resource: $0) },
                             used: list { format(used[$0] ?? 0, resource: $0) },
                             limited: list { limits[$0] ?? "" })
        }
        return nil
    }

    /// `PodUsageFunc`: one pod, its requests and limits (containers summed, the larger of that
    /// and any one init container).
    static func usage(of pod: JSONValue) -> [String: Decimal] {
        var requests: [String: Decimal] = [:]
        var limits: [String: Decimal] = [:]
        for container in (pod[path: ["spec", "containers"]]?.arrayValue ?? []).map(resources) {
            for (key, value) in container.requests { requests[key, default: 0] += value }
            for (key, value) in container.limits { limits[key, default: 0] += value }
        }
        for container in (pod[path: ["spec", "initContainers"]]?.arrayValue ?? []).map(resources) {
            for (key, value) in container.requests where value > requests[key] ?? 0 { requests[key] = value }
            for (key, value) in container.limits where value > limits[key] ?? 0 { limits[key] = value }
        }
        var result = usage(requests: requests, limits: limits)
        result["count/pods"] = 1
        return result
    }

    /// `podComputeUsageHelper`: `pods` plus the cpu and memory requests and limits present.
    static func usage(requests: [String: Decimal], limits: [String: Decimal]) -> [String: Decimal] {
        var result: [String: Decimal] = ["pods": 1]
        for resource in ["cpu", "memory"] {
            if let request = requests[resource] {
                result[resource] = request
                result["requests.\(resource)"] = request
            }
            if let limit = limits[resource] { result["limits.\(resource)"] = limit }
        }
        return result
    }

    static func containers(_ pod: JSONValue) -> [(requests: [String: Decimal], limits: [String: Decimal])] {
        ["initContainers", "containers"].flatMap { pod[path: ["spec", $0]]?.arrayValue ?? [] }.map(resources)
    }

    static func resources(_ container: JSONValue) -> (requests: [String: Decimal], limits: [String: Decimal]) {
        func list(_ key: String) -> [String: Decimal] {
            (container[path: ["resources", key]]?.objectValue ?? [:]).reduce(into: [:]) { result, entry in
                if let text = entry.value.stringValue ?? entry.value.intValue.map { String($0) }, let quantity = ParsedQuantity(text) {
                    result[entry.key] = quantity.value
                }
            }
        }
        return (list("requests"), list("limits"))
    }

    /// `QuotaV1Pod`: Succeeded and Failed pods no longer count.
    static func isTerminal(_ pod: JSONValue) -> Bool {
        let phase = pod[path: ["status", "phase"]]?.stringValue
        return phase == "Succeeded" || phase == "Failed"
    }

    static func hard(_ quota: JSONValue) -> [String: String] {
        (quota[path: ["spec", "hard"]]?.objectValue ?? [:]).compactMapValues { $0.stringValue ?? $0.intValue.map { String($0) } }
    }

    static func name(_ object: JSONValue) -> String { object[path: ["metadata", "name"]]?.stringValue ?? "" }

    /// A quantity as `resource.Quantity.String()` prints a sum: counts and cpu in decimal
    /// (`500m`, `2`), memory in the largest binary unit that divides it (`1Gi`, `512Mi`), else bytes.
    static func format(_ value: Decimal, resource: String) -> String {
        if resource.hasSuffix("memory") {
            for (suffix, power) in [("Ei", 6), ("Pi", 5), ("Ti", 4), ("Gi", 3), ("Mi", 2), ("Ki", 1)] {
                let unit = pow(Decimal(1024), power)
                let units = value / unit
                if value != 0, isWhole(units) { return "\(units)\(suffix)" }
            }
            return "\(value)"
        }
        if isWhole(value) { return "\(value)" }
        var milli = value * 1000
        var rounded = Decimal()
        NSDecimalRound(&rounded, &milli, 0, .up)
        return "\(rounded)m"
    }

    private static func isWhole(_ value: Decimal) -> Bool {
        var copy = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &copy, 0, .plain)
        return rounded == value
    }
}
