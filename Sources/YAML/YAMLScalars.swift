import KubeModel

/// Scalar-level rules of the YAML reader: comments, quoting, escapes, folding and the
/// YAML 1.2 core schema's type resolution of plain scalars.
enum YAMLScalars {
    /// Removes a trailing `# comment` (a `#` at the start or after whitespace, outside quotes)
    /// and trailing whitespace.
    static func stripComment(_ text: [Character]) -> [Character] {
        var quote: Character?
        var position = 0
        while position < text.count {
            let character = text[position]
            if let open = quote {
                if open == "\"", character == "\\" { position += 2; continue }
                if character == open {
                    if open == "'", position + 1 < text.count, text[position + 1] == "'" { position += 2; continue }
                    quote = nil
                }
            } else if character == "#", position == 0 || text[position - 1] == " " || text[position - 1] == "\t" {
                return Array(text[..<position]).trimmed
            } else if character == "\"" || character == "'", quoteCanOpen(text, at: position) {
                quote = character
            }
            position += 1
        }
        return text.trimmed
    }

    /// A quote opens a quoted scalar only where a scalar may start, so `it's` stays plain.
    private static func quoteCanOpen(_ text: [Character], at position: Int) -> Bool {
        position == 0 || " \t[{,".contains(text[position - 1])
    }

    /// The index of the `:` (followed by whitespace or the end) that ends a block mapping key,
    /// ignoring colons inside quotes and flow collections.
    static func keySeparator(in text: [Character]) -> Int? {
        var quote: Character?
        var depth = 0
        var position = 0
        while position < text.count {
            let character = text[position]
            if let open = quote {
                if open == "\"", character == "\\" { position += 2; continue }
                if character == open {
                    if open == "'", position + 1 < text.count, text[position + 1] == "'" { position += 2; continue }
                    quote = nil
                }
            } else {
                switch character {
                case "\"", "'": if quoteCanOpen(text, at: position) { quote = character }
                case "[", "{": if position == 0 || depth > 0 { depth += 1 }
                case "]", "}": if depth > 0 { depth -= 1 }
                case ":":
                    if depth == 0, position + 1 == text.count || text[position + 1] == " " || text[position + 1] == "\t" {
                        return position
                    }
                default: break
                }
            }
            position += 1
        }
        return nil
    }

    /// Whether a text starting with a quote also closes it.
    static func isQuoteClosed(_ text: [Character], quote: Character) -> Bool {
        var position = 1
        while position < text.count {
            let character = text[position]
            if quote == "\"", character == "\\" { position += 2; continue }
            if character == quote {
                if quote == "'", position + 1 < text.count, text[position + 1] == "'" { position += 2; continue }
                return true
            }
            position += 1
        }
        return false
    }

    /// Parses a single- or double-quoted scalar at the start of `text`; returns its value and
    /// the index just past the closing quote.
    static func parseQuoted(_ text: [Character], line: Int) throws -> (String, Int) {
        guard let quote = text.first else { throw YAMLError(line: line, message: "expected a quoted scalar") }
        var result = ""
        var position = 1
        while position < text.count {
            let character = text[position]
            if quote == "'" {
                if character == "'" {
                    if position + 1 < text.count, text[position + 1] == "'" { result.append("'"); position += 2; continue }
                    return (result, position + 1)
                }
                result.append(character)
                position += 1
                continue
            }
            if character == "\"" { return (result, position + 1) }
            if character != "\\" { result.append(character); position += 1; continue }
            guard position + 1 < text.count else { break }
            let escape = text[position + 1]
            position += 2
            switch escape {
            case "n": result.append("\n")
            case "t", "\t": result.append("\t")
            case "r": result.append("\r")
            case "0": result.append("\0")
            case "a": result.append("\u{07}")
            case "b": result.append("\u{08}")
            case "e": result.append("\u{1B}")
            case "f": result.append("\u{0C}")
            case "v": result.append("\u{0B}")
            case " ": result.append(" ")
            case "\"", "\\", "/": result.append(escape)
            case "N": result.append("\u{85}")
            case "_": result.append("\u{A0}")
            case "L": result.append("\u{2028}")
            case "P": result.append("\u{2029}")
            case "x", "u", "U":
                let length = escape == "x" ? 2 : escape == "u" ? 4 : 8
                guard position + length <= text.count,
                      let code = UInt32(String(text[position..<(position + length)]), radix: 16),
                      let scalar = Unicode.Scalar(code)
                else { throw YAMLError(line: line, message: "invalid \\\(escape) escape in a double-quoted scalar") }
                result.unicodeScalars.append(scalar)
                position += length
            default:
                throw YAMLError(line: line, message: "unknown escape '\\\(escape)' in a double-quoted scalar")
            }
        }
        throw YAMLError(line: line, message: "unterminated quoted scalar")
    }

    /// Resolves a plain scalar by the YAML 1.2 core schema: null, bool, int, float, or string.
    static func resolvePlain(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if let integer = integerValue(text) { return .int(integer) }
        if isCoreFloat(text), let value = Double(text) { return .double(value) }
        return .string(text)
    }

    private static func integerValue(_ text: String) -> Int64? {
        if text.hasPrefix("0x"), text.count > 2 { return Int64(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("0o"), text.count > 2 { return Int64(text.dropFirst(2), radix: 8) }
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }

    /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
    static func isCoreFloat(_ text: String) -> Bool {
        var characters = Array(text)[...]
        if characters.first == "-" || characters.first == "+" { characters = characters.dropFirst() }
        let isDigit: (Character) -> Bool = { $0.isASCII && $0.isNumber }
        let integerPart = characters.prefix(while: isDigit)
        characters = characters.dropFirst(integerPart.count)
        var fraction = 0
        if characters.first == "." {
            characters = characters.dropFirst()
            fraction = characters.prefix(while: isDigit).count
            characters = characters.dropFirst(fraction)
        }
        guard !integerPart.isEmpty || fraction > 0 else { return false }
        if characters.first == "e" || characters.first == "E" {
            characters = characters.dropFirst()
            if characters.first == "-" || characters.first == "+" { characters = characters.dropFirst() }
            let exponent = characters.prefix(while: isDigit).count
            guard exponent > 0 else { return false }
            characters = characters.dropFirst(exponent)
        }
        return characters.isEmpty
    }

    /// Folds the lines of a `>` block scalar: lines join with a space, an empty line is a
    /// newline, and more-indented lines keep their line breaks.
    static func fold(_ lines: [String]) -> String {
        var result = ""
        var previousWasText = false
        var emptyLines = 0
        var started = false
        for line in lines {
            if line.isEmpty { emptyLines += 1; continue }
            let moreIndented = line.first == " " || line.first == "\t"
            if started {
                if previousWasText, !moreIndented {
                    result += emptyLines == 0 ? " " : String(repeating: "\n", count: emptyLines)
                } else {
                    result += String(repeating: "\n", count: emptyLines + 1)
                }
            } else {
                result += String(repeating: "\n", count: emptyLines)
            }
            result += line
            started = true
            previousWasText = !moreIndented
            emptyLines = 0
        }
        return result + String(repeating: "\n", count: emptyLines)
    }
}
