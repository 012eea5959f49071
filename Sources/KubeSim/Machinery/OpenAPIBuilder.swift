import Foundation
import KubeModel

/// Builds the paths and schemas of the OpenAPI documents, in v3 or v2 style.
struct OpenAPIBuilder {
    let refPrefix: String
    let v3: Bool

    static let metaPrefix = "io.k8s.apimachinery.pkg.apis.meta.v1."

    func ref(_ name: String) -> JSONValue { ["$ref": .string(refPrefix + name)] }

    func gvk(_ type: ResourceType, kind: String? = nil) -> JSONValue {
        ["group": .string(type.group), "version": .string(type.version), "kind": .string(kind ?? type.kind)]
    }

    func parameter(_ name: String, in location: String, _ description: String, required: Bool = false) -> JSONValue {
        var parameter: [String: JSONValue] = ["name": .string(name), "in": .string(location), "description": .string(description)]
        if required { parameter["required"] = true }
        if v3 { parameter["schema"] = ["type": "string", "uniqueItems": true] } else { parameter["type"] = "string"; parameter["uniqueItems"] = true }
        return .object(parameter)
    }

    var dryRun: JSONValue { parameter("dryRun", in: "query", "When present, indicates that modifications should not be persisted.") }
    var fieldManager: JSONValue { parameter("fieldManager", in: "query", "fieldManager is a name associated with the actor or entity that is making these changes.") }
    var fieldValidation: JSONValue {
        parameter("fieldValidation", in: "query", "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict")
    }
    var force: JSONValue { parameter("force", in: "query", "Force is going to \"force\" Apply requests.") }

    /// Patch types listed for PATCH bodies: not strategic merge patch (see
    /// `OpenAPIDocuments`), so kubectl falls back to its compiled-in patch metadata.
    static let patchTypes = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]

    func operation(_ verb: String, action: String, kind: String, type: ResourceType, gvkKind: String? = nil, responseSchema: String,
                   parameters: [JSONValue], body: String? = nil, builtIn: Bool = false) -> JSONValue {
        var operation: [String: JSONValue] = [
            "description": .string("\(action) \(kind)"),
            "operationId": .string(verb),
            "parameters": .array(parameters),
            "x-kubernetes-action": .string(action),
            "x-kubernetes-group-version-kind": gvk(type, kind: gvkKind),
        ]
        operation["tags"] = [.string(type.group.isEmpty ? "core_\(type.version)" : "\(type.group.replacingDots)_\(type.version)")]
        if v3 {
            operation["responses"] = ["200": ["description": "OK", "content": ["application/json": ["schema": ref(responseSchema)]]]]
            if let body {
                let types = body == OpenAPIBuilder.metaPrefix + "Patch" ? OpenAPIBuilder.patchTypes : ["application/json"]
                var content: [String: JSONValue] = [:]
                for type in types { content[type] = ["schema": ref(body)] }
                operation["requestBody"] = ["content": .object(content), "required": true]
            }
        } else {
            operation["responses"] = ["200": ["description": "OK", "schema": ref(responseSchema)]]
            operation["produces"] = ["application/json", "application/yaml"]
            if let body {
                operation["parameters"] = .array(parameters + [["name": "body", "in": "body", "required": true, "schema": ref(body)]])
                if body == OpenAPIBuilder.metaPrefix + "Patch" {
                    // v2 lists what the server really accepts (kubectl does not read JSON v2).
                    operation["consumes"] = .array(OpenAPIBuilder.patchTypes.map(JSONValue.string) + (builtIn ? ["application/strategic-merge-patch+json"] : []))
                }
            }
        }
        return .object(operation)
    }

    func isBuiltIn(_ resource: OpenAPIDocuments.Resource) -> Bool { resource.schema == nil }

    func definition(_ resource: OpenAPIDocuments.Resource, list: Bool = false) -> String {
        OpenAPIDocuments.definitionName(group: resource.type.group, version: resource.type.version,
                                        kind: resource.type.kind + (list ? "List" : ""), builtIn: isBuiltIn(resource))
    }

    func addPaths(for resource: OpenAPIDocuments.Resource, into paths: inout [String: JSONValue]) {
        let type = resource.type
        let base = type.group.isEmpty ? "/api/\(type.version)" : "/apis/\(type.group)/\(type.version)"
        let prefix = type.namespaced ? "\(base)/namespaces/{namespace}/\(type.plural)" : "\(base)/\(type.plural)"
        let idBase = type.group.isEmpty ? "Core" : type.group.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        let id = idBase + type.version.prefix(1).uppercased() + type.version.dropFirst() + (type.namespaced ? "Namespaced" : "") + type.kind
        let object = definition(resource)
        let pathParameters: [JSONValue] = (type.namespaced ? [parameter("namespace", in: "path", "object name and auth scope, such as for teams and projects", required: true)] : [])
            + [parameter("pretty", in: "query", "If 'true', then the output is pretty printed.")]
        let namePathParameter = parameter("name", in: "path", "name of the \(type.kind)", required: true)

        var collection: [String: JSONValue] = ["parameters": .array(pathParameters)]
        collection["get"] = operation("list\(id)", action: "list", kind: type.kind, type: type, responseSchema: definition(resource, list: true), parameters: [])
        collection["post"] = operation("create\(id)", action: "post", kind: type.kind, type: type, responseSchema: object,
                                       parameters: [dryRun, fieldManager, fieldValidation], body: object)
        paths[prefix] = .object(collection)

        var item: [String: JSONValue] = ["parameters": .array([namePathParameter] + pathParameters)]
        item["get"] = operation("read\(id)", action: "get", kind: type.kind, type: type, responseSchema: object, parameters: [])
        item["put"] = operation("replace\(id)", action: "put", kind: type.kind, type: type, responseSchema: object,
                                parameters: [dryRun, fieldManager, fieldValidation], body: object)
        item["patch"] = operation("patch\(id)", action: "patch", kind: type.kind, type: type, responseSchema: object,
                                  parameters: [dryRun, fieldManager, fieldValidation, force], body: OpenAPIBuilder.metaPrefix + "Patch",
                                  builtIn: isBuiltIn(resource))
        item["delete"] = operation("delete\(id)", action: "delete", kind: type.kind, type: type, responseSchema: OpenAPIBuilder.metaPrefix + "Status",
                                   parameters: [dryRun], body: OpenAPIBuilder.metaPrefix + "DeleteOptions")
        paths["\(prefix)/{name}"] = .object(item)

        for subresource in resource.subresources {
            let scale = subresource == "scale"
            let suffix = scale ? "Scale" : subresource.prefix(1).uppercased() + subresource.dropFirst()
            let schema = scale ? "io.k8s.api.autoscaling.v1.Scale" : object
            let subType = scale ? ResourceType(group: "autoscaling", version: "v1", kind: "Scale", plural: type.plural, namespaced: type.namespaced) : type
            var sub: [String: JSONValue] = ["parameters": .array([namePathParameter] + pathParameters)]
            sub["get"] = operation("read\(id)\(suffix)", action: "get", kind: subType.kind, type: subType, responseSchema: schema, parameters: [])
            sub["put"] = operation("replace\(id)\(suffix)", action: "put", kind: subType.kind, type: subType, responseSchema: schema,
                                   parameters: [dryRun, fieldManager, fieldValidation], body: schema)
            sub["patch"] = operation("patch\(id)\(suffix)", action: "patch", kind: subType.kind, type: subType, responseSchema: schema,
                                     parameters: [dryRun, fieldManager, fieldValidation, force], body: OpenAPIBuilder.metaPrefix + "Patch",
                                  builtIn: isBuiltIn(resource))
            paths["\(prefix)/{name}/\(subresource)"] = .object(sub)
        }
        if type.namespaced {
            paths["\(base)/\(type.plural)"] = ["get": operation("list\(id.replacingOccurrences(of: "Namespaced", with: ""))ForAllNamespaces", action: "list",
                                                                 kind: type.kind, type: type, responseSchema: definition(resource, list: true), parameters: [])]
        }
    }

    func addSchemas(for resource: OpenAPIDocuments.Resource, into schemas: inout [String: JSONValue]) {
        let type = resource.type
        var schema = resource.schema ?? ["type": "object", "description": .string("\(type.kind) (kube-sim minimal schema)"),
                                         "properties": ["spec": ["type": "object"], "status": ["type": "object"]]]
        schema["properties"]?["apiVersion"] = ["type": "string", "description": "APIVersion defines the versioned schema of this representation of an object."]
        schema["properties"]?["kind"] = ["type": "string", "description": "Kind is a string value representing the REST resource this object represents."]
        schema["properties"]?["metadata"] = v3
            ? ["description": "Standard object's metadata.", "allOf": [ref(OpenAPIBuilder.metaPrefix + "ObjectMeta")], "default": [:]]
            : ref(OpenAPIBuilder.metaPrefix + "ObjectMeta")
        schema["x-kubernetes-group-version-kind"] = [gvk(type)]
        schemas[definition(resource)] = schema
        schemas[definition(resource, list: true)] = [
            "type": "object", "required": ["items"], "description": .string("\(type.kind)List is a list of \(type.kind)"),
            "properties": ["apiVersion": ["type": "string"], "kind": ["type": "string"],
                           "items": ["type": "array", "items": ref(definition(resource))],
                           "metadata": ref(OpenAPIBuilder.metaPrefix + "ListMeta")],
            "x-kubernetes-group-version-kind": [gvk(type, kind: type.kind + "List")],
        ]
        if resource.subresources.contains("scale") {
            schemas["io.k8s.api.autoscaling.v1.Scale"] = [
                "type": "object", "description": "Scale represents a scaling request for a resource.",
                "properties": ["apiVersion": ["type": "string"], "kind": ["type": "string"], "metadata": ref(OpenAPIBuilder.metaPrefix + "ObjectMeta"),
                               "spec": ["type": "object", "properties": ["replicas": ["type": "integer", "format": "int32"]]],
                               "status": ["type": "object", "properties": ["replicas": ["type": "integer", "format": "int32"], "selector": ["type": "string"]]]],
                "x-kubernetes-group-version-kind": [["group": "autoscaling", "kind": "Scale", "version": "v1"]],
            ]
        }
    }

    /// ObjectMeta, ListMeta, Status, Patch and DeleteOptions, minimal.
    func metaSchemas() -> [String: JSONValue] {
        let string: JSONValue = ["type": "string"]
        let stringMap: JSONValue = ["type": "object", "additionalProperties": ["type": "string", "default": ""]]
        let p = OpenAPIBuilder.metaPrefix
        return [
            p + "ObjectMeta": ["type": "object", "description": "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
                               "properties": ["name": string, "namespace": string, "generateName": string, "uid": string, "resourceVersion": string,
                                              "generation": ["type": "integer", "format": "int64"], "creationTimestamp": ["type": "string", "format": "date-time"],
                                              "deletionTimestamp": ["type": "string", "format": "date-time"], "labels": stringMap, "annotations": stringMap,
                                              "finalizers": ["type": "array", "items": string], "ownerReferences": ["type": "array", "items": ["type": "object"]],
                                              "managedFields": ["type": "array", "items": ["type": "object"]]]],
            p + "ListMeta": ["type": "object", "properties": ["resourceVersion": string, "continue": string, "remainingItemCount": ["type": "integer", "format": "int64"]]],
            p + "Status": ["type": "object", "properties": ["status": string, "message": string, "reason": string, "code": ["type": "integer", "format": "int32"]],
                           "x-kubernetes-group-version-kind": [["group": "", "kind": "Status", "version": "v1"]]],
            p + "Patch": ["type": "object", "description": "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body."],
            p + "DeleteOptions": ["type": "object", "properties": ["propagationPolicy": string, "gracePeriodSeconds": ["type": "integer", "format": "int64"]]],
        ]
    }
}

extension String {
    var replacingDots: String { replacingOccurrences(of: ".", with: "_") }
}
