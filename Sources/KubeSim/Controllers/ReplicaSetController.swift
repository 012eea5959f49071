import Foundation
import KubeModel
import Synchronization

/// kube-sim's ReplicaSet controller (`pkg/controller/replicaset/replica_set.go`): keeps
/// `spec.replicas` active pods of each ReplicaSet (creating from the template, deleting the
/// pods least worth keeping), and writes `status`. Decisions are `ReplicaSetPlanner`'s.
/// It syncs every ReplicaSet on a pass a ReplicaSet, or a pod a ReplicaSet controls, changed.
struct ReplicaSetController: SimController {
    static let manager = "kube-controller-manager"
    private static let events = ControllerEventRecorder(component: "replicaset-controller", manager: manager)
    /// Whether a retry pass is already scheduled; shared by the copies of this value.
    private let retryPending = PendingFlag()

    func isInterested(in change: WatchRecord) -> Bool {
        if change.storageKey == ResourceType.replicaSets.groupResource { return true }
        guard change.storageKey == ResourceType.pods.groupResource else { return false }
        return [change.object, change.previous].contains { object in
            (object?[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains {
                $0["kind"] == "ReplicaSet" && $0["controller"]?.boolValue == true
            }
        }
    }

    func sync(_ server: APIServer) {
        for item in server.store.list(ResourceType.replicaSets.groupResource, namespace: nil).items {
            guard let namespace = item.key.namespace else { continue }
            syncReplicaSet(server, item.object, namespace: namespace)
        }
    }

    /// Runs this controller again after `delay`: what refused a create (a missing
    /// ServiceAccount, quota) changes nothing this controller watches.
    private func retry(_ server: APIServer, after delay: TimeInterval) {
        guard retryPending.raise() else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak server, retryPending] in
            retryPending.lower()
            server?.controllers.kick(resyncAll: false) { $0 is ReplicaSetController }
        }
    }

    private func syncReplicaSet(_ server: APIServer, _ replicaSet: JSONValue, namespace: String) {
        let uid = replicaSet[path: ["metadata", "uid"]]?.stringValue ?? ""
        let name = replicaSet[path: ["metadata", "name"]]?.stringValue ?? ""
        // A set being deleted keeps its pods until the garbage collector takes them (`syncReplicaSet`
        // skips `manageReplicas` when the set has a deletionTimestamp).
        if replicaSet[path: ["metadata", "deletionTimestamp"]] == nil {
            let pods = StatefulSetController.controlled(server, .pods, namespace: namespace, by: uid)
            for action in ReplicaSetPlanner.plan(replicaSet: replicaSet, pods: pods) {
                switch action {
                case .createPod(let pod):
                    do {
                        let created = try server.storage.create(.pods, pod, fieldManager: Self.manager)
                        Self.events.record(server, on: replicaSet, apiVersion: "apps/v1", kind: "ReplicaSet", reason: "SuccessfulCreate",
                                           message: "Created pod: \(created[path: ["metadata", "name"]]?.stringValue ?? "")")
                    } catch {
                        // `manageReplicas`: "Error creating: <API error>"; the real controller retries
                        // with back-off, this one on the next pass its set or pods cause.
                        Self.events.record(server, on: replicaSet, apiVersion: "apps/v1", kind: "ReplicaSet", type: "Warning",
                                           reason: "FailedCreate", message: "Error creating: \((error as? Status)?.message ?? "\(error)")")
                        retry(server, after: 5)
                    }
                case .deletePod(let podName):
                    guard (try? server.storage.delete(.pods, namespace: namespace, name: podName)) != nil else { continue }
                    Self.events.record(server, on: replicaSet, apiVersion: "apps/v1", kind: "ReplicaSet", reason: "SuccessfulDelete",
                                       message: "Deleted pod: \(podName)")
                }
            }
        }
        let pods = StatefulSetController.controlled(server, .pods, namespace: namespace, by: uid)
        let computed = ReplicaSetPlanner.status(replicaSet: replicaSet, pods: pods, now: Date())
        var status = replicaSet["status"] ?? [:]
        for key in ReplicaSetPlanner.statusFields { status[key] = computed[key] }
        guard status != replicaSet["status"], var live = server.store.get(ResourceType.replicaSets.groupResource,
                                                                            ObjectKey(namespace: namespace, name: name)) else { return }
        live["status"] = status
        _ = try? server.storage.update(.replicaSets, live, subresource: "status", fieldManager: Self.manager)
    }
}

/// A flag raised once until lowered (a retry scheduled at most once at a time).
final class PendingFlag: Sendable {
    private let raised = Mutex(false)

    /// Raises the flag; false when it was already up.
    func raise() -> Bool { raised.withLock { flag in defer { flag = true }; return !flag } }

    func lower() { raised.withLock { $0 = false } }
}
