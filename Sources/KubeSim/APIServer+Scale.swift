import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    /// The `autoscaling/v1` Scale view of an object.
    func scaleObject(_ object: JSONValue, _ info: ResourceInfo) -> JSONValue {
        guard let spec = info.scale else { return [:] }
        var metadata: JSONValue = [:]
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            metadata[field] = object[path: ["metadata", field]]
        }
        var status: JSONValue = ["replicas": object[path: spec.statusReplicasPath] ?? 0]
        if let selectorPath = spec.labelSelectorPath {
            if let selector = object[path: selectorPath]?.stringValue { status["selector"] = .string(selector) }
        } else if let selector = object[path: ["spec", "selector"]] {
            status["selector"] = .string(Self.selectorString(selector))
        }
        return ["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": metadata,
                "spec": ["replicas": object[path: spec.specReplicasPath] ?? 0], "status": status]
    }

    /// `metav1.FormatLabelSelector`: `a=b,c in (d,e)` from a LabelSelector object.
    static func selectorString(_ selector: JSONValue) -> String {
        var parts: [String] = []
        for (key, value) in (selector["matchLabels"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            parts.append("\(key)=\(value.stringValue ?? "")")
        }
        for expression in selector["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
            switch expression["operator"]?.stringValue {
            case "In": parts.append("\(key) in (\(values.joined(separator: ",")))")
            case "NotIn": parts.append("\(key) notin (\(values.joined(separator: ",")))")
            case "Exists": parts.append(key)
            case "DoesNotExist": parts.append("!\(key)")
            default: break
            }
        }
        return parts.isEmpty ? "" : parts.joined(separator: ",")
    }

    func getScale(_ info: ResourceInfo, _ context: RequestContext) throws -> HTTPResponse {
        guard let name = context.info.name else { throw StatusErrors.pathNotFound() }
        return Self.jsonResponse(200, scaleObject(try live(info, namespace: context.namespace, name: name), info))
    }

    func updateScale(_ info: ResourceInfo, _ context: RequestContext) throws -> HTTPResponse {
        guard let name = context.info.name else { throw StatusErrors.pathNotFound() }
        let scale = try context.decodeBody()
        let old = try live(info, namespace: context.namespace, name: name)
        return try writeScale(info, old: old, scale: scale, precondition: scale[path: ["metadata", "resourceVersion"]]?.stringValue, context: context)
    }

    func patchScale(_ info: ResourceInfo, _ context: RequestContext) throws -> HTTPResponse {
        guard let name = context.info.name else { throw StatusErrors.pathNotFound() }
        let patch = try context.decodeBody()
        let contentType = Self.mediaType(context.http.headers["Content-Type"])
        for _ in 0..<8 {
            let old = try live(info, namespace: context.namespace, name: name)
            var options = WriteOptions(context)
            // The Scale kind is built in, so a strategic merge patch is accepted even for a custom resource.
            let scaleInfo = ResourceInfo(type: ResourceType(group: "autoscaling", version: "v1", kind: "Scale", plural: "scale", namespaced: true), singular: "")
            let patched = try applyPatch(patch, contentType: contentType, to: scaleObject(old, info), info: scaleInfo, force: true, options: &options)
            do {
                return try writeScale(info, old: old, scale: patched, precondition: patch[path: ["metadata", "resourceVersion"]]?.stringValue, context: context)
            } catch let status as Status where status.reason == "Conflict" && patch[path: ["metadata", "resourceVersion"]] == nil {
                continue
            }
        }
        throw StatusErrors.conflict(info, name: name)
    }

    private func writeScale(_ info: ResourceInfo, old: JSONValue, scale: JSONValue, precondition: String?, context: RequestContext) throws -> HTTPResponse {
        guard let spec = info.scale else { throw StatusErrors.pathNotFound() }
        guard let replicas = scale[path: ["spec", "replicas"]]?.intValue else {
            throw Status(message: "Scale.autoscaling \"\(old[path: ["metadata", "name"]]?.stringValue ?? "")\" is invalid: spec.replicas: Required value",
                         reason: "Invalid", code: 422)
        }
        if replicas < 0 {
            let name = old[path: ["metadata", "name"]]?.stringValue ?? ""
            throw Status(message: "Scale.autoscaling \"\(name)\" is invalid: spec.replicas: Invalid value: \(replicas): must be greater than or equal to 0",
                         reason: "Invalid", details: .init(name: name, group: "autoscaling", kind: "Scale",
                                                           causes: [.init(reason: "FieldValueInvalid", message: "Invalid value: \(replicas): must be greater than or equal to 0", field: "spec.replicas")]), code: 422)
        }
        var new = old
        new[path: spec.specReplicasPath] = .int(replicas)
        var warnings: [String] = []
        let updated = try updateObject(info, old: old, new: new, subresource: nil, precondition: precondition,
                                       options: WriteOptions(context), warnings: &warnings)
        return Self.jsonResponse(200, scaleObject(updated, info), warnings: warnings)
    }
}
