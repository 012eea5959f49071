import Foundation
import KubeModel

/// Writes the core/v1 Events kube-controller-manager's controllers record on the objects they
/// manage, as client-go's recorder does: a new Event per (object, reason, message), except that
/// a repeated Warning (a create retried) bumps the existing one's `count` and `lastTimestamp`,
/// as `EventCorrelator` aggregates them.
struct ControllerEventRecorder: Sendable {
    /// `source.component` and `reportingComponent`: `statefulset-controller`, `deployment-controller`, ...
    var component: String
    /// The field manager the writes are made as.
    var manager: String

    func record(_ server: APIServer, on object: JSONValue, apiVersion: String, kind: String, type: String = "Normal",
                reason: String, message: String) {
        let now = APIServer.timestamp()
        let uid = object[path: ["metadata", "uid"]]
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue
        if type == "Warning", var existing = server.store.list(ResourceType.events.groupResource, namespace: namespace).items
            .map(\.object).last(where: {
                $0[path: ["involvedObject", "uid"]] == uid && $0["reason"]?.stringValue == reason && $0["message"]?.stringValue == message
                    && $0["type"]?.stringValue == type
            }) {
            existing["count"] = .int((existing["count"]?.intValue ?? 1) + 1)
            existing["lastTimestamp"] = .string(now)
            _ = try? server.storage.update(.events, existing, fieldManager: manager)
            return
        }
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string("\(name).\(suffix)"), "namespace": .string(namespace ?? "default")],
            "involvedObject": ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name),
                               "namespace": .string(namespace ?? "default"),
                               "uid": uid ?? "", "resourceVersion": object[path: ["metadata", "resourceVersion"]] ?? ""],
            "reason": .string(reason), "message": .string(message), "type": .string(type), "count": 1,
            "source": ["component": .string(component)], "firstTimestamp": .string(now), "lastTimestamp": .string(now),
            "reportingComponent": .string(component), "reportingInstance": "",
        ]
        _ = try? server.storage.create(.events, event, fieldManager: manager)
    }
}
