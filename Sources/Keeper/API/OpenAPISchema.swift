import KubeModel

/// Small constructors for OpenAPI v3 structural schemas, as JSON values.
enum OpenAPISchema {
    static func object(_ properties: [String: JSONValue], required: [String] = [], description: String? = nil, default defaultValue: JSONValue? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        if let description { schema["description"] = .string(description) }
        if let defaultValue { schema["default"] = defaultValue }
        return schema
    }

    static func string(_ description: String? = nil, enum values: [String]? = nil, default defaultValue: String? = nil, minLength: Int? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "string"]
        if let description { schema["description"] = .string(description) }
        if let values { schema["enum"] = .array(values.map { .string($0) }) }
        if let defaultValue { schema["default"] = .string(defaultValue) }
        if let minLength { schema["minLength"] = .int(Int64(minLength)) }
        return schema
    }

    static func integer(_ description: String? = nil, format: String = "int32", minimum: Int? = nil, maximum: Int? = nil, default defaultValue: Int? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "integer", "format": .string(format)]
        if let description { schema["description"] = .string(description) }
        if let minimum { schema["minimum"] = .int(Int64(minimum)) }
        if let maximum { schema["maximum"] = .int(Int64(maximum)) }
        if let defaultValue { schema["default"] = .int(Int64(defaultValue)) }
        return schema
    }

    static func boolean(_ description: String? = nil, default defaultValue: Bool? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "boolean"]
        if let description { schema["description"] = .string(description) }
        if let defaultValue { schema["default"] = .bool(defaultValue) }
        return schema
    }

    static func array(of items: JSONValue, description: String? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "array", "items": items]
        if let description { schema["description"] = .string(description) }
        return schema
    }

    /// A map with string values (labels, annotations, zoo.cfg settings, quantities).
    static func stringMap(_ description: String? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "object", "additionalProperties": ["type": "string"]]
        if let description { schema["description"] = .string(description) }
        return schema
    }

    /// An object whose fields the schema does not list (a Kubernetes type Keeper passes on).
    static func opaqueObject(_ description: String) -> JSONValue {
        ["type": "object", "description": .string(description), "x-kubernetes-preserve-unknown-fields": true]
    }

    /// `metav1.Condition`.
    static var condition: JSONValue {
        object([
            "type": string("Available, Progressing or Degraded."),
            "status": string(enum: ["True", "False", "Unknown"]),
            "reason": string("Why, in CamelCase."),
            "message": string("Why, for people."),
            "lastTransitionTime": ["type": "string", "format": "date-time"],
            "observedGeneration": integer(format: "int64", minimum: 0),
        ], required: ["type", "status", "reason", "message", "lastTransitionTime"])
    }
}
