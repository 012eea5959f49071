import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    /// `POST pods/<name>/eviction`: deletes the pod unless a PodDisruptionBudget forbids it,
    /// answering 429 with the real server's message when it does.
    func evict(_ info: ResourceInfo, _ context: RequestContext) throws -> HTTPResponse {
        guard let name = context.info.name, let namespace = context.namespace else { throw StatusErrors.pathNotFound() }
        let eviction = try context.decodeBody()
        let pod = try live(info, namespace: namespace, name: name)
        var request = DeleteRequest()
        if let options = eviction["deleteOptions"] {
            request.gracePeriodSeconds = options["gracePeriodSeconds"]?.intValue
            request.propagationPolicy = options["propagationPolicy"]?.stringValue
            request.preconditionUID = options[path: ["preconditions", "uid"]]?.stringValue
            request.preconditionResourceVersion = options[path: ["preconditions", "resourceVersion"]]?.stringValue
        }
        request.dryRun = context.isDryRun
        let phase = pod[path: ["status", "phase"]]?.stringValue ?? ""
        let exempt = ["Succeeded", "Failed", "Pending"].contains(phase) || pod[path: ["metadata", "deletionTimestamp"]] != nil
        if !exempt, let pdbInfo = registry.lookup(.podDisruptionBudgets) {
            let labels = pod[path: ["metadata", "labels"]]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
            let budgets = store.list(pdbInfo.storageKey, namespace: namespace).items.map(\.object).filter { pdb in
                let selector = Self.selectorString(pdb[path: ["spec", "selector"]] ?? [:])
                return !selector.isEmpty && ((try? LabelSelector(parsing: selector))?.matches(labels) ?? false)
            }
            if budgets.count > 1 {
                throw Status(message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
                             reason: "InternalError", code: 500)
            }
            if let pdb = budgets.first, !Self.mayEvictUnready(pod, under: pdb) {
                try consumeDisruption(pdb, pdbInfo: pdbInfo, podName: name, dryRun: request.dryRun)
            }
        }
        try deleteObject(info, namespace: namespace, name: name, request: request)
        return Self.jsonResponse(201, ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": 201])
    }

    /// A pod that is not Ready counts for no budget, so evicting it consumes no disruption:
    /// always under `unhealthyPodEvictionPolicy: AlwaysAllow`, and under the default
    /// `IfHealthyBudget` when the budget is met without it (`currentHealthy >= desiredHealthy >
    /// 0`). `pkg/registry/core/pod/storage/eviction.go`, `EvictionREST.Create`. This is how a
    /// member crashing on a bad revision can be moved to a fixed one while the others serve.
    static func mayEvictUnready(_ pod: JSONValue, under pdb: JSONValue) -> Bool {
        let ready = (pod[path: ["status", "conditions"]]?.arrayValue ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
        if ready { return false }
        if pdb[path: ["spec", "unhealthyPodEvictionPolicy"]]?.stringValue == "AlwaysAllow" { return true }
        let current = pdb[path: ["status", "currentHealthy"]]?.intValue ?? 0
        let desired = pdb[path: ["status", "desiredHealthy"]]?.intValue ?? 0
        return current >= desired && desired > 0
    }

    private func consumeDisruption(_ pdb: JSONValue, pdbInfo: ResourceInfo, podName: String, dryRun: Bool) throws {
        let pdbName = pdb[path: ["metadata", "name"]]?.stringValue ?? ""
        let observed = pdb[path: ["status", "observedGeneration"]]?.intValue ?? 0
        if observed < (pdb[path: ["metadata", "generation"]]?.intValue ?? 1) {
            throw APIErrors.evictionPDBNotProcessed(pdbName: pdbName)
        }
        let allowed = pdb[path: ["status", "disruptionsAllowed"]]?.intValue ?? 0
        if allowed <= 0 {
            let desired = pdb[path: ["status", "desiredHealthy"]]?.intValue ?? 0
            let current = pdb[path: ["status", "currentHealthy"]]?.intValue ?? 0
            throw APIErrors.evictionBlocked(pdbName: pdbName, desiredHealthy: Int(desired), currentHealthy: Int(current))
        }
        if dryRun { return }
        var updated = pdb
        updated[path: ["status", "disruptionsAllowed"]] = .int(allowed - 1)
        updated[path: ["status", "disruptedPods", podName]] = .string(Self.timestamp())
        var warnings: [String] = []
        _ = try updateObject(pdbInfo, old: pdb, new: updated, subresource: "status",
                             precondition: pdb[path: ["metadata", "resourceVersion"]]?.stringValue,
                             options: .init(manager: "kube-apiserver"), warnings: &warnings)
    }
}
