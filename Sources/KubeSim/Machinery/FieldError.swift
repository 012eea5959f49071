import KubeModel

/// apimachinery's `field.Error`: one validation failure, rendered into a `Status.Cause`
/// exactly as `NewInvalid` renders it (reason = error type, message = `ErrorBody()`).
public struct FieldError: Sendable, Hashable {
    /// `field.ErrorType`: the cause reason and its human label.
    public enum Kind: String, Sendable, Hashable {
        case required = "FieldValueRequired"
        case invalid = "FieldValueInvalid"
        case typeInvalid = "FieldValueTypeInvalid"
        case notSupported = "FieldValueNotSupported"
        case duplicate = "FieldValueDuplicate"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case tooMany = "FieldValueTooMany"
        case notFound = "FieldValueNotFound"
        case internalError = "InternalError"

        var label: String {
            switch self {
            case .required: return "Required value"
            case .invalid, .typeInvalid: return "Invalid value"
            case .notSupported: return "Unsupported value"
            case .duplicate: return "Duplicate value"
            case .forbidden: return "Forbidden"
            case .tooLong: return "Too long"
            case .tooMany: return "Too many"
            case .notFound: return "Not found"
            case .internalError: return "Internal error"
            }
        }
    }

    public var kind: Kind
    public var field: String
    /// The offending value; nil where the message leaves it out.
    public var badValue: JSONValue?
    public var detail: String
    /// The bad value as Go prints a struct, slice or map (`%#v`, e.g.
    /// `[]string{"10.96.0.5"}`); when set it replaces `badValue` in the message.
    public var goValue: String?

    public init(_ kind: Kind, field: String, badValue: JSONValue? = nil, detail: String = "", goValue: String? = nil) {
        self.kind = kind
        self.field = field
        self.badValue = badValue
        self.detail = detail
        self.goValue = goValue
    }

    /// `ErrorBody()`: `Invalid value: 0: <detail>`, `Required value`, ...
    public var body: String {
        var text = kind.label
        switch kind {
        case .required, .forbidden, .tooLong, .internalError:
            break
        default:
            if let goValue {
                text += ": " + goValue
            } else if let badValue {
                text += ": " + GoFormat.badValue(badValue)
            }
        }
        if !detail.isEmpty { text += ": " + detail }
        return text
    }

    /// `field: body`, as `Error()` prints it.
    public var description: String { "\(field): \(body)" }

    public var cause: Status.Cause {
        Status.Cause(reason: kind.rawValue, message: body, field: field)
    }

    /// `field.Required`.
    public static func required(_ field: String, detail: String = "") -> FieldError {
        FieldError(.required, field: field, detail: detail)
    }

    /// `field.Invalid`.
    public static func invalid(_ field: String, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(.invalid, field: field, badValue: value, detail: detail)
    }

    /// `field.NotSupported`: `Unsupported value: "x": supported values: "a", "b"`.
    public static func notSupported(_ field: String, _ value: JSONValue, supported: [String]) -> FieldError {
        let detail = supported.isEmpty ? "" : "supported values: " + supported.map(GoFormat.quote).joined(separator: ", ")
        return FieldError(.notSupported, field: field, badValue: value, detail: detail)
    }

    /// `field.TooLong`: `Too long: may not be more than 5 bytes`.
    public static func tooLong(_ field: String, maxLength: Int) -> FieldError {
        let detail = maxLength >= 0 ? "may not be more than \(maxLength) \(maxLength == 1 ? "byte" : "bytes")" : "value is too long"
        return FieldError(.tooLong, field: field, detail: detail)
    }

    /// `field.TooMany`: `Too many: 4: must have at most 3 items`.
    public static func tooMany(_ field: String, actual: Int, max: Int) -> FieldError {
        let detail = max >= 0 ? "must have at most \(max) \(max == 1 ? "item" : "items")" : "has too many items"
        return FieldError(.tooMany, field: field, badValue: actual >= 0 ? .int(Int64(actual)) : nil, detail: detail)
    }

    /// `field.Invalid` with a value Go prints with `%#v`.
    public static func invalid(_ field: String, goValue: String, _ detail: String) -> FieldError {
        FieldError(.invalid, field: field, detail: detail, goValue: goValue)
    }

    /// `field.Duplicate`: `Duplicate value: "client"`.
    public static func duplicate(_ field: String, _ value: JSONValue) -> FieldError {
        FieldError(.duplicate, field: field, badValue: value)
    }

    /// `field.NotFound`: `Not found: "data"`.
    public static func notFound(_ field: String, _ value: JSONValue) -> FieldError {
        FieldError(.notFound, field: field, badValue: value)
    }

    /// `field.Forbidden`.
    public static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(.forbidden, field: field, detail: detail)
    }
}

extension APIErrors {
    /// `NewInvalid` from field errors.
    public static func invalid(kind: String, group: String, name: String, errors: [FieldError]) -> Status {
        invalid(kind: kind, group: group, name: name, causes: errors.map(\.cause))
    }
}
