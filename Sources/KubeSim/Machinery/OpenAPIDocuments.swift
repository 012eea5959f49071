import KubeModel

/// `/openapi/v2` and `/openapi/v3` documents that kubectl reads for validation,
/// `explain`, and to learn that the server takes `fieldValidation`.
///
/// What kubectl 1.32 reads: `QueryParamVerifierV3` fetches `/openapi/v3`, follows the
/// group-version's `serverRelativeURL`, and looks for a path whose `patch` operation
/// carries `x-kubernetes-group-version-kind` for the kind and a `fieldValidation`
/// parameter; client-side `apply` uses a v3 schema for strategic merge patches only when
/// the PATCH request body lists `application/strategic-merge-patch+json` (we do not list
/// it, so kubectl computes those patches from its compiled-in types instead of from our
/// minimal schemas; the server still accepts them); `explain` reads
/// `components.schemas` entries with `x-kubernetes-group-version-kind`. kubectl fetches
/// `/openapi/v2` as protobuf only; the JSON v2 document is for other clients.
public enum OpenAPIDocuments {
    /// One served resource with, for custom resources, its schema.
    public struct Resource: Sendable {
        public var type: ResourceType
        public var schema: JSONValue?
        public var subresources: [String]

        public init(type: ResourceType, schema: JSONValue?, subresources: [String]) {
            self.type = type
            self.schema = schema
            self.subresources = subresources
        }
    }

    /// The `/openapi/v3` key of a group-version: `api/v1` for the core group,
    /// `apis/<group>/<version>` otherwise. Accepts `v1`, `apps/v1` or an already
    /// prefixed key.
    public static func v3Key(groupVersion: String) -> String {
        if groupVersion.hasPrefix("api/") || groupVersion.hasPrefix("apis/") { return groupVersion }
        return groupVersion.contains("/") ? "apis/\(groupVersion)" : "api/\(groupVersion)"
    }

    /// `/openapi/v3`: the index of group-versions, each with its `serverRelativeURL`.
    public static func v3Index(groupVersions: [String]) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for groupVersion in groupVersions {
            let key = v3Key(groupVersion: groupVersion)
            paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)")]
        }
        return ["paths": .object(paths)]
    }

    /// `/openapi/v3` with `?hash=` on each URL, derived from the documents' content so
    /// that clients caching by URL (kubectl does) see every change. Keys as `v3Key`.
    public static func v3Index(documents: [String: JSONValue]) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for (groupVersion, document) in documents {
            let key = v3Key(groupVersion: groupVersion)
            paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(hash(of: document))")]
        }
        return ["paths": .object(paths)]
    }

    /// A content hash (FNV-1a, 64 bits, uppercase hex) of a document's canonical JSON.
    public static func hash(of document: JSONValue) -> String {
        var value: UInt64 = 0xcbf29ce484222325
        for byte in document.serialized() {
            value ^= UInt64(byte)
            value = value &* 0x100000001b3
        }
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `/openapi/v3/apis/<group>/<version>` (or `api/v1`).
    public static func v3Document(groupVersion: String, resources: [Resource]) -> JSONValue {
        let builder = OpenAPIBuilder(refPrefix: "#/components/schemas/", v3: true)
        var paths: [String: JSONValue] = [:]
        var schemas = builder.metaSchemas()
        for resource in resources where resource.type.apiVersion == groupVersion || v3Key(groupVersion: resource.type.apiVersion) == v3Key(groupVersion: groupVersion) {
            builder.addPaths(for: resource, into: &paths)
            builder.addSchemas(for: resource, into: &schemas)
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0"], "paths": .object(paths),
                "components": ["schemas": .object(schemas)]]
    }

    /// `/openapi/v2` for all resources (JSON).
    public static func v2Document(resources: [Resource]) -> JSONValue {
        let builder = OpenAPIBuilder(refPrefix: "#/definitions/", v3: false)
        var paths: [String: JSONValue] = [:]
        var definitions = builder.metaSchemas()
        for resource in resources {
            builder.addPaths(for: resource, into: &paths)
            builder.addSchemas(for: resource, into: &definitions)
        }
        return ["swagger": "2.0", "info": ["title": "Kubernetes", "version": "v1.32.0"], "paths": .object(paths),
                "definitions": .object(definitions)]
    }

    /// The definition name of a kind: `io.k8s.api.apps.v1.StatefulSet` for built-ins,
    /// `dev.keeper.v1alpha1.ZookeeperCluster` (reversed group) for custom resources.
    public static func definitionName(group: String, version: String, kind: String, builtIn: Bool) -> String {
        if builtIn {
            switch group {
            case "": return "io.k8s.api.core.\(version).\(kind)"
            case "apiextensions.k8s.io": return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.\(version).\(kind)"
            default: return "io.k8s.api.\(group.split(separator: ".").first ?? "").\(version).\(kind)"
            }
        }
        return group.split(separator: ".").reversed().joined(separator: ".") + ".\(version).\(kind)"
    }
}
