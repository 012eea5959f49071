import KubeModel

/// A parsed `labelSelector` query parameter (`a=b,c!=d,e in (f,g),!h,i`), with the grammar
/// and error messages of apimachinery's `labels.Parse`.
///
/// Requirements are ANDed. Operators: `=`, `==`, `!=`, `in`, `notin`, existence (`key`),
/// non-existence (`!key`), and the numeric `gt`/`lt` (`key>1`, `key<5`) the real parser
/// also accepts.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// One requirement of a selector.
    public struct Requirement: Sendable, Hashable {
        public enum Operator: String, Sendable, Hashable {
            case equals = "="
            case doubleEquals = "=="
            case notEquals = "!="
            case `in` = "in"
            case notIn = "notin"
            case exists = "exists"
            case doesNotExist = "!"
            case greaterThan = "gt"
            case lessThan = "lt"
        }

        public var key: String
        public var op: Operator
        public var values: [String]

        public init(key: String, op: Operator, values: [String] = []) {
            self.key = key
            self.op = op
            self.values = values
        }

        /// Whether `labels` satisfy this requirement (apimachinery `Requirement.Matches`).
        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch op {
            case .equals, .doubleEquals, .in:
                guard let value else { return false }
                return values.contains(value)
            case .notEquals, .notIn:
                guard let value else { return true }
                return !values.contains(value)
            case .exists:
                return value != nil
            case .doesNotExist:
                return value == nil
            case .greaterThan, .lessThan:
                guard let value, let have = Int64(value), let bound = values.first.flatMap({ Int64($0) }) else { return false }
                return op == .greaterThan ? have > bound : have < bound
            }
        }

        /// The canonical text form, as `Requirement.String()` writes it.
        public var description: String {
            switch op {
            case .exists: return key
            case .doesNotExist: return "!" + key
            case .equals, .doubleEquals, .notEquals: return key + op.rawValue + (values.first ?? "")
            case .greaterThan: return key + ">" + (values.first ?? "")
            case .lessThan: return key + "<" + (values.first ?? "")
            case .in, .notIn: return "\(key) \(op.rawValue) (\(values.sorted().joined(separator: ",")))"
            }
        }
    }

    /// The requirements, sorted by key as apimachinery keeps them.
    public private(set) var requirements: [Requirement]
    /// True for a selector that selects nothing (a `null` selector in an object: a PDB or
    /// Service without a selector selects no pods).
    public private(set) var matchesNothing = false

    /// Builds a selector from requirements.
    public init(requirements: [Requirement]) {
        self.requirements = requirements.sorted { $0.key < $1.key }
    }

    /// The selector that matches every set of labels.
    public static let everything = LabelSelector(requirements: [])
    /// The selector that matches nothing.
    public static var nothing: LabelSelector {
        var selector = LabelSelector(requirements: [])
        selector.matchesNothing = true
        return selector
    }

    /// Parses the query-parameter form. Throws a 400 `Status` (BadRequest) for bad syntax,
    /// with the parser's own wording (`found 'x', expected: ...`).
    public init(parsing text: String) throws {
        var parser = LabelSelectorParser(text: text)
        do {
            self.init(requirements: try parser.parse())
        } catch let error as SelectorSyntaxError {
            throw APIErrors.badRequest(error.message)
        }
    }

    /// Builds a selector from a `metav1.LabelSelector` JSON value (`matchLabels`,
    /// `matchExpressions` with `In`, `NotIn`, `Exists`, `DoesNotExist`), as
    /// `metav1.LabelSelectorAsSelector` does: `null` or absent selects nothing, `{}` selects
    /// everything. Throws a 400 `Status` for an unknown operator or missing values.
    public init(selector json: JSONValue?) throws {
        guard let json, json != .null else {
            self = .nothing
            return
        }
        var requirements: [Requirement] = []
        for (key, value) in json["matchLabels"]?.objectValue ?? [:] {
            requirements.append(Requirement(key: key, op: .equals, values: [value.stringValue ?? ""]))
        }
        for expression in json["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            let op: Requirement.Operator
            switch expression["operator"]?.stringValue ?? "" {
            case "In": op = .in
            case "NotIn": op = .notIn
            case "Exists": op = .exists
            case "DoesNotExist": op = .doesNotExist
            case let other: throw APIErrors.badRequest("\"\(other)\" is not a valid label selector operator")
            }
            if (op == .in || op == .notIn) && values.isEmpty {
                throw APIErrors.badRequest("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty")
            }
            requirements.append(Requirement(key: key, op: op, values: (op == .exists || op == .doesNotExist) ? [] : values))
        }
        self.init(requirements: requirements)
    }

    /// Whether every requirement holds for `labels`.
    public func matches(_ labels: [String: String]) -> Bool {
        if matchesNothing { return false }
        return requirements.allSatisfy { $0.matches(labels) }
    }

    /// Whether the labels of `object` (its `metadata.labels`) match.
    public func matches(object: JSONValue) -> Bool {
        let labels = (object[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        return matches(labels)
    }

    public var isEverything: Bool { !matchesNothing && requirements.isEmpty }

    /// The canonical form (`a=b,c in (d,e)`), as `Selector.String()` writes it; used for
    /// e.g. the scale subresource's `status.selector`.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }
}

/// A parsed `fieldSelector` query parameter (`metadata.name=x,involvedObject.uid=y,spec.nodeName!=`),
/// with the grammar and error message of apimachinery's `fields.ParseSelector`.
///
/// Permissive by design: the real server supports only a few fields per kind
/// (`metadata.name`, `metadata.namespace`, and e.g. `spec.nodeName`, `status.phase` for
/// pods, `involvedObject.*`, `reason`, `type` for events) and refuses others with
/// `field label not supported: <field>`; here any dotted path is read from the object's
/// JSON. A missing field reads as the empty string, numbers and booleans as their text.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    public struct Requirement: Sendable, Hashable {
        public var field: String
        public var equals: Bool
        public var value: String
    }

    public private(set) var requirements: [Requirement]

    /// Parses the query-parameter form. Throws a 400 `Status` (BadRequest) for bad syntax:
    /// `invalid selector: '<selector>'; can't understand '<term>'`.
    public init(parsing text: String) throws {
        requirements = []
        for term in Self.splitTerms(text) where !term.isEmpty {
            guard let requirement = Self.parseTerm(term) else {
                throw APIErrors.badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            requirements.append(requirement)
        }
    }

    /// Whether the object's fields satisfy every requirement.
    public func matches(_ object: JSONValue) -> Bool {
        requirements.allSatisfy { requirement in
            let actual = Self.fieldText(object[path: requirement.field.split(separator: ".").map(String.init)])
            return (actual == requirement.value) == requirement.equals
        }
    }

    public var isEverything: Bool { requirements.isEmpty }

    public var description: String {
        requirements.map { "\($0.field)\($0.equals ? "=" : "!=")\($0.value)" }.joined(separator: ",")
    }

    private static func fieldText(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: return ""
        }
    }

    /// Splits on commas not escaped by a backslash, keeping escapes for `parseTerm`.
    private static func splitTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                current.append(character)
                escaped = true
            } else if character == "," {
                terms.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        terms.append(current)
        return terms
    }

    /// `field!=value`, `field==value` or `field=value`, the first unescaped operator wins
    /// in that order as `fields.splitTerm` does.
    private static func parseTerm(_ term: String) -> Requirement? {
        let characters = Array(term)
        for (op, equals) in [("!=", false), ("==", true), ("=", true)] {
            let opCharacters = Array(op)
            var index = 0
            while index < characters.count {
                if characters[index] == "\\" { index += 2; continue }
                if index + opCharacters.count <= characters.count && Array(characters[index..<index + opCharacters.count]) == opCharacters {
                    let field = String(characters[..<index])
                    let value = unescape(String(characters[(index + opCharacters.count)...]))
                    guard !field.isEmpty, let value else { return nil }
                    return Requirement(field: field, equals: equals, value: value)
                }
                index += 1
            }
        }
        return nil
    }

    /// Undoes `\,`, `\=`, `\\`; any other escape is invalid, as in apimachinery.
    private static func unescape(_ text: String) -> String? {
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                guard character == "," || character == "=" || character == "\\" else { return nil }
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return escaped ? nil : result
    }
}
