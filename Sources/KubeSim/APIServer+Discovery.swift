import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    /// `/version`, `/api`, `/apis`, group-version resource lists, health and OpenAPI.
    func handleNonResource(_ request: HTTPRequest) throws -> HTTPResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        switch parts.first {
        case nil:
            let paths = ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v2", "/openapi/v3", "/readyz", "/version"]
                + registry.groups.filter { !$0.name.isEmpty }.flatMap { group in ["/apis/\(group.name)"] + group.versions.map { "/apis/\(group.name)/\($0)" } }
            return Self.jsonResponse(200, ["paths": .array(paths.sorted().map(JSONValue.string))])
        case "version":
            return Self.jsonResponse(200, versionInfo())
        case "healthz", "livez", "readyz":
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]), body: Data("ok".utf8))
        case "api":
            if parts.count == 1 {
                return Self.jsonResponse(200, ["kind": "APIVersions", "versions": ["v1"],
                                               "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string("127.0.0.1:\(port)")]]])
            }
            if parts.count == 2, parts[1] == "v1" { return Self.jsonResponse(200, resourceList(group: "", version: "v1")) }
        case "apis":
            if parts.count == 1 {
                let groups = registry.groups.filter { !$0.name.isEmpty }.map { groupDocument($0.name, $0.versions) }
                return Self.jsonResponse(200, ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)])
            }
            if let group = registry.groups.first(where: { $0.name == parts[1] && !$0.name.isEmpty }) {
                if parts.count == 2 {
                    var document = groupDocument(group.name, group.versions)
                    document["kind"] = "APIGroup"
                    document["apiVersion"] = "v1"
                    return Self.jsonResponse(200, document)
                }
                if parts.count == 3, group.versions.contains(parts[2]) {
                    return Self.jsonResponse(200, resourceList(group: group.name, version: parts[2]))
                }
            }
        case "openapi":
            return try openAPI(parts)
        default:
            break
        }
        throw StatusErrors.pathNotFound()
    }

    private func versionInfo() -> JSONValue {
        let version = configuration.kubernetesVersion
        let numbers = version.dropFirst().split(separator: ".")
        return ["major": .string(numbers.first.map(String.init) ?? "1"), "minor": .string(numbers.dropFirst().first.map(String.init) ?? "32"),
                "gitVersion": .string(version), "gitCommit": "kube-sim", "gitTreeState": "clean",
                "buildDate": "2024-12-11T00:00:00Z", "goVersion": "go1.23.4", "compiler": "gc", "platform": "linux/amd64"]
    }

    private func groupDocument(_ name: String, _ versions: [String]) -> JSONValue {
        let entries: [JSONValue] = versions.map { ["groupVersion": .string("\(name)/\($0)"), "version": .string($0)] }
        return ["name": .string(name), "versions": .array(entries), "preferredVersion": entries.first ?? [:]]
    }

    /// An `APIResourceList` with subresources as `plural/sub` entries, as kubectl expects.
    private func resourceList(group: String, version: String) -> JSONValue {
        var resources: [JSONValue] = []
        for info in registry.resources(group: group, version: version) {
            var entry: JSONValue = ["name": .string(info.type.plural), "singularName": .string(info.singular),
                                    "namespaced": .bool(info.type.namespaced), "kind": .string(info.type.kind),
                                    "verbs": .array(info.verbs.map(JSONValue.string))]
            if !info.shortNames.isEmpty { entry["shortNames"] = .array(info.shortNames.map(JSONValue.string)) }
            if !info.categories.isEmpty { entry["categories"] = .array(info.categories.map(JSONValue.string)) }
            entry["storageVersionHash"] = .string(Self.storageVersionHash(info))
            resources.append(entry)
            if info.statusSubresource {
                resources.append(["name": .string("\(info.type.plural)/status"), "singularName": "", "namespaced": .bool(info.type.namespaced),
                                  "kind": .string(info.type.kind), "verbs": ["get", "patch", "update"]])
            }
            if info.scale != nil {
                resources.append(["name": .string("\(info.type.plural)/scale"), "singularName": "", "namespaced": .bool(info.type.namespaced),
                                  "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]])
            }
            if info.otherSubresources.contains("token") {
                resources.append(["name": .string("\(info.type.plural)/token"), "singularName": "", "namespaced": .bool(info.type.namespaced),
                                  "group": "authentication.k8s.io", "version": "v1", "kind": "TokenRequest", "verbs": ["create"]])
            }
            if info.otherSubresources.contains("eviction") {
                resources.append(["name": .string("\(info.type.plural)/eviction"), "singularName": "", "namespaced": .bool(info.type.namespaced),
                                  "group": "policy", "version": "v1", "kind": "Eviction", "verbs": ["create"]])
            }
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion), "resources": .array(resources)]
    }

    /// A stable short hash, like the real server's base64 of a sha256 prefix.
    private static func storageVersionHash(_ info: ResourceInfo) -> String {
        var hash: UInt64 = 1469598103934665603
        for byte in "\(info.type.group)/\(info.type.version)/\(info.type.kind)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 1099511628211
        }
        return Data(withUnsafeBytes(of: hash.bigEndian) { Array($0) }).base64EncodedString()
    }

    private func openAPIResources() -> [OpenAPIDocuments.Resource] {
        registry.groups.flatMap { group in
            group.versions.flatMap { version in
                registry.resources(group: group.name, version: version).map { info in
                    var subresources: [String] = []
                    if info.statusSubresource { subresources.append("status") }
                    if info.scale != nil { subresources.append("scale") }
                    subresources += info.otherSubresources
                    return OpenAPIDocuments.Resource(type: info.type, schema: info.schema?.schema, subresources: subresources)
                }
            }
        }
    }

    private func openAPI(_ parts: [String]) throws -> HTTPResponse {
        guard parts.count >= 2 else { throw StatusErrors.pathNotFound() }
        if parts[1] == "v2" {
            return Self.jsonResponse(200, OpenAPIDocuments.v2Document(resources: openAPIResources()))
        }
        guard parts[1] == "v3" else { throw StatusErrors.pathNotFound() }
        let groupVersions = registry.groups.flatMap { group in
            group.versions.map { group.name.isEmpty ? "api/\($0)" : "apis/\(group.name)/\($0)" }
        }
        if parts.count == 2 {
            return Self.jsonResponse(200, OpenAPIDocuments.v3Index(groupVersions: groupVersions))
        }
        let requested = parts.dropFirst(2).joined(separator: "/")
        guard groupVersions.contains(requested) else { throw StatusErrors.pathNotFound() }
        let resources = openAPIResources().filter { resource in
            (resource.type.group.isEmpty ? "api/\(resource.type.version)" : "apis/\(resource.type.group)/\(resource.type.version)") == requested
        }
        return Self.jsonResponse(200, OpenAPIDocuments.v3Document(groupVersion: requested, resources: resources))
    }
}
