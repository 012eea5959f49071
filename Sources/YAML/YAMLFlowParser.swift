import KubeModel

/// Reads flow collections such as `[a, "b", 3]` and `{name: x, args: [--v, 2]}`.
struct YAMLFlowParser {
    private let text: [Character]
    private var position = 0
    private let line: Int

    /// Parses `text`, which must hold exactly one flow collection (and perhaps a comment).
    static func parse(_ text: [Character], line: Int) throws -> JSONValue {
        var parser = YAMLFlowParser(text: text, line: line)
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.position < text.count, text[parser.position] != "#" {
            throw YAMLError(line: line, message: "unexpected text after a flow collection")
        }
        return value
    }

    /// Whether every `[`/`{` outside quotes is closed: otherwise the collection continues on
    /// the next line.
    static func isBalanced(_ text: [Character]) -> Bool {
        var depth = 0
        var quote: Character?
        var position = 0
        while position < text.count {
            let character = text[position]
            if let open = quote {
                if open == "\"", character == "\\" { position += 2; continue }
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" || character == "{" {
                depth += 1
            } else if character == "]" || character == "}" {
                depth -= 1
            }
            position += 1
        }
        return depth <= 0
    }

    private init(text: [Character], line: Int) {
        self.text = text
        self.line = line
    }

    private mutating func parseValue() throws -> JSONValue {
        skipWhitespace()
        guard position < text.count else { throw error("unexpected end of a flow collection") }
        switch text[position] {
        case "[": return try parseSequence()
        case "{": return try parseMapping()
        case "\"", "'": return .string(try parseQuoted())
        case "&", "*", "!": throw error("anchors, aliases and tags are not supported")
        default: return YAMLScalars.resolvePlain(parsePlain())
        }
    }

    private mutating func parseSequence() throws -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        while true {
            skipWhitespace()
            guard position < text.count else { throw error("unterminated flow sequence") }
            if text[position] == "]" { position += 1; return .array(items) }
            items.append(try parseValue())
            skipWhitespace()
            guard position < text.count else { throw error("unterminated flow sequence") }
            if text[position] == "," { position += 1; continue }
            if text[position] == "]" { continue }
            throw error("expected ',' or ']' in a flow sequence")
        }
    }

    private mutating func parseMapping() throws -> JSONValue {
        position += 1
        var members: [String: JSONValue] = [:]
        while true {
            skipWhitespace()
            guard position < text.count else { throw error("unterminated flow mapping") }
            if text[position] == "}" { position += 1; return .object(members) }
            let key: String
            if text[position] == "\"" || text[position] == "'" {
                key = try parseQuoted()
            } else {
                key = parsePlain()
            }
            guard !key.isEmpty else { throw error("empty key in a flow mapping") }
            skipWhitespace()
            var value = JSONValue.null
            if position < text.count, text[position] == ":" {
                position += 1
                value = try parseValue()
                skipWhitespace()
            }
            members[key] = value
            guard position < text.count else { throw error("unterminated flow mapping") }
            if text[position] == "," { position += 1; continue }
            if text[position] == "}" { continue }
            throw error("expected ',' or '}' in a flow mapping")
        }
    }

    private mutating func parseQuoted() throws -> String {
        let (value, end) = try YAMLScalars.parseQuoted(Array(text[position...]), line: line)
        position += end
        return value
    }

    /// A plain scalar ends at `,`, `]`, `}`, or a `:` followed by a space or an indicator.
    private mutating func parsePlain() -> String {
        let start = position
        while position < text.count {
            let character = text[position]
            if ",]}".contains(character) { break }
            if character == ":", position + 1 == text.count || " \t,]}".contains(text[position + 1]) { break }
            if character == "#", position > start, text[position - 1] == " " { break }
            position += 1
        }
        return String(Array(text[start..<position]).trimmed)
    }

    private mutating func skipWhitespace() {
        while position < text.count, text[position] == " " || text[position] == "\t" { position += 1 }
    }

    private func error(_ message: String) -> YAMLError {
        YAMLError(line: line, message: message)
    }
}
