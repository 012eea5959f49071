import Foundation
import KubeModel

/// kube-openapi's schema validator as apiextensions-apiserver uses it, reduced to the
/// keywords structural schemas allow, producing `field.Error`s the way
/// `kubeOpenAPIResultToFieldErrors` converts them. Messages are kube-openapi's
/// (`errors/schema.go`): `<path> in body should be greater than or equal to 1`.
struct SchemaValidator {
    private(set) var errors: [FieldError] = []

    /// Validators run in kube-openapi's order: type, allOf, string, format, number, slice,
    /// enum, object.
    mutating func check(_ value: JSONValue, _ schema: JSONValue, path: String) {
        let types: [String]
        if schema["x-kubernetes-int-or-string"]?.boolValue == true {
            types = ["integer", "string"]
        } else if let type = schema["type"]?.stringValue {
            types = [type]
        } else {
            types = []
        }
        let typeList = types.joined(separator: ",")
        if value == .null {
            if !types.isEmpty && schema["nullable"]?.boolValue != true {
                typeError(path, "null", typeList)
            }
            return
        }
        if !types.isEmpty && !types.contains(where: { Self.value(value, hasType: $0) }) {
            typeError(path, Self.typeName(of: value), typeList)
            return
        }
        for subschema in schema["allOf"]?.arrayValue ?? [] {
            check(value, subschema, path: path)
        }
        switch value {
        case .string(let text):
            checkString(text, schema, path: path)
        case .int, .double:
            checkNumber(value, schema, path: path)
        case .array(let items):
            checkArray(items, schema, path: path)
        default:
            break
        }
        checkEnum(value, schema, path: path)
        if case .object(let members) = value {
            checkObject(members, schema, path: path)
        }
    }

    private mutating func typeError(_ path: String, _ actual: String, _ expected: String) {
        // InvalidType with a string value: typeFailWithData; TypeInvalid keeps it as BadValue.
        errors.append(FieldError(.typeInvalid, field: path, badValue: .string(actual),
                                 detail: "\(path) in body must be of type \(expected): \(GoFormat.quote(actual))"))
    }

    static func typeName(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func value(_ value: JSONValue, hasType type: String) -> Bool {
        switch (type, value) {
        case ("integer", .int): return true
        case ("integer", .double(let number)): return number.rounded() == number
        case ("number", .int), ("number", .double): return true
        case ("string", .string), ("boolean", .bool), ("array", .array), ("object", .object): return true
        default: return false
        }
    }

    private mutating func checkString(_ text: String, _ schema: JSONValue, path: String) {
        let length = text.unicodeScalars.count
        if let maxLength = schema["maxLength"]?.intValue, length > maxLength {
            errors.append(.tooLong(path, maxLength: Int(maxLength)))
        }
        if let minLength = schema["minLength"]?.intValue, length < minLength {
            errors.append(.invalid(path, .string(text), "\(path) in body should be at least \(minLength) chars long"))
        }
        if let pattern = schema["pattern"]?.stringValue, !Self.matches(text, pattern: pattern) {
            errors.append(.invalid(path, .string(text), "\(path) in body should match '\(pattern)'"))
        }
        if let format = schema["format"]?.stringValue, !Self.matches(text, format: format) {
            errors.append(.invalid(path, .string(text), "\(path) in body must be of type \(format): \(GoFormat.quote(text))"))
        }
    }

    static func matches(_ text: String, pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return true }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.firstMatch(in: text, range: range) != nil
    }

    /// The cheap formats; unknown formats pass, as kube-openapi ignores unknown ones.
    static func matches(_ text: String, format: String) -> Bool {
        switch format {
        case "date-time":
            return matches(text, pattern: #"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"#)
        case "date":
            return matches(text, pattern: #"^\d{4}-\d{2}-\d{2}$"#)
        case "uuid":
            return matches(text, pattern: #"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"#)
        case "ipv4":
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 4 && parts.allSatisfy { part in
                guard let number = Int(part), part.count <= 3 else { return false }
                return (0...255).contains(number)
            }
        case "byte":
            return Data(base64Encoded: text) != nil
        default:
            return true
        }
    }

    private mutating func checkNumber(_ value: JSONValue, _ schema: JSONValue, path: String) {
        guard let number = value.doubleValue else { return }
        // Bounds print as the data's native type (ExceedsMinimumInt for integers).
        func bound(_ limit: JSONValue) -> String {
            if case .int = value, let integer = limit.intValue { return String(integer) }
            return GoFormat.float(limit.doubleValue ?? 0)
        }
        if let multipleOf = schema["multipleOf"], let factor = multipleOf.doubleValue, factor > 0 {
            let quotient = number / factor
            if quotient.rounded() != quotient {
                errors.append(.invalid(path, value, "\(path) in body should be a multiple of \(GoFormat.number(multipleOf))"))
            }
        }
        if let maximum = schema["maximum"], let limit = maximum.doubleValue {
            let exclusive = schema["exclusiveMaximum"]?.boolValue == true
            if exclusive ? number >= limit : number > limit {
                let text = exclusive ? "should be less than" : "should be less than or equal to"
                errors.append(.invalid(path, value, "\(path) in body \(text) \(bound(maximum))"))
            }
        }
        if let minimum = schema["minimum"], let limit = minimum.doubleValue {
            let exclusive = schema["exclusiveMinimum"]?.boolValue == true
            if exclusive ? number <= limit : number < limit {
                let text = exclusive ? "should be greater than" : "should be greater than or equal to"
                errors.append(.invalid(path, value, "\(path) in body \(text) \(bound(minimum))"))
            }
        }
    }

    private mutating func checkArray(_ items: [JSONValue], _ schema: JSONValue, path: String) {
        if let itemSchema = schema["items"], itemSchema.objectValue != nil {
            for (index, item) in items.enumerated() {
                check(item, itemSchema, path: "\(path)[\(index)]")
            }
        }
        if let minItems = schema["minItems"]?.intValue, items.count < minItems {
            errors.append(.invalid(path, .int(Int64(items.count)), "\(path) in body should have at least \(minItems) items"))
        }
        if let maxItems = schema["maxItems"]?.intValue, items.count > maxItems {
            errors.append(.tooMany(path, actual: items.count, max: Int(maxItems)))
        }
        if schema["uniqueItems"]?.boolValue == true, Set(items).count != items.count {
            errors.append(.invalid(path, "", "\(path) in body shouldn't contain duplicates"))
        }
    }

    private mutating func checkEnum(_ value: JSONValue, _ schema: JSONValue, path: String) {
        guard let allowed = schema["enum"]?.arrayValue, !allowed.isEmpty else { return }
        // Enum comparison in kube-openapi is by deep equality after JSON normalization.
        let normalized = value.doubleValue.map { JSONValue.double($0) } ?? value
        let matches = allowed.contains { candidate in
            (candidate.doubleValue.map { JSONValue.double($0) } ?? candidate) == normalized
        }
        if !matches {
            let names = allowed.map { candidate -> String in
                if let text = candidate.stringValue { return text }
                return String(decoding: candidate.serialized(), as: UTF8.self)
            }
            errors.append(.notSupported(path, value, supported: names))
        }
    }

    private mutating func checkObject(_ members: [String: JSONValue], _ schema: JSONValue, path: String) {
        func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        if let maxProperties = schema["maxProperties"]?.intValue, members.count > maxProperties {
            errors.append(.tooMany(path, actual: members.count, max: Int(maxProperties)))
        }
        if let minProperties = schema["minProperties"]?.intValue, members.count < minProperties {
            errors.append(.invalid(path, .int(Int64(members.count)), "\(path) in body should have at least \(minProperties) properties"))
        }
        for case .string(let key) in schema["required"]?.arrayValue ?? [] where members[key] == nil {
            errors.append(.required(child(key)))
        }
        for key in members.keys.sorted() {
            guard let value = members[key], let childSchema = StructuralSchema.childSchema(schema, key: key) else { continue }
            check(value, childSchema, path: child(key))
        }
    }
}
