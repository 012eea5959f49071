import KubeModel

/// Writes block-style YAML the way kubectl does: sorted keys, two-space indentation,
/// sequences at the indentation of their key, `|` blocks for multi-line strings.
enum YAMLRenderer {
    static func render(_ value: JSONValue) -> String {
        var output = ""
        switch value {
        case .object(let members) where !members.isEmpty:
            writeMapping(members, indent: 0, into: &output)
        case .array(let items) where !items.isEmpty:
            writeSequence(items, indent: 0, into: &output)
        default:
            output = inline(value, indent: 0) + "\n"
        }
        return output
    }

    private static func writeMapping(_ members: [String: JSONValue], indent: Int, into output: inout String) {
        let padding = String(repeating: " ", count: indent)
        for key in members.keys.sorted() {
            guard let value = members[key] else { continue }
            output += padding + scalar(key) + ":"
            writeNested(value, keyIndent: indent, sequenceIndent: indent, into: &output)
        }
    }

    private static func writeSequence(_ items: [JSONValue], indent: Int, into output: inout String) {
        let padding = String(repeating: " ", count: indent)
        for item in items {
            output += padding + "-"
            switch item {
            case .object(let members) where !members.isEmpty:
                // The first key shares the dash's line; the rest align under it.
                var nested = ""
                writeMapping(members, indent: indent + 2, into: &nested)
                output += " " + nested.dropFirst(indent + 2)
            case .array(let inner) where !inner.isEmpty:
                var nested = ""
                writeSequence(inner, indent: indent + 2, into: &nested)
                output += " " + nested.dropFirst(indent + 2)
            default:
                writeNested(item, keyIndent: indent, sequenceIndent: indent + 2, into: &output)
            }
        }
    }

    /// The value after `key:` or `-`: inline scalars, or a nested block on the next lines.
    private static func writeNested(_ value: JSONValue, keyIndent: Int, sequenceIndent: Int, into output: inout String) {
        switch value {
        case .object(let members) where !members.isEmpty:
            output += "\n"
            writeMapping(members, indent: keyIndent + 2, into: &output)
        case .array(let items) where !items.isEmpty:
            output += "\n"
            writeSequence(items, indent: sequenceIndent, into: &output)
        default:
            output += " " + inline(value, indent: keyIndent + 2) + "\n"
        }
    }

    private static func inline(_ value: JSONValue, indent: Int) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return double(number)
        case .string(let text): return literalBlock(text, indent: indent) ?? scalar(text)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    private static func double(_ number: Double) -> String {
        if number.isNaN { return ".nan" }
        if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
        let text = "\(number)"
        // Keep a decimal point or exponent so it reads back as a float, not an int.
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }

    /// A `|` block for multi-line text that a block can carry exactly; nil otherwise.
    private static func literalBlock(_ text: String, indent: Int) -> String? {
        guard text.contains("\n"), !text.contains("\r"), let first = text.first, first != " ", first != "\t", first != "\n" else { return nil }
        var body = Substring(text)
        let header: String
        if body.hasSuffix("\n\n") { return nil }
        if body.hasSuffix("\n") {
            header = "|"
            body = body.dropLast()
        } else {
            header = "|-"
        }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.allSatisfy({ line in !line.hasSuffix(" ") && !line.hasSuffix("\t") && line.unicodeScalars.allSatisfy(isPrintable) })
        else { return nil }
        let padding = String(repeating: " ", count: indent)
        return header + lines.map { $0.isEmpty ? "\n" : "\n" + padding + $0 }.joined()
    }

    /// A string as a plain scalar when it reads back as the same string, double-quoted otherwise.
    static func scalar(_ text: String) -> String {
        needsQuotes(text) ? doubleQuoted(text) : text
    }

    private static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return true }
        if YAMLScalars.resolvePlain(text) != .string(text) { return true }
        // Words that YAML 1.1 readers (and so older tools) take as booleans.
        if ["y", "n", "yes", "no", "on", "off"].contains(text.lowercased()) { return true }
        if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
            // `-foo` and `:foo` would be fine as plain scalars, but `- x`, `-` and `? x` would not.
            if first == "-" || first == "?" || first == ":" {
                if text.count == 1 || text.dropFirst().first == " " { return true }
                if first == "-", text.hasPrefix("---") { return true }
            } else {
                return true
            }
        }
        if first == " " || last == " " || first == "\t" || last == "\t" || last == ":" { return true }
        if text.contains(": ") || text.contains(" #") || text.contains(":\t") { return true }
        if text.contains(",") || text.contains("[") || text.contains("]") || text.contains("{") || text.contains("}") {
            return true  // safe inside flow collections too
        }
        return !text.unicodeScalars.allSatisfy { isPrintable($0) && $0 != "\t" }
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return scalar.value != 0xFEFF
        default: return false
        }
    }

    static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if isPrintable(scalar) {
                    result.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFF {
                    result += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value <= 0xFFFF {
                    result += "\\u" + hex(scalar.value, width: 4)
                } else {
                    result += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return result + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
