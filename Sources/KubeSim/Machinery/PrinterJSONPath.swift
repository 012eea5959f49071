import Foundation
import KubeModel

/// The JSONPath subset CRD `additionalPrinterColumns` use, evaluated as client-go's
/// `jsonpath` does for the server's table convertor: `.spec.replicas`,
/// `.status.conditions[?(@.type=="Available")].status`, `.items[0]`, `.items[-1]`,
/// `.items[*].name`, `['dotted.key']`. Results are in document order.
public struct PrinterJSONPath: Sendable, Hashable {
    enum Step: Sendable, Hashable {
        case field(String)
        case index(Int)
        case wildcard
        case filter(path: [String], equals: JSONValue?)
    }

    let steps: [Step]

    /// Parses a path; nil when it uses syntax outside the subset.
    public init?(_ text: String) {
        var steps: [Step] = []
        var rest = Substring(text.trimmingCharacters(in: ["{", "}", " "]))
        if rest.hasPrefix("$") { rest = rest.dropFirst() }
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                if name.isEmpty { return nil }
                steps.append(name == "*" ? .wildcard : .field(String(name)))
                rest = rest.dropFirst(name.count)
            } else if rest.hasPrefix("[") {
                guard let close = Self.closingBracket(in: rest) else { return nil }
                let inner = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                rest = rest[rest.index(after: close)...]
                if inner == "*" {
                    steps.append(.wildcard)
                } else if let index = Int(inner) {
                    steps.append(.index(index))
                } else if (inner.hasPrefix("'") && inner.hasSuffix("'")) || (inner.hasPrefix("\"") && inner.hasSuffix("\"")), inner.count >= 2 {
                    steps.append(.field(String(inner.dropFirst().dropLast())))
                } else if inner.hasPrefix("?(") && inner.hasSuffix(")") {
                    guard let filter = Self.parseFilter(String(inner.dropFirst(2).dropLast())) else { return nil }
                    steps.append(filter)
                } else {
                    return nil
                }
            } else {
                return nil
            }
        }
        self.steps = steps
    }

    private static func closingBracket(in text: Substring) -> Substring.Index? {
        var quote: Character?
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "]" {
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// `@.a.b=="v"`, `@.a==3`, or `@.a` (exists).
    private static func parseFilter(_ text: String) -> Step? {
        let parts = text.components(separatedBy: "==")
        let left = parts[0].trimmingCharacters(in: .whitespaces)
        guard left.hasPrefix("@.") else { return nil }
        let path = left.dropFirst(2).split(separator: ".").map(String.init)
        guard parts.count <= 2 else { return nil }
        if parts.count == 1 { return .filter(path: path, equals: nil) }
        let right = parts[1].trimmingCharacters(in: .whitespaces)
        let value: JSONValue
        if (right.hasPrefix("\"") && right.hasSuffix("\"")) || (right.hasPrefix("'") && right.hasSuffix("'")), right.count >= 2 {
            value = .string(String(right.dropFirst().dropLast()))
        } else if let integer = Int64(right) {
            value = .int(integer)
        } else if let number = Double(right) {
            value = .double(number)
        } else if right == "true" || right == "false" {
            value = .bool(right == "true")
        } else {
            return nil
        }
        return .filter(path: path, equals: value)
    }

    /// Every value the path selects.
    public func evaluate(_ root: JSONValue) -> [JSONValue] {
        var current = [root]
        for step in steps {
            var next: [JSONValue] = []
            for value in current {
                switch step {
                case .field(let name):
                    if let child = value[name] { next.append(child) }
                case .index(let index):
                    guard let items = value.arrayValue else { continue }
                    let position = index < 0 ? items.count + index : index
                    if items.indices.contains(position) { next.append(items[position]) }
                case .wildcard:
                    if let items = value.arrayValue { next.append(contentsOf: items) }
                    if let members = value.objectValue { next.append(contentsOf: members.keys.sorted().compactMap { members[$0] }) }
                case .filter(let path, let expected):
                    for item in value.arrayValue ?? [] {
                        guard let actual = item[path: path] else { continue }
                        if expected == nil || Self.equal(actual, expected) { next.append(item) }
                    }
                }
            }
            current = next
        }
        return current
    }

    private static func equal(_ actual: JSONValue, _ expected: JSONValue?) -> Bool {
        guard let expected else { return true }
        if let a = actual.doubleValue, let b = expected.doubleValue { return a == b }
        return actual == expected
    }

    /// How client-go's jsonpath prints a value (`fmt.Fprint` of the Go value): strings
    /// raw, numbers `%v`, maps `map[k:v]`, slices `[a b]`.
    public static func text(of value: JSONValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return GoFormat.float(number)
        case .string(let text): return text
        case .array(let items): return "[" + items.map(text(of:)).joined(separator: " ") + "]"
        case .object(let members):
            return "map[" + members.keys.sorted().map { "\($0):\(text(of: members[$0] ?? .null))" }.joined(separator: " ") + "]"
        }
    }
}
