import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    /// `POST pods/<name>/binding`: assigns an unbound pod to a node, as the scheduler (or a
    /// kubelet binding pods to itself) does. Like kube-apiserver's `assignPod`: 409 when
    /// the pod is already bound or being deleted, the binding's annotations copied onto
    /// the pod, `PodScheduled` set True; the answer is a `Status` with code 201.
    func bind(_ info: ResourceInfo, _ context: RequestContext) throws -> HTTPResponse {
        guard let name = context.info.name else { throw StatusErrors.pathNotFound() }
        let binding = try context.decodeBody()
        if let bindingName = binding[path: ["metadata", "name"]]?.stringValue, !bindingName.isEmpty, bindingName != name {
            throw StatusErrors.badRequest("name in URL does not match name in Binding object")
        }
        let kind = binding[path: ["target", "kind"]]?.stringValue ?? ""
        let node = binding[path: ["target", "name"]]?.stringValue ?? ""
        var causes: [Status.Cause] = []
        if node.isEmpty { causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: "target.name")) }
        if !kind.isEmpty && kind != "Node" {
            causes.append(.init(reason: "FieldValueNotSupported", message: "Unsupported value: \"\(kind)\": supported values: \"Node\", \"<empty>\"", field: "target.kind"))
        }
        if !causes.isEmpty {
            throw APIErrors.invalid(kind: "Binding", group: "", name: name, causes: causes)
        }
        for _ in 0..<8 {
            let old = try live(info, namespace: context.namespace, name: name)
            if old[path: ["metadata", "deletionTimestamp"]] != nil {
                throw Self.bindingConflict(name, "pod \(name) is being deleted, cannot be assigned to a host")
            }
            if let expected = binding[path: ["metadata", "uid"]]?.stringValue, !expected.isEmpty,
               let uid = old[path: ["metadata", "uid"]]?.stringValue, expected != uid {
                throw Self.bindingConflict(name, "Precondition failed: UID in precondition: \(expected), UID in object meta: \(uid)")
            }
            if let bound = old[path: ["spec", "nodeName"]]?.stringValue, !bound.isEmpty {
                throw Self.bindingConflict(name, "pod \(name) is already assigned to node \"\(bound)\"")
            }
            var pod = old
            pod[path: ["spec", "nodeName"]] = .string(node)
            for (key, value) in binding[path: ["metadata", "annotations"]]?.objectValue ?? [:] {
                pod[path: ["metadata", "annotations", key]] = value
            }
            var conditions = pod[path: ["status", "conditions"]]?.arrayValue ?? []
            let now = Self.timestamp()
            if let index = conditions.firstIndex(where: { $0["type"] == "PodScheduled" }) {
                if conditions[index]["status"] != "True" {
                    conditions[index]["status"] = "True"
                    conditions[index]["lastTransitionTime"] = .string(now)
                    conditions[index]["reason"] = nil
                    conditions[index]["message"] = nil
                }
            } else {
                conditions.append(["type": "PodScheduled", "status": "True", "lastProbeTime": .null, "lastTransitionTime": .string(now)])
            }
            pod[path: ["status", "conditions"]] = .array(conditions)
            pod = ServerSideApply.recordUpdate(old: old, new: pod, manager: context.fieldManager, now: now)
            if context.isDryRun { break }
            do {
                _ = try store.update(info.storageKey, objectKey(info, namespace: context.namespace, name: name), pod,
                                     expectedRevision: old[path: ["metadata", "resourceVersion"]]?.stringValue)
                break
            } catch StoreError.conflict {
                continue
            } catch {
                throw storeError(error, info, name: name)
            }
        }
        return Self.jsonResponse(201, ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": 201])
    }

    private static func bindingConflict(_ name: String, _ message: String) -> Status {
        Status(message: "Operation cannot be fulfilled on pods/binding \"\(name)\": \(message)", reason: "Conflict",
               details: .init(name: name, group: "", kind: "pods/binding"), code: 409)
    }
}
