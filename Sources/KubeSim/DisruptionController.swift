import Dispatch
import Foundation
import KubeModel

/// A minimal disruption controller: keeps each PodDisruptionBudget's status (expected,
/// healthy and desired pods, disruptions allowed) in line with the matching pods' Ready
/// condition, so that the Eviction subresource can honour it.
struct DisruptionController: SimController {
    func isInterested(in change: WatchRecord) -> Bool {
        [ResourceType.pods, .podDisruptionBudgets, .statefulSets].contains { $0.groupResource == change.storageKey }
    }

    func sync(_ server: APIServer) {
        guard let info = server.registry.lookup(.podDisruptionBudgets) else { return }
        var scopes: [String: NamespaceScope] = [:]
        for item in server.store.list(info.storageKey, namespace: nil).items {
            let pdb = item.object
            guard let namespace = item.key.namespace else { continue }
            let scope = scopes[namespace] ?? NamespaceScope(server, namespace: namespace)
            scopes[namespace] = scope
            let pods = scope.candidates(for: pdb)
            let now = Date()
            let status = Self.status(for: pdb, pods: pods, statefulSets: scope.controllers(of: pods), now: now)
            Self.recheck(server, when: status, now: now)
            var updated = pdb
            updated["status"] = status
            if Self.comparable(updated) == Self.comparable(pdb) { continue }
            var warnings: [String] = []
            _ = try? server.updateObject(info, old: pdb, new: updated, subresource: "status",
                                         precondition: pdb[path: ["metadata", "resourceVersion"]]?.stringValue,
                                         options: .init(manager: "kube-controller-manager"), warnings: &warnings)
        }
    }

    /// One namespace's pods and StatefulSets, read once per pass and indexed, so that each
    /// budget looks only at the pods that carry its rarest `matchLabels` pair (a superset of
    /// the pods it selects; `status(for:)` still applies the whole selector) and the sets
    /// that control them, instead of every pod and set of the namespace.
    private struct NamespaceScope {
        let pods: [JSONValue]
        /// Indexes into `pods` by `key=value` label.
        let byLabel: [String: [Int]]
        let setsByUID: [String: JSONValue]

        init(_ server: APIServer, namespace: String) {
            pods = server.store.list(ResourceType.pods.groupResource, namespace: namespace).items.map(\.object)
            var byLabel: [String: [Int]] = [:]
            for (index, pod) in pods.enumerated() {
                for (key, value) in pod[path: ["metadata", "labels"]]?.objectValue ?? [:] {
                    if let value = value.stringValue { byLabel["\(key)=\(value)", default: []].append(index) }
                }
            }
            self.byLabel = byLabel
            var setsByUID: [String: JSONValue] = [:]
            for item in server.store.list(ResourceType.statefulSets.groupResource, namespace: namespace).items {
                if let uid = item.object[path: ["metadata", "uid"]]?.stringValue { setsByUID[uid] = item.object }
            }
            self.setsByUID = setsByUID
        }

        func candidates(for pdb: JSONValue) -> [JSONValue] {
            let matchLabels = (pdb[path: ["spec", "selector", "matchLabels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            guard !matchLabels.isEmpty else { return pods }
            let fewest = matchLabels.map { byLabel["\($0.key)=\($0.value)"] ?? [] }.min { $0.count < $1.count } ?? []
            return fewest.map { pods[$0] }
        }

        /// The sets that control any of `pods`.
        func controllers(of pods: [JSONValue]) -> [JSONValue] {
            let uids = Set(pods.compactMap { pod in
                (pod[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).first { $0["controller"]?.boolValue == true }?["uid"]?.stringValue
            })
            return uids.compactMap { setsByUID[$0] }
        }
    }

    /// How long an evicted pod stays in `disruptedPods` (not counted healthy) while it is not
    /// seen being deleted: the real controller's `DeletionTimeout`.
    static let deletionTimeout: TimeInterval = 120

    /// The status the disruption controller computes for `pdb`.
    static func status(for pdb: JSONValue, pods: [JSONValue], statefulSets: [JSONValue], now: Date) -> JSONValue {
        let selector = pdb[path: ["spec", "selector"]] ?? [:]
        let selectorText = APIServer.selectorString(selector)
        let labelSelector = try? LabelSelector(parsing: selectorText)
        let matching = pods.filter { pod in
            let labels = pod[path: ["metadata", "labels"]]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
            return !selectorText.isEmpty && (labelSelector?.matches(labels) ?? false)
        }
        let disrupted = disruptedPods(pdb, matching: matching, now: now)
        // countHealthyPods: not being deleted, not just evicted, Ready.
        let healthy = matching.filter { pod in
            pod[path: ["metadata", "deletionTimestamp"]] == nil
                && disrupted[pod[path: ["metadata", "name"]]?.stringValue ?? ""] == nil
                && (pod[path: ["status", "conditions"]]?.arrayValue ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
        }.count
        // Pods owned by a StatefulSet count by its replicas, as the real controller reads the scale.
        var expected = matching.count
        let ownerUIDs = Set(matching.compactMap { pod in
            (pod[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).first { $0["controller"]?.boolValue == true }?["uid"]?.stringValue
        })
        let owners = statefulSets.filter { ownerUIDs.contains($0[path: ["metadata", "uid"]]?.stringValue ?? "") }
        if !owners.isEmpty, owners.count == ownerUIDs.count {
            expected = owners.reduce(0) { $0 + Int($1[path: ["spec", "replicas"]]?.intValue ?? 1) }
        }
        func resolve(_ value: JSONValue?, roundUp: Bool) -> Int? {
            guard let value else { return nil }
            if let number = value.intValue { return Int(number) }
            if let text = value.stringValue, text.hasSuffix("%"), let percent = Double(text.dropLast()) {
                let exact = Double(expected) * percent / 100
                return Int(roundUp ? exact.rounded(.up) : exact.rounded(.down))
            }
            return nil
        }
        var desired = 0
        if let minAvailable = resolve(pdb[path: ["spec", "minAvailable"]], roundUp: true) {
            desired = minAvailable
        } else if let maxUnavailable = resolve(pdb[path: ["spec", "maxUnavailable"]], roundUp: true) {
            desired = max(0, expected - maxUnavailable)
        }
        let allowed = max(0, healthy - desired)
        let previous = (pdb[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == "DisruptionAllowed" }
        let conditionStatus: JSONValue = allowed > 0 ? "True" : "False"
        let nowText = JSONValue.string(APIServer.timestamp(now))
        let transition = previous?["status"] == conditionStatus ? (previous?["lastTransitionTime"] ?? nowText) : nowText
        let generation = pdb[path: ["metadata", "generation"]] ?? 1
        var status: JSONValue = [
            "observedGeneration": generation,
            "disruptionsAllowed": .int(Int64(allowed)),
            "currentHealthy": .int(Int64(healthy)),
            "desiredHealthy": .int(Int64(desired)),
            "expectedPods": .int(Int64(expected)),
            "conditions": [[
                "type": "DisruptionAllowed", "status": conditionStatus, "observedGeneration": generation,
                "reason": allowed > 0 ? "SufficientPods" : "InsufficientPods", "message": "",
                "lastTransitionTime": transition,
            ]],
        ]
        if !disrupted.isEmpty {
            status["disruptedPods"] = .object(disrupted)
        }
        return status
    }

    /// `buildDisruptedPodMap` of kube-controller-manager's `pkg/controller/disruption/disruption.go`:
    /// an evicted pod's entry stays only while a pod of that name exists, is not being deleted,
    /// and was evicted less than `deletionTimeout` ago. The controller sees the evicted pod
    /// being deleted (the eviction sets its deletionTimestamp, a pod change it syncs on), so the
    /// entry is gone before a StatefulSet recreates a pod of the same name, which must count as
    /// healthy again once Ready. (Keeping entries while the name exists held every later
    /// eviction of a rolling restart at 429.)
    static func disruptedPods(_ pdb: JSONValue, matching pods: [JSONValue], now: Date) -> [String: JSONValue] {
        guard let recorded = pdb[path: ["status", "disruptedPods"]]?.objectValue, !recorded.isEmpty else { return [:] }
        var kept: [String: JSONValue] = [:]
        for pod in pods where pod[path: ["metadata", "deletionTimestamp"]] == nil {
            guard let name = pod[path: ["metadata", "name"]]?.stringValue, let time = recorded[name],
                  let evicted = time.stringValue.flatMap(RFC3339.date) else { continue }
            if evicted.addingTimeInterval(deletionTimeout) > now { kept[name] = time }
        }
        return kept
    }

    /// The real controller requeues a budget for when its oldest kept eviction times out
    /// (`recheckTime`); kube-sim's controllers run only after commits, so a quiet cluster would
    /// keep an expired entry (and a disruption too few) until something else changed.
    private static func recheck(_ server: APIServer, when status: JSONValue, now: Date) {
        let evicted = (status["disruptedPods"]?.objectValue ?? [:]).values.compactMap { $0.stringValue.flatMap(RFC3339.date) }
        guard let oldest = evicted.min() else { return }
        let delay = max(0, oldest.addingTimeInterval(deletionTimeout).timeIntervalSince(now)) + 1
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + delay) { [weak server] in
            server?.controllers.kick { $0 is DisruptionController }
        }
    }

    private static func comparable(_ pdb: JSONValue) -> JSONValue {
        var pdb = pdb
        pdb[path: ["metadata", "managedFields"]] = nil
        return pdb
    }
}
