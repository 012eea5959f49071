import Foundation
import KubeModel

/// The pods and claims of a StatefulSet as kube-controller-manager builds and judges them
/// (`pkg/controller/statefulset/stateful_set_utils.go`): names, identity labels, volumes,
/// and the readiness predicates the controller decides on.
enum StatefulSetPods {
    static let revisionLabel = "controller-revision-hash"
    static let podNameLabel = "statefulset.kubernetes.io/pod-name"
    static let podIndexLabel = "apps.kubernetes.io/pod-index"

    /// `<set>-<ordinal>`.
    static func podName(set: String, ordinal: Int) -> String { "\(set)-\(ordinal)" }

    /// `<claim template>-<set>-<ordinal>`.
    static func claimName(template: String, set: String, ordinal: Int) -> String { "\(template)-\(set)-\(ordinal)" }

    /// The ordinal in a pod's name when it belongs to `set` (`<set>-<digits>`), else nil.
    static func ordinal(ofPod name: String, set: String) -> Int? {
        guard name.hasPrefix(set + "-") else { return nil }
        let suffix = name.dropFirst(set.count + 1)
        guard !suffix.isEmpty, suffix.allSatisfy(\.isASCII), suffix.allSatisfy(\.isNumber) else { return nil }
        return Int(suffix)
    }

    /// `spec.ordinals.start` (0 when absent).
    static func startOrdinal(_ set: JSONValue) -> Int { Int(set[path: ["spec", "ordinals", "start"]]?.intValue ?? 0) }

    static func replicas(_ set: JSONValue) -> Int { Int(set[path: ["spec", "replicas"]]?.intValue ?? 1) }

    // MARK: Building

    /// The controller owner reference to `object` (apiVersion/kind as given).
    static func controllerRef(to object: JSONValue, apiVersion: String, kind: String) -> JSONValue {
        ["apiVersion": .string(apiVersion), "kind": .string(kind),
         "name": object[path: ["metadata", "name"]] ?? "", "uid": object[path: ["metadata", "uid"]] ?? "",
         "controller": true, "blockOwnerDeletion": true]
    }

    /// The claims a pod at `ordinal` uses, keyed by template name in template order.
    static func claims(of set: JSONValue, ordinal: Int) -> [(template: String, claim: JSONValue)] {
        let setName = set[path: ["metadata", "name"]]?.stringValue ?? ""
        let selectorLabels = set[path: ["spec", "selector", "matchLabels"]]?.objectValue ?? [:]
        return (set[path: ["spec", "volumeClaimTemplates"]]?.arrayValue ?? []).compactMap { template in
            guard let templateName = template[path: ["metadata", "name"]]?.stringValue else { return nil }
            var labels = template[path: ["metadata", "labels"]]?.objectValue ?? [:]
            labels.merge(selectorLabels) { _, selector in selector }
            var metadata: JSONValue = ["name": .string(claimName(template: templateName, set: setName, ordinal: ordinal)),
                                       "namespace": set[path: ["metadata", "namespace"]] ?? "default"]
            if !labels.isEmpty { metadata["labels"] = .object(labels) }
            if let annotations = template[path: ["metadata", "annotations"]] { metadata["annotations"] = annotations }
            let claim: JSONValue = ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata,
                                    "spec": template["spec"] ?? [:]]
            return (templateName, claim)
        }
    }

    /// A new pod for `ordinal` from `template` (the template of the revision it is created at),
    /// labelled with `revision`, owned by the set, with its identity and claims.
    static func newPod(set: JSONValue, template: JSONValue, revision: String, ordinal: Int) -> JSONValue {
        let setName = set[path: ["metadata", "name"]]?.stringValue ?? ""
        let name = podName(set: setName, ordinal: ordinal)
        var labels = template[path: ["metadata", "labels"]]?.objectValue ?? [:]
        labels[podNameLabel] = .string(name)
        labels[podIndexLabel] = .string(String(ordinal))
        labels[revisionLabel] = .string(revision)
        var metadata: JSONValue = ["name": .string(name), "generateName": .string(setName + "-"),
                                   "namespace": set[path: ["metadata", "namespace"]] ?? "default",
                                   "labels": .object(labels),
                                   "ownerReferences": [controllerRef(to: set, apiVersion: "apps/v1", kind: "StatefulSet")]]
        for field in ["annotations", "finalizers"] {
            if let value = template[path: ["metadata", field]] { metadata[field] = value }
        }
        var spec = template["spec"] ?? [:]
        spec["hostname"] = .string(name)
        if let service = set[path: ["spec", "serviceName"]]?.stringValue, !service.isEmpty { spec["subdomain"] = .string(service) }
        // Claim volumes replace template volumes of the same name, as updateStorage does.
        let claimVolumes = claims(of: set, ordinal: ordinal).map { entry -> JSONValue in
            ["name": .string(entry.template), "persistentVolumeClaim": ["claimName": entry.claim[path: ["metadata", "name"]] ?? ""]]
        }
        if !claimVolumes.isEmpty {
            let claimNames = Set(claimVolumes.compactMap { $0["name"]?.stringValue })
            let others = (spec["volumes"]?.arrayValue ?? []).filter { !claimNames.contains($0["name"]?.stringValue ?? "") }
            spec["volumes"] = .array(claimVolumes + others)
        }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec]
    }

    // MARK: Judging

    static func phase(_ pod: JSONValue) -> String { pod[path: ["status", "phase"]]?.stringValue ?? "" }

    static func revision(_ pod: JSONValue) -> String { pod[path: ["metadata", "labels", revisionLabel]]?.stringValue ?? "" }

    /// Created means the API server has given it a phase (it does on create).
    static func isCreated(_ pod: JSONValue) -> Bool { !phase(pod).isEmpty }

    static func isTerminating(_ pod: JSONValue) -> Bool { pod[path: ["metadata", "deletionTimestamp"]] != nil }

    static func isFinished(_ pod: JSONValue) -> Bool { ["Failed", "Succeeded"].contains(phase(pod)) }

    static func readyCondition(_ pod: JSONValue) -> JSONValue? {
        (pod[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == "Ready" }
    }

    static func isRunningAndReady(_ pod: JSONValue) -> Bool {
        phase(pod) == "Running" && readyCondition(pod)?["status"] == "True"
    }

    static func isHealthy(_ pod: JSONValue) -> Bool { isRunningAndReady(pod) && !isTerminating(pod) }

    /// Ready for at least `minReadySeconds` (`podutil.IsPodAvailable`).
    static func isAvailable(_ pod: JSONValue, minReadySeconds: Int, now: Date) -> Bool {
        guard isRunningAndReady(pod) else { return false }
        if minReadySeconds == 0 { return true }
        guard let text = readyCondition(pod)?["lastTransitionTime"]?.stringValue,
              let since = ISO8601DateFormatter().date(from: text) else { return false }
        return since.addingTimeInterval(TimeInterval(minReadySeconds)) <= now
    }
}
