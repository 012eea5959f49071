/// Errors of command-line parsing; `description` is the message to print (with usage).
public enum FlagError: Error, Equatable, CustomStringConvertible {
    case unknownFlag(String)
    case missingValue(String)
    case unexpectedValue(flag: String, value: String)
    case invalidValue(flag: String, value: String, expected: String)
    case duplicate(String)
    case unexpectedArgument(String)
    case unknownCommand(String)
    case missingCommand
    /// `-h` or `--help`: print the usage and exit 0.
    case helpRequested

    public var description: String {
        switch self {
        case .unknownFlag(let name): "unknown flag: --\(name)"
        case .missingValue(let name): "flag needs a value: --\(name)"
        case .unexpectedValue(let flag, let value): "flag --\(flag) takes no value (got \"\(value)\")"
        case .invalidValue(let flag, let value, let expected): "invalid value \"\(value)\" for --\(flag): expected \(expected)"
        case .duplicate(let name): "flag given more than once: --\(name)"
        case .unexpectedArgument(let argument): "unexpected argument: \(argument)"
        case .unknownCommand(let name): "unknown command: \(name)"
        case .missingCommand: "missing command"
        case .helpRequested: "help requested"
        }
    }
}

/// Parses `--flag value`, `--flag=value`, repeatable flags, booleans (`--verbose`,
/// `--verbose=false`) and positional arguments, and writes the usage text.
public struct FlagParser: Sendable {
    struct Definition: Sendable {
        var name: String
        var help: String
        var isBoolean: Bool
        var repeatable: Bool
        var defaultValue: String?
        var valueName: String
    }

    public let command: String
    public let summary: String
    private(set) var definitions: [Definition] = []
    private var positionalName: String?

    public init(command: String, summary: String) {
        self.command = command
        self.summary = summary
    }

    /// A flag that takes a value (`--port 8080` or `--port=8080`).
    public mutating func option(_ name: String, valueName: String = "VALUE", default defaultValue: String? = nil, repeatable: Bool = false, help: String) {
        definitions.append(Definition(name: name, help: help, isBoolean: false, repeatable: repeatable, defaultValue: defaultValue, valueName: valueName))
    }

    /// A boolean flag (`--verbose`, `--verbose=true|false`).
    public mutating func flag(_ name: String, help: String) {
        definitions.append(Definition(name: name, help: help, isBoolean: true, repeatable: false, defaultValue: nil, valueName: ""))
    }

    /// Allows positional arguments, shown as `name...` in the usage.
    public mutating func positional(_ name: String) { positionalName = name }

    public func parse(_ arguments: [String]) throws(FlagError) -> ParsedFlags {
        var values: [String: [String]] = [:]
        var positional: [String] = []
        var index = 0
        var onlyPositional = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositional || !argument.hasPrefix("-") || argument == "-" {
                guard positionalName != nil else { throw .unexpectedArgument(argument) }
                positional.append(argument)
                continue
            }
            if argument == "--" { onlyPositional = true; continue }
            if argument == "-h" || argument == "--help" { throw .helpRequested }
            let body = argument.drop(while: { $0 == "-" })
            let name: String
            var inlineValue: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inlineValue = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
            }
            guard let definition = definitions.first(where: { $0.name == name }) else { throw .unknownFlag(name) }
            let value: String
            if definition.isBoolean {
                value = inlineValue ?? "true"
                guard value == "true" || value == "false" else { throw .invalidValue(flag: name, value: value, expected: "true or false") }
            } else if let inlineValue {
                value = inlineValue
            } else {
                guard index < arguments.count else { throw .missingValue(name) }
                value = arguments[index]
                index += 1
            }
            if values[name] != nil && !definition.repeatable && !definition.isBoolean { throw .duplicate(name) }
            values[name, default: []].append(value)
        }
        var defaults: [String: String] = [:]
        for definition in definitions { if let value = definition.defaultValue { defaults[definition.name] = value } }
        return ParsedFlags(values: values, defaults: defaults, positional: positional)
    }

    /// The usage text: synopsis, summary, then one line per flag.
    public var usage: String {
        var text = "Usage: \(command) [flags]" + (positionalName.map { " [\($0)...]" } ?? "") + "\n\n\(summary)\n"
        if !definitions.isEmpty { text += "\nFlags:\n" }
        let rows = definitions.map { definition -> (String, String) in
            let left = "  --\(definition.name)" + (definition.isBoolean ? "" : " \(definition.valueName)")
            var right = definition.help
            if let value = definition.defaultValue { right += " (default \(value))" }
            if definition.repeatable { right += " (repeatable)" }
            return (left, right)
        } + [("  -h, --help", "show this help")]
        let width = rows.map(\.0.count).max() ?? 0
        for (left, right) in rows {
            text += left + String(repeating: " ", count: width - left.count + 2) + right + "\n"
        }
        return text
    }
}

/// The result of parsing: typed accessors with defaults applied.
public struct ParsedFlags: Sendable, Equatable {
    let values: [String: [String]]
    let defaults: [String: String]
    /// Arguments that are not flags, in order.
    public let positional: [String]

    /// The last value given for `name`, else its default.
    public func string(_ name: String) -> String? { values[name]?.last ?? defaults[name] }

    /// Every value of a repeatable flag, in order.
    public func strings(_ name: String) -> [String] { values[name] ?? [] }

    /// A boolean flag: true when given without a value or as `=true`.
    public func bool(_ name: String) -> Bool { values[name]?.last == "true" }

    /// Whether the flag appeared at all.
    public func isSet(_ name: String) -> Bool { values[name] != nil }

    public func int(_ name: String) throws(FlagError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else { throw .invalidValue(flag: name, value: text, expected: "an integer") }
        return value
    }

    public func double(_ name: String) throws(FlagError) -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text) else { throw .invalidValue(flag: name, value: text, expected: "a number") }
        return value
    }
}
