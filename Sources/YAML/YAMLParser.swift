import KubeModel

/// The block-structure half of the YAML reader: documents, mappings, sequences and block
/// scalars, line by line. Scalars and flow collections go to `YAMLScalars` / `YAMLFlowParser`.
struct YAMLParser {
    private var lines: [[Character]]
    private var index = 0

    init(text: String) {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        // A byte order mark is allowed before the first document.
        if let first = lines.first?.first, first == "\u{FEFF}" { lines[0].removeFirst() }
    }

    // MARK: Documents

    mutating func parseStream() throws -> [JSONValue] {
        var documents: [JSONValue] = []
        while true {
            skipBlank()
            guard index < lines.count else { break }
            let text = content(index)
            if text.first == "%" { index += 1; continue }  // %YAML / %TAG directives
            if isDocumentMarker(index, "---") {
                let rest = Array(lines[index].dropFirst(3)).trimmed
                if rest.isEmpty || rest.first == "#" {
                    index += 1
                } else {
                    // `--- value` on the marker line: parse the rest as if it stood alone.
                    lines[index] = Array("    ") + rest
                }
                continue
            }
            if isDocumentMarker(index, "...") { index += 1; continue }
            documents.append(try parseNode(parentIndent: -1))
            skipBlank()
            if index < lines.count, !isDocumentMarker(index, "---"), !isDocumentMarker(index, "...") {
                throw error(at: index, "unexpected content after the end of a node (check indentation)")
            }
        }
        return documents
    }

    // MARK: Nodes

    private mutating func parseNode(parentIndent: Int) throws -> JSONValue {
        skipBlank()
        guard index < lines.count, !atDocumentBoundary else { return .null }
        let indent = try indentation(index)
        guard indent > parentIndent else { return .null }
        let text = content(index)
        if isSequenceEntry(text) { return try parseSequence(indent: indent) }
        if try mappingColon(text, line: index) != nil { return try parseMapping(indent: indent) }
        let line = index
        index += 1
        return try parseValue(text, line: line, ownerIndent: parentIndent, sequenceMayShareIndent: false)
    }

    private mutating func parseMapping(indent: Int) throws -> JSONValue {
        var members: [String: JSONValue] = [:]
        while true {
            skipBlank()
            guard index < lines.count, !atDocumentBoundary else { break }
            let lineIndent = try indentation(index)
            if lineIndent < indent { break }
            if lineIndent > indent { throw error(at: index, "unexpected indentation in a mapping") }
            let text = content(index)
            if isSequenceEntry(text) { throw error(at: index, "a sequence entry where a mapping key was expected") }
            guard let colon = try mappingColon(text, line: index) else {
                throw error(at: index, "expected 'key: value'")
            }
            let key = try parseKey(Array(text[..<colon]), line: index)
            if members[key] != nil { throw error(at: index, "duplicate key \"\(key)\"") }
            let rest = Array(text[(colon + 1)...]).trimmed
            let line = index
            index += 1
            members[key] = try parseValue(rest, line: line, ownerIndent: indent, sequenceMayShareIndent: true)
        }
        return .object(members)
    }

    private mutating func parseSequence(indent: Int) throws -> JSONValue {
        var items: [JSONValue] = []
        while true {
            skipBlank()
            guard index < lines.count, !atDocumentBoundary else { break }
            let lineIndent = try indentation(index)
            if lineIndent < indent { break }
            if lineIndent > indent { throw error(at: index, "unexpected indentation in a sequence") }
            let text = content(index)
            guard isSequenceEntry(text) else { break }
            let rest = Array(text.dropFirst()).trimmed
            if !rest.isEmpty, try isSequenceEntry(rest) || mappingColon(rest, line: index) != nil {
                // `- key: value` or `- - item`: blank out the dash, and the entry becomes a
                // node indented at the column where its content starts.
                lines[index][indent] = " "
                items.append(try parseNode(parentIndent: indent))
            } else {
                let line = index
                index += 1
                items.append(try parseValue(rest, line: line, ownerIndent: indent, sequenceMayShareIndent: false))
            }
        }
        return .array(items)
    }

    /// The value after `key:` or `- `: inline, a block scalar, or a node on the following lines.
    private mutating func parseValue(_ rest: [Character], line: Int, ownerIndent: Int, sequenceMayShareIndent: Bool) throws -> JSONValue {
        if rest.isEmpty {
            skipBlank()
            guard index < lines.count, !atDocumentBoundary else { return .null }
            let next = try indentation(index)
            if next > ownerIndent { return try parseNode(parentIndent: ownerIndent) }
            // kubectl writes lists at the same indentation as their key.
            if next == ownerIndent, sequenceMayShareIndent, isSequenceEntry(content(index)) {
                return try parseSequence(indent: next)
            }
            return .null
        }
        if rest.first == "|" || rest.first == ">" {
            return try parseBlockScalar(header: rest, line: line, ownerIndent: ownerIndent)
        }
        return try parseInlineValue(rest, line: line, ownerIndent: ownerIndent)
    }

    /// A scalar or flow collection starting on `line` (already consumed), possibly continued
    /// on more-indented lines.
    private mutating func parseInlineValue(_ text: [Character], line: Int, ownerIndent: Int) throws -> JSONValue {
        guard let first = text.first else { return .null }
        switch first {
        case "&", "*": throw error(at: line, "anchors and aliases are not supported")
        case "!": throw error(at: line, "tags are not supported")
        case "@", "`": throw error(at: line, "a plain scalar cannot start with '\(first)'")
        case "?": throw error(at: line, "complex mapping keys are not supported")
        default: break
        }
        var text = text
        if first == "[" || first == "{" {
            while !YAMLFlowParser.isBalanced(text), index < lines.count, !atDocumentBoundary {
                text += [" "] + content(index).trimmed
                index += 1
            }
            return try YAMLFlowParser.parse(text, line: line + 1)
        }
        if first == "\"" || first == "'" {
            // A quoted scalar may run over several lines; an unclosed quote kept `#` in `text`.
            var fragments = [text]
            while !YAMLScalars.isQuoteClosed(fragments.joinedFolded(), quote: first), index < lines.count {
                fragments.append(Array(lines[index]).trimmed)
                index += 1
            }
            let (value, end) = try YAMLScalars.parseQuoted(fragments.joinedFolded(), line: line + 1)
            let after = Array(fragments.joinedFolded()[end...]).trimmed
            if !after.isEmpty, after.first != "#" {
                throw error(at: line, "unexpected text after a quoted scalar")
            }
            return .string(value)
        }
        var plain = String(text)
        var multiline = false
        while true {
            skipBlank()
            guard index < lines.count, !atDocumentBoundary, try indentation(index) > ownerIndent else { break }
            let more = content(index)
            if try mappingColon(more, line: index) != nil { throw error(at: index, "mapping values are not allowed here (check indentation)") }
            plain += " " + String(more.trimmed)
            multiline = true
            index += 1
        }
        return multiline ? .string(plain) : YAMLScalars.resolvePlain(plain)
    }

    // MARK: Block scalars

    private mutating func parseBlockScalar(header: [Character], line: Int, ownerIndent: Int) throws -> JSONValue {
        let literal = header[0] == "|"
        var chomping: Character = " "
        var explicitIndent: Int?
        var position = 1
        while position < header.count, header[position] != " ", header[position] != "\t", header[position] != "#" {
            let indicator = header[position]
            if indicator == "-" || indicator == "+", chomping == " " {
                chomping = indicator
            } else if let digit = indicator.wholeNumberValue, digit > 0, explicitIndent == nil {
                explicitIndent = digit
            } else {
                throw error(at: line, "invalid block scalar header '\(String(header))'")
            }
            position += 1
        }
        let trailer = Array(header[position...]).trimmed
        if !trailer.isEmpty, trailer.first != "#" { throw error(at: line, "unexpected text after a block scalar header") }

        var contentIndent = explicitIndent.map { max(ownerIndent, 0) + $0 }
        var body: [String] = []
        while index < lines.count {
            let raw = lines[index]
            let spaces = raw.prefix(while: { $0 == " " }).count
            if raw.allSatisfy({ $0 == " " || $0 == "\t" }) {
                body.append(String(raw.dropFirst(min(spaces, contentIndent ?? spaces))))
                index += 1
                continue
            }
            if contentIndent == nil {
                guard spaces > ownerIndent else { break }
                contentIndent = spaces
            }
            guard let indent = contentIndent, spaces >= indent else { break }
            body.append(String(raw.dropFirst(indent)))
            index += 1
        }
        // Trailing whitespace-only lines count as empty lines for chomping.
        var trailingBreaks = 0
        while let last = body.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) {
            body.removeLast()
            trailingBreaks += 1
        }
        var text = literal ? body.joined(separator: "\n") : YAMLScalars.fold(body)
        if body.isEmpty { return .string(chomping == "+" ? String(repeating: "\n", count: trailingBreaks) : "") }
        switch chomping {
        case "-": break
        case "+": text += String(repeating: "\n", count: trailingBreaks + 1)
        default: text += "\n"
        }
        return .string(text)
    }

    // MARK: Lines

    private mutating func skipBlank() {
        while index < lines.count, content(index).isEmpty, !isDocumentMarker(index, "---") { index += 1 }
    }

    private var atDocumentBoundary: Bool { isDocumentMarker(index, "---") || isDocumentMarker(index, "...") }

    private func isDocumentMarker(_ line: Int, _ marker: String) -> Bool {
        let raw = lines[line]
        guard raw.count >= 3, String(raw[0..<3]) == marker else { return false }
        return raw.count == 3 || raw[3] == " " || raw[3] == "\t"
    }

    private func indentation(_ line: Int) throws -> Int {
        let spaces = lines[line].prefix(while: { $0 == " " }).count
        if spaces < lines[line].count, lines[line][spaces] == "\t" {
            throw error(at: line, "tabs are not allowed for indentation")
        }
        return spaces
    }

    /// The line without indentation, comment and trailing whitespace.
    private func content(_ line: Int) -> [Character] {
        YAMLScalars.stripComment(Array(lines[line].drop(while: { $0 == " " || $0 == "\t" })))
    }

    private func isSequenceEntry(_ text: [Character]) -> Bool {
        text.first == "-" && (text.count == 1 || text[1] == " " || text[1] == "\t")
    }

    /// The position of the `:` that separates a block mapping key from its value, if any.
    private func mappingColon(_ text: [Character], line: Int) throws -> Int? {
        if text.first == "?", text.count == 1 || text[1] == " " { throw error(at: line, "complex mapping keys are not supported") }
        return YAMLScalars.keySeparator(in: text)
    }

    private func parseKey(_ text: [Character], line: Int) throws -> String {
        let key = text.trimmed
        guard let first = key.first else { throw error(at: line, "empty mapping key") }
        if first == "\"" || first == "'" {
            let (value, end) = try YAMLScalars.parseQuoted(key, line: line + 1)
            guard end == key.count else { throw error(at: line, "unexpected text after a quoted key") }
            return value
        }
        if "&*!".contains(first) { throw error(at: line, "anchors, aliases and tags are not supported") }
        if first == "[" || first == "{" { throw error(at: line, "flow collections as keys are not supported") }
        return String(key)
    }

    private func error(at line: Int, _ message: String) -> YAMLError {
        YAMLError(line: line + 1, message: message)
    }
}

extension Array where Element == Character {
    var trimmed: [Character] {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return Array(slice)
    }
}

extension Array where Element == [Character] {
    /// Joins the lines of a multi-line quoted scalar: a line break folds to a space, an empty
    /// line to a newline, and a line ending in an escaping backslash joins without a space.
    func joinedFolded() -> [Character] {
        var result: [Character] = []
        var pendingEmpty = 0
        for (offset, line) in enumerated() {
            if offset == 0 { result = line; continue }
            if line.isEmpty { pendingEmpty += 1; continue }
            if pendingEmpty > 0 {
                result += [Character](repeating: "\n", count: pendingEmpty)
            } else if result.last == "\\", result.count >= 2, result[result.count - 2] != "\\" {
                result.removeLast()
            } else {
                result.append(" ")
            }
            pendingEmpty = 0
            result += line
        }
        return result
    }
}
