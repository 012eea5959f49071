import Foundation
import KubeModel

/// kube-sim's StatefulSet controller, with kube-controller-manager's semantics: revisions
/// (reused when equal, renumbered on rollback, collision count), pods `<set>-<ordinal>`
/// with identity labels and claims, OrderedReady and Parallel pod management, OnDelete and
/// RollingUpdate (with partition), PVC retention, status, and history truncation.
/// The decisions are `StatefulSetPlanner`'s; this type reads and writes.
struct StatefulSetController: SimController {
    static let manager = "kube-controller-manager"

    func isInterested(in change: WatchRecord) -> Bool {
        [ResourceType.statefulSets, .pods, .controllerRevisions, .persistentVolumeClaims].contains { $0.groupResource == change.storageKey }
    }

    func sync(_ server: APIServer) {
        for item in server.store.list(ResourceType.statefulSets.groupResource, namespace: nil).items {
            let set = item.object
            // A set being deleted is left to the garbage collector, as the real controller does.
            guard set[path: ["metadata", "deletionTimestamp"]] == nil, let namespace = item.key.namespace else { continue }
            syncSet(server, set, namespace: namespace)
        }
    }

    private func syncSet(_ server: APIServer, _ set: JSONValue, namespace: String) {
        let uid = set[path: ["metadata", "uid"]]?.stringValue ?? ""
        let revisions = Self.controlled(server, ResourceType.controllerRevisions, namespace: namespace, by: uid)
        guard let (update, collisionCount) = ensureUpdateRevision(server, set, revisions: revisions) else { return }
        let updateName = StatefulSetRevisions.name(update)
        let currentName = set[path: ["status", "currentRevision"]]?.stringValue ?? ""
        let current = revisions.first { StatefulSetRevisions.name($0) == currentName } ?? update
        let claims = Dictionary(server.store.list(ResourceType.persistentVolumeClaims.groupResource, namespace: namespace).items
            .map { ($0.key.name, $0.object) }, uniquingKeysWith: { first, _ in first })
        let input = StatefulSetPlanner.Input(
            set: set, pods: Self.controlled(server, ResourceType.pods, namespace: namespace, by: uid), claims: claims,
            currentRevision: StatefulSetRevisions.name(current), currentTemplate: StatefulSetRevisions.template(of: current),
            updateRevision: updateName, updateTemplate: set[path: ["spec", "template"]] ?? [:],
            statusCurrentReplicas: Int(set[path: ["status", "currentReplicas"]]?.intValue ?? 0))
        let plan = StatefulSetPlanner.plan(input)
        for action in plan.actions {
            guard perform(action, server, set: set, namespace: namespace) else { break }
        }
        let pods = Self.controlled(server, ResourceType.pods, namespace: namespace, by: uid)
        writeStatus(server, set, pods: pods, currentRevision: StatefulSetRevisions.name(current), updateRevision: updateName,
                    collisionCount: collisionCount)
        var live: Set<String> = [StatefulSetRevisions.name(current), updateName]
        for pod in pods { live.insert(StatefulSetPods.revision(pod)) }
        let limit = Int(set[path: ["spec", "revisionHistoryLimit"]]?.intValue ?? 10)
        for name in StatefulSetRevisions.surplus(Self.controlled(server, ResourceType.controllerRevisions, namespace: namespace, by: uid),
                                                 live: live, limit: limit) {
            _ = try? server.storage.delete(.controllerRevisions, namespace: namespace, name: name)
        }
    }

    /// The objects of `type` in `namespace` whose controller reference is `uid`.
    static func controlled(_ server: APIServer, _ type: ResourceType, namespace: String, by uid: String) -> [JSONValue] {
        server.store.list(type.groupResource, namespace: namespace).items.map(\.object).filter { object in
            (object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains {
                $0["controller"]?.boolValue == true && $0["uid"]?.stringValue == uid
            }
        }
    }

    /// `getStatefulSetRevisions`: the revision matching the set's template, created when
    /// missing (bumping the collision count on a name clash), renumbered when an older equal
    /// one exists (a rollback).
    private func ensureUpdateRevision(_ server: APIServer, _ set: JSONValue, revisions: [JSONValue]) -> (JSONValue, Int64)? {
        var collisionCount = set[path: ["status", "collisionCount"]]?.intValue ?? 0
        let sorted = revisions.sorted { StatefulSetRevisions.number($0) < StatefulSetRevisions.number($1) }
        let next = (sorted.last.map(StatefulSetRevisions.number) ?? 0) + 1
        let data = StatefulSetRevisions.patch(of: set)
        if let equal = sorted.last(where: { $0["data"] == data }) {
            if StatefulSetRevisions.name(equal) == sorted.last.map(StatefulSetRevisions.name) { return (equal, collisionCount) }
            var renumbered = equal
            renumbered["revision"] = .int(next)
            guard let updated = try? server.storage.update(.controllerRevisions, renumbered, fieldManager: Self.manager) else { return nil }
            return (updated, collisionCount)
        }
        for _ in 0..<8 {
            let revision = StatefulSetRevisions.newRevision(of: set, revision: next, collisionCount: collisionCount)
            do {
                return (try server.storage.create(.controllerRevisions, revision, fieldManager: Self.manager), collisionCount)
            } catch let status as Status where status.code == 409 {
                let namespace = revision[path: ["metadata", "namespace"]]?.stringValue
                if let existing = try? server.storage.get(.controllerRevisions, namespace: namespace, name: StatefulSetRevisions.name(revision)),
                   existing["data"] == data {
                    return (existing, collisionCount)
                }
                collisionCount += 1
            } catch {
                return nil
            }
        }
        return nil
    }

    /// Carries out one action; false stops the pass (the next commit retries, as a requeue would).
    private func perform(_ action: StatefulSetPlanner.Action, _ server: APIServer, set: JSONValue, namespace: String) -> Bool {
        let setName = set[path: ["metadata", "name"]]?.stringValue ?? ""
        do {
            switch action {
            case .createClaim(let claim):
                _ = try server.storage.create(.persistentVolumeClaims, claim, fieldManager: Self.manager)
                let claimName = claim[path: ["metadata", "name"]]?.stringValue ?? ""
                recordEvent(server, set, reason: "SuccessfulCreate", message: "create Claim \(claimName) in StatefulSet \(setName) success")
            case .updateClaim(let claim):
                _ = try server.storage.update(.persistentVolumeClaims, claim, fieldManager: Self.manager)
            case .createPod(let pod):
                _ = try server.storage.create(.pods, pod, fieldManager: Self.manager)
                let podName = pod[path: ["metadata", "name"]]?.stringValue ?? ""
                recordEvent(server, set, reason: "SuccessfulCreate", message: "create Pod \(podName) in StatefulSet \(setName) successful")
            case .deletePod(let name):
                try server.storage.delete(.pods, namespace: namespace, name: name)
                recordEvent(server, set, reason: "SuccessfulDelete", message: "delete Pod \(name) in StatefulSet \(setName) successful")
            }
            return true
        } catch let status as Status where status.code == 409 && { if case .createClaim = action { true } else { false } }() {
            return true
        } catch {
            return false
        }
    }

    private func writeStatus(_ server: APIServer, _ set: JSONValue, pods: [JSONValue], currentRevision: String, updateRevision: String, collisionCount: Int64) {
        let computed = StatefulSetStatus.compute(set: set, pods: pods, currentRevision: currentRevision, updateRevision: updateRevision,
                                                 collisionCount: collisionCount, now: Date())
        var status = set["status"] ?? [:]
        for key in StatefulSetStatus.fields { status[key] = computed[key] }
        guard status != set["status"] else { return }
        var updated = set
        updated["status"] = status
        _ = try? server.storage.update(.statefulSets, updated, subresource: "status", fieldManager: Self.manager)
    }

    /// A core/v1 Event on the set, as the controller's recorder writes it.
    private func recordEvent(_ server: APIServer, _ set: JSONValue, reason: String, message: String) {
        let now = APIServer.timestamp()
        let setName = set[path: ["metadata", "name"]]?.stringValue ?? ""
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string("\(setName).\(suffix)"), "namespace": set[path: ["metadata", "namespace"]] ?? "default"],
            "involvedObject": ["apiVersion": "apps/v1", "kind": "StatefulSet", "name": .string(setName),
                               "namespace": set[path: ["metadata", "namespace"]] ?? "default",
                               "uid": set[path: ["metadata", "uid"]] ?? "", "resourceVersion": set[path: ["metadata", "resourceVersion"]] ?? ""],
            "reason": .string(reason), "message": .string(message), "type": "Normal", "count": 1,
            "source": ["component": "statefulset-controller"], "firstTimestamp": .string(now), "lastTimestamp": .string(now),
            "reportingComponent": "statefulset-controller", "reportingInstance": "",
        ]
        _ = try? server.storage.create(.events, event, fieldManager: Self.manager)
    }
}
