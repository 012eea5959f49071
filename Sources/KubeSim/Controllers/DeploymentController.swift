import Foundation
import KubeModel

/// kube-sim's Deployment controller (`pkg/controller/deployment/deployment_controller.go`):
/// each Deployment gets a ReplicaSet per pod template (`<deployment>-<pod-template-hash>`,
/// the hash also a label of its pods and a term of its selector), rolled by the strategy
/// (RollingUpdate within maxSurge/maxUnavailable, or Recreate), with the revision annotations,
/// `ScalingReplicaSet` Events and the Deployment's status. Decisions are `DeploymentPlanner`'s;
/// the pods are the ReplicaSet controller's.
struct DeploymentController: SimController {
    static let manager = "kube-controller-manager"
    private static let events = ControllerEventRecorder(component: "deployment-controller", manager: manager)

    func isInterested(in change: WatchRecord) -> Bool {
        if [ResourceType.deployments.groupResource, ResourceType.replicaSets.groupResource].contains(change.storageKey) { return true }
        // Recreate waits for the old pods to be gone.
        guard change.storageKey == ResourceType.pods.groupResource, change.type == "DELETED" else { return false }
        return (change.object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains { $0["kind"] == "ReplicaSet" }
    }

    func sync(_ server: APIServer) {
        for item in server.store.list(ResourceType.deployments.groupResource, namespace: nil).items {
            guard let namespace = item.key.namespace else { continue }
            syncDeployment(server, item.object, namespace: namespace)
        }
    }

    private func syncDeployment(_ server: APIServer, _ deployment: JSONValue, namespace: String) {
        let uid = deployment[path: ["metadata", "uid"]]?.stringValue ?? ""
        let name = deployment[path: ["metadata", "name"]]?.stringValue ?? ""
        let sets = StatefulSetController.controlled(server, .replicaSets, namespace: namespace, by: uid)
        var activePods: [String: Int] = [:]
        for set in sets {
            let setUID = set[path: ["metadata", "uid"]]?.stringValue ?? ""
            activePods[set[path: ["metadata", "name"]]?.stringValue ?? ""] =
                StatefulSetController.controlled(server, .pods, namespace: namespace, by: setUID).filter { !StatefulSetPods.isFinished($0) }.count
        }
        for action in DeploymentPlanner.plan(.init(deployment: deployment, replicaSets: sets, activePods: activePods)) {
            guard perform(action, server, deployment: deployment, namespace: namespace) else { break }
        }
        guard let live = server.store.get(ResourceType.deployments.groupResource, ObjectKey(namespace: namespace, name: name)) else { return }
        let current = StatefulSetController.controlled(server, .replicaSets, namespace: namespace, by: uid)
        let computed = DeploymentStatus.compute(deployment: live, replicaSets: current, now: APIServer.timestamp())
        var status = live["status"] ?? [:]
        for key in DeploymentStatus.fields { status[key] = computed[key] }
        guard status != live["status"] else { return }
        var updated = live
        updated["status"] = status
        _ = try? server.storage.update(.deployments, updated, subresource: "status", fieldManager: Self.manager)
    }

    /// Carries out one action; false stops the pass (the next change retries it).
    private func perform(_ action: DeploymentPlanner.Action, _ server: APIServer, deployment: JSONValue, namespace: String) -> Bool {
        let name = deployment[path: ["metadata", "name"]]?.stringValue ?? ""
        do {
            switch action {
            case .createReplicaSet(let set):
                let created = try server.storage.create(.replicaSets, set, fieldManager: Self.manager)
                let setName = created[path: ["metadata", "name"]]?.stringValue ?? ""
                let count = created[path: ["spec", "replicas"]]?.intValue ?? 0
                if count > 0 {
                    record(server, deployment, "Scaled up replica set \(setName) from 0 to \(count)")
                }
            case .updateReplicaSet(let set, let from, let to):
                _ = try server.storage.update(.replicaSets, set, fieldManager: Self.manager)
                if from != to {
                    let setName = set[path: ["metadata", "name"]]?.stringValue ?? ""
                    record(server, deployment, "Scaled \(to > from ? "up" : "down") replica set \(setName) from \(from) to \(to)")
                }
            case .deleteReplicaSet(let setName):
                _ = try server.storage.delete(.replicaSets, namespace: namespace, name: setName)
            case .setDeploymentRevision(let revision):
                guard var live = server.store.get(ResourceType.deployments.groupResource, ObjectKey(namespace: namespace, name: name)) else { return false }
                live[path: ["metadata", "annotations", DeploymentPlanner.revisionAnnotation]] = .string(revision)
                _ = try server.storage.update(.deployments, live, fieldManager: Self.manager)
            }
            return true
        } catch {
            return false
        }
    }

    private func record(_ server: APIServer, _ deployment: JSONValue, _ message: String) {
        Self.events.record(server, on: deployment, apiVersion: "apps/v1", kind: "Deployment", reason: "ScalingReplicaSet", message: message)
    }
}
