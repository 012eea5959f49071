import KubeModel

/// `/openapi/v2` and `/openapi/v3` documents that kubectl reads for validation,
/// `explain`, and to learn that the server takes `fieldValidation`.
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

    /// STUB: `/openapi/v3`: the index of group-versions, each with its `serverRelativeURL`.
    public static func v3Index(groupVersions: [String]) -> JSONValue { ["paths": [:]] }
    /// STUB: `/openapi/v3/apis/<group>/<version>` (or `api/v1`).
    public static func v3Document(groupVersion: String, resources: [Resource]) -> JSONValue { ["openapi": "3.0.0", "paths": [:], "components": ["schemas": [:]]] }
    /// STUB: `/openapi/v2` for all resources.
    public static func v2Document(resources: [Resource]) -> JSONValue { ["swagger": "2.0", "paths": [:], "definitions": [:]] }
}
