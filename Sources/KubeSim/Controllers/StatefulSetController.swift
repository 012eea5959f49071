import Foundation
import KubeModel
import Synchronization

/// kube-sim's StatefulSet controller, with kube-controller-manager's semantics: revisions
/// (reused when equal, renumbered on rollback, collision count), pods `<set>-<ordinal>`
/// with identity labels and claims, OrderedReady and Parallel pod management, OnDelete and
/// RollingUpdate (with partition), PVC retention, status, and history truncation.
/// The decisions are `StatefulSetPlanner`'s; this type reads and writes.
///
/// Like the real controller's work queue keyed by set, a pass syncs only the sets touched
/// since the last one (`SyncQueue`): `isInterested(in:)`, which the runner calls once per
/// committed change, records the keys of the sets a change may concern — the set itself,
/// the controllers named by a pod's, revision's or claim's controller references (before
/// and after the change, so deletions and released objects count), and the sets the
/// object's name ties it to (`<set>-<ordinal>` pods, `<set>-<hash>` revisions,
/// `<template>-<set>-<ordinal>` claims, which the planner looks up by name). `kick`, the
/// first pass and a fresh instance sync every set. A set whose pass stopped on a failed
/// write is retried on the next pass, as before; a set waiting for `minReadySeconds` is
/// requeued after it, as `enqueueSSAfter` does. A set's pods and revisions come from the
/// store's controller index, its claims by name, so a sync reads no other set's objects.
struct StatefulSetController: SimController {
    static let manager = "kube-controller-manager"

    /// The sets the next pass syncs; shared by the copies of this value.
    let queue = SyncQueue()

    func isInterested(in change: WatchRecord) -> Bool {
        guard Self.watched.contains(change.storageKey) else { return false }
        let keys = Self.setKeys(for: change)
        guard !keys.isEmpty else { return false }
        queue.add(keys)
        return true
    }

    func resyncAll() { queue.addAll() }

    func sync(_ server: APIServer) {
        let work = queue.take()
        let sets: [(key: ObjectKey, object: JSONValue)]
        if work.all {
            sets = server.store.list(ResourceType.statefulSets.groupResource, namespace: nil).items
        } else {
            sets = work.keys.sorted().compactMap { key in
                server.store.get(ResourceType.statefulSets.groupResource, key).map { (key, $0) }
            }
        }
        queue.countSynced(sets.map(\.key))
        for item in sets {
            let set = item.object
            // A set being deleted is left to the garbage collector, as the real controller does.
            guard set[path: ["metadata", "deletionTimestamp"]] == nil, let namespace = item.key.namespace else { continue }
            if !syncSet(server, set, namespace: namespace) { queue.retry(item.key) }
        }
    }

    // MARK: Which sets a change concerns

    private static let watched: Set<String> = Set([ResourceType.statefulSets, .pods, .controllerRevisions, .persistentVolumeClaims]
        .map(\.groupResource))

    /// The keys of the sets `change` may give work (over-approximated: a key without a set,
    /// or a set the object turns out not to belong to, costs one idempotent sync).
    static func setKeys(for change: WatchRecord) -> Set<ObjectKey> {
        var names: Set<String> = []
        for object in [change.object, change.previous] {
            guard let metadata = object?["metadata"] else { continue }
            let name = metadata["name"]?.stringValue ?? ""
            switch change.storageKey {
            case ResourceType.statefulSets.groupResource:
                names.insert(name)
            case ResourceType.pods.groupResource:
                if let set = setName(ofOrdinalName: name) { names.insert(set) }
            case ResourceType.controllerRevisions.groupResource:
                if let dash = name.lastIndex(of: "-") { names.insert(String(name[..<dash])) }
            default:
                // `<template>-<set>-<ordinal>`: every split of the prefix at a dash.
                if let prefix = setName(ofOrdinalName: name) {
                    var rest = Substring(prefix)
                    while let dash = rest.firstIndex(of: "-") {
                        rest = rest[rest.index(after: dash)...]
                        if !rest.isEmpty { names.insert(String(rest)) }
                    }
                }
            }
            guard change.storageKey != ResourceType.statefulSets.groupResource else { continue }
            for reference in metadata["ownerReferences"]?.arrayValue ?? [] where reference["controller"]?.boolValue == true {
                if let owner = reference["name"]?.stringValue {
                    // A claim a scaled-down pod controls belongs to that pod's set.
                    names.insert(reference["kind"]?.stringValue == "Pod" ? setName(ofOrdinalName: owner) ?? owner : owner)
                }
            }
        }
        let namespace = change.namespace ?? change.previous?[path: ["metadata", "namespace"]]?.stringValue
        return Set(names.filter { !$0.isEmpty }.map { ObjectKey(namespace: namespace, name: $0) })
    }

    /// `set` of a name `set-<digits>`, else nil.
    private static func setName(ofOrdinalName name: String) -> String? {
        guard let dash = name.lastIndex(of: "-") else { return nil }
        let suffix = name[name.index(after: dash)...]
        guard !suffix.isEmpty, suffix.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(name[..<dash])
    }

    // MARK: Syncing one set

    /// One pass over `set`; false when a write failed (the set is retried on the next pass).
    private func syncSet(_ server: APIServer, _ set: JSONValue, namespace: String) -> Bool {
        let uid = set[path: ["metadata", "uid"]]?.stringValue ?? ""
        let revisions = Self.controlled(server, ResourceType.controllerRevisions, namespace: namespace, by: uid)
        guard let (update, collisionCount) = ensureUpdateRevision(server, set, revisions: revisions) else { return false }
        let updateName = StatefulSetRevisions.name(update)
        let currentName = set[path: ["status", "currentRevision"]]?.stringValue ?? ""
        let current = revisions.first { StatefulSetRevisions.name($0) == currentName } ?? update
        let owned = Self.controlled(server, ResourceType.pods, namespace: namespace, by: uid)
        let input = StatefulSetPlanner.Input(
            set: set, pods: owned, claims: Self.claims(server, of: set, namespace: namespace, pods: owned),
            currentRevision: StatefulSetRevisions.name(current), currentTemplate: StatefulSetRevisions.template(of: current),
            updateRevision: updateName, updateTemplate: set[path: ["spec", "template"]] ?? [:],
            statusCurrentReplicas: Int(set[path: ["status", "currentReplicas"]]?.intValue ?? 0))
        let plan = StatefulSetPlanner.plan(input)
        var complete = true
        for action in plan.actions {
            guard perform(action, server, set: set, namespace: namespace) else {
                complete = false
                break
            }
        }
        let pods = Self.controlled(server, ResourceType.pods, namespace: namespace, by: uid)
        let status = writeStatus(server, set, pods: pods, currentRevision: StatefulSetRevisions.name(current), updateRevision: updateName,
                                 collisionCount: collisionCount)
        if status == nil { complete = false }
        var live: Set<String> = [StatefulSetRevisions.name(current), updateName]
        for pod in pods { live.insert(StatefulSetPods.revision(pod)) }
        let limit = Int(set[path: ["spec", "revisionHistoryLimit"]]?.intValue ?? 10)
        for name in StatefulSetRevisions.surplus(Self.controlled(server, ResourceType.controllerRevisions, namespace: namespace, by: uid),
                                                 live: live, limit: limit) {
            do { try server.storage.delete(.controllerRevisions, namespace: namespace, name: name) } catch { complete = false }
        }
        // Pods Ready but not yet for minReadySeconds become available with time alone.
        let minReadySeconds = Int(set[path: ["spec", "minReadySeconds"]]?.intValue ?? 0)
        if minReadySeconds > 0, let status, (status["readyReplicas"]?.intValue ?? 0) != (status["availableReplicas"]?.intValue ?? 0) {
            queue.requeue(ObjectKey(namespace: namespace, name: set[path: ["metadata", "name"]]?.stringValue ?? ""),
                          after: TimeInterval(minReadySeconds), server)
        }
        return complete
    }

    /// The objects of `type` in `namespace` whose controller reference is `uid`, by key
    /// (from the store's controller index).
    static func controlled(_ server: APIServer, _ type: ResourceType, namespace: String, by uid: String) -> [JSONValue] {
        server.store.controlled(type.groupResource, namespace: namespace, by: uid).map(\.object)
    }

    /// The existing claims the planner may ask for by name: each claim template's claim for
    /// every ordinal in range and every ordinal a pod of the set has.
    static func claims(_ server: APIServer, of set: JSONValue, namespace: String, pods: [JSONValue]) -> [String: JSONValue] {
        let templates = (set[path: ["spec", "volumeClaimTemplates"]]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
        guard !templates.isEmpty else { return [:] }
        let setName = set[path: ["metadata", "name"]]?.stringValue ?? ""
        let start = StatefulSetPods.startOrdinal(set)
        var ordinals = Set(start..<max(start, start + StatefulSetPods.replicas(set)))
        for pod in pods {
            if let ordinal = StatefulSetPods.ordinal(ofPod: pod[path: ["metadata", "name"]]?.stringValue ?? "", set: setName) { ordinals.insert(ordinal) }
        }
        var claims: [String: JSONValue] = [:]
        for ordinal in ordinals {
            for template in templates {
                let name = StatefulSetPods.claimName(template: template, set: setName, ordinal: ordinal)
                if let claim = server.store.get(ResourceType.persistentVolumeClaims.groupResource, ObjectKey(namespace: namespace, name: name)) {
                    claims[name] = claim
                }
            }
        }
        return claims
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
                let podName = pod[path: ["metadata", "name"]]?.stringValue ?? ""
                do {
                    _ = try server.storage.create(.pods, pod, fieldManager: Self.manager)
                } catch {
                    // `recordPodEvent` (stateful_pod_control.go): a Warning `FailedCreate` whose
                    // message ends in the API error, e.g. `pods "zk-0" is forbidden: ...`.
                    let text = (error as? Status)?.message ?? "\(error)"
                    recordEvent(server, set, type: "Warning", reason: "FailedCreate",
                                message: "create Pod \(podName) in StatefulSet \(setName) failed error: \(text)")
                    // The real controller retries with back-off; a removed quota or relabelled
                    // namespace changes nothing this controller watches, so look again in 5 s.
                    queue.requeue(ObjectKey(namespace: namespace, name: setName), after: 5, server)
                    throw error
                }
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

    /// Writes the status when it changed; the status, or nil when the write failed.
    private func writeStatus(_ server: APIServer, _ set: JSONValue, pods: [JSONValue], currentRevision: String, updateRevision: String,
                             collisionCount: Int64) -> JSONValue? {
        let computed = StatefulSetStatus.compute(set: set, pods: pods, currentRevision: currentRevision, updateRevision: updateRevision,
                                                 collisionCount: collisionCount, now: Date())
        var status = set["status"] ?? [:]
        for key in StatefulSetStatus.fields { status[key] = computed[key] }
        guard status != set["status"] else { return status }
        var updated = set
        updated["status"] = status
        do {
            _ = try server.storage.update(.statefulSets, updated, subresource: "status", fieldManager: Self.manager)
        } catch {
            return nil
        }
        return status
    }

    /// A core/v1 Event on the set, as the controller's recorder writes it.
    private func recordEvent(_ server: APIServer, _ set: JSONValue, type: String = "Normal", reason: String, message: String) {
        Self.events.record(server, on: set, apiVersion: "apps/v1", kind: "StatefulSet", type: type, reason: reason, message: message)
    }

    private static let events = ControllerEventRecorder(component: "statefulset-controller", manager: manager)
}

/// The StatefulSet controller's work queue: the keys of the sets the next pass syncs, or
/// all of them. Filled by `isInterested(in:)` (per committed change), `resyncAll()` (add,
/// kick), retries of passes a failed write stopped, and `minReadySeconds` requeues;
/// emptied by `take()` at the start of each pass.
final class SyncQueue: Sendable {
    private struct State {
        /// Sync every set (a fresh controller, `kick`).
        var all = true
        var keys: Set<ObjectKey> = []
        /// Sets whose pass stopped on a failed write: synced again on the next pass,
        /// whatever wakes it (as the whole-cluster pass used to retry them).
        var retries: Set<ObjectKey> = []
        /// Sets with a timed requeue pending.
        var requeued: Set<ObjectKey> = []
        var synced: [ObjectKey: Int] = [:]
    }

    private let state = Mutex(State())

    func add(_ keys: Set<ObjectKey>) { state.withLock { $0.keys.formUnion(keys) } }

    func addAll() { state.withLock { $0.all = true } }

    func retry(_ key: ObjectKey) { _ = state.withLock { $0.retries.insert(key) } }

    /// The work of one pass; empties the queue.
    func take() -> (all: Bool, keys: Set<ObjectKey>) {
        state.withLock { state in
            defer {
                state.all = false
                state.keys.removeAll()
                state.retries.removeAll()
            }
            return (state.all, state.keys.union(state.retries))
        }
    }

    /// Adds `key` after `delay` and wakes this queue's controller (`enqueueSSAfter`), once per
    /// set at a time.
    func requeue(_ key: ObjectKey, after delay: TimeInterval, _ server: APIServer) {
        guard state.withLock({ $0.requeued.insert(key).inserted }) else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + delay + 0.1) { [weak server] in
            self.state.withLock { state in
                state.requeued.remove(key)
                state.keys.insert(key)
            }
            server?.controllers.kick(resyncAll: false) { ($0 as? StatefulSetController)?.queue === self }
        }
    }

    func countSynced(_ keys: some Sequence<ObjectKey>) {
        state.withLock { state in
            for key in keys { state.synced[key, default: 0] += 1 }
        }
    }

    /// How many passes have synced each set (tests).
    var syncCounts: [ObjectKey: Int] { state.withLock { $0.synced } }
}
