import KubeModel

/// A syntax error in a selector, worded as apimachinery words it.
struct SelectorSyntaxError: Error {
    let message: String
}

/// The lexer and recursive-descent parser of apimachinery's `labels.Parse`, with its
/// error messages. Keys and values are not checked against the label syntax rules.
struct LabelSelectorParser {
    enum Token: Equatable {
        case identifier(String)
        case doesNotExist      // !
        case notEquals         // !=
        case equals            // =
        case doubleEquals      // ==
        case greaterThan       // >
        case lessThan          // <
        case openParen, closeParen, comma
        case endOfString

        var literal: String {
            switch self {
            case .identifier(let text): return text
            case .doesNotExist: return "!"
            case .notEquals: return "!="
            case .equals: return "="
            case .doubleEquals: return "=="
            case .greaterThan: return ">"
            case .lessThan: return "<"
            case .openParen: return "("
            case .closeParen: return ")"
            case .comma: return ","
            case .endOfString: return ""
            }
        }
    }

    private var tokens: [Token]
    private var position = 0

    init(text: String) {
        tokens = Self.lex(text)
    }

    private static func lex(_ text: String) -> [Token] {
        let characters = Array(text)
        var tokens: [Token] = []
        var index = 0
        let special: Set<Character> = ["=", "!", "(", ")", ",", ">", "<"]
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace { index += 1; continue }
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "!" where next == "=": tokens.append(.notEquals); index += 2
            case "!": tokens.append(.doesNotExist); index += 1
            case "=" where next == "=": tokens.append(.doubleEquals); index += 2
            case "=": tokens.append(.equals); index += 1
            case ">": tokens.append(.greaterThan); index += 1
            case "<": tokens.append(.lessThan); index += 1
            case "(": tokens.append(.openParen); index += 1
            case ")": tokens.append(.closeParen); index += 1
            case ",": tokens.append(.comma); index += 1
            default:
                var identifier = ""
                while index < characters.count, !characters[index].isWhitespace, !special.contains(characters[index]) {
                    identifier.append(characters[index])
                    index += 1
                }
                tokens.append(.identifier(identifier))
            }
        }
        tokens.append(.endOfString)
        return tokens
    }

    private func lookahead() -> Token { tokens[min(position, tokens.count - 1)] }

    private mutating func consume() -> Token {
        let token = lookahead()
        position += 1
        return token
    }

    mutating func parse() throws -> [LabelSelector.Requirement] {
        var requirements: [LabelSelector.Requirement] = []
        while true {
            switch lookahead() {
            case .identifier, .doesNotExist:
                do {
                    requirements.append(try parseRequirement())
                } catch let error as SelectorSyntaxError {
                    throw SelectorSyntaxError(message: "unable to parse requirement: \(error.message)")
                }
                let token = consume()
                switch token {
                case .endOfString: return requirements
                case .comma:
                    let next = lookahead()
                    guard case .identifier = next else {
                        if next == .doesNotExist { continue }
                        throw SelectorSyntaxError(message: "found '\(next.literal)', expected: identifier after ','")
                    }
                default:
                    throw SelectorSyntaxError(message: "found '\(token.literal)', expected: ',' or 'end of string'")
                }
            case .endOfString:
                return requirements
            case let token:
                throw SelectorSyntaxError(message: "found '\(token.literal)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    private mutating func parseRequirement() throws -> LabelSelector.Requirement {
        var token = consume()
        var negated = false
        if token == .doesNotExist {
            negated = true
            token = consume()
        }
        guard case .identifier(let key) = token else {
            throw SelectorSyntaxError(message: "found '\(token.literal)', expected: identifier")
        }
        let keyErrors = NameValidation.qualifiedName(key)
        if !keyErrors.isEmpty {
            throw SelectorSyntaxError(message: FieldError.invalid("key", .string(key), keyErrors.joined(separator: "; ")).description)
        }
        let next = lookahead()
        if next == .endOfString || next == .comma {
            return .init(key: key, op: negated ? .doesNotExist : .exists)
        }
        if negated {
            // `!key` followed by an operator: the real parser reports the operator it
            // expected after a key (DoesNotExist takes none).
            throw SelectorSyntaxError(message: "found '\(next.literal)', expected: ',' or 'end of string'")
        }
        let opToken = consume()
        let op: LabelSelector.Requirement.Operator
        switch opToken {
        case .identifier("in"): op = .in
        case .identifier("notin"): op = .notIn
        case .equals: op = .equals
        case .doubleEquals: op = .doubleEquals
        case .notEquals: op = .notEquals
        case .greaterThan: op = .greaterThan
        case .lessThan: op = .lessThan
        default:
            throw SelectorSyntaxError(message: "found '\(opToken.literal)', expected: in, notin, =, ==, !=, gt, lt")
        }
        if op == .in || op == .notIn {
            let values = try parseValueSet()
            try Self.validateValues(values, key: key)
            return .init(key: key, op: op, values: values)
        }
        let value = try parseExactValue()
        if op != .greaterThan && op != .lessThan { try Self.validateValues([value], key: key) }
        if op == .greaterThan || op == .lessThan, Int64(value) == nil {
            throw SelectorSyntaxError(message: "for 'Gt', 'Lt' operators, the value must be an integer")
        }
        return .init(key: key, op: op, values: [value])
    }

    private mutating func parseExactValue() throws -> String {
        let next = lookahead()
        if next == .endOfString || next == .comma { return "" }
        let token = consume()
        guard case .identifier(let value) = token else {
            throw SelectorSyntaxError(message: "found '\(token.literal)', expected: identifier")
        }
        return value
    }

    private mutating func parseValueSet() throws -> [String] {
        let open = consume()
        guard open == .openParen else {
            throw SelectorSyntaxError(message: "found '\(open.literal)', expected: '('")
        }
        switch lookahead() {
        case .closeParen:
            _ = consume()
            return [""]
        case .identifier, .comma:
            let values = try parseIdentifierList()
            let close = consume()
            guard close == .closeParen else {
                throw SelectorSyntaxError(message: "found '\(close.literal)', expected: ')'")
            }
            return values
        case let token:
            throw SelectorSyntaxError(message: "found '\(token.literal)', expected: ',', ')' or identifier")
        }
    }

    /// `parseIdentifiersList`: values separated by commas, empty values allowed; stops
    /// before the closing parenthesis.
    private mutating func parseIdentifierList() throws -> [String] {
        var values: [String] = []
        func insert(_ value: String) { if !values.contains(value) { values.append(value) } }
        while true {
            let token = consume()
            switch token {
            case .identifier(let value):
                insert(value)
                let next = lookahead()
                switch next {
                case .comma: continue
                case .closeParen: return values
                default: throw SelectorSyntaxError(message: "found '\(next.literal)', expected: ',' or ')'")
                }
            case .comma:
                if values.isEmpty { insert("") }
                let next = lookahead()
                if next == .closeParen {
                    insert("")
                    return values
                }
                if next == .comma {
                    _ = consume()
                    insert("")
                }
            default:
                throw SelectorSyntaxError(message: "found '\(token.literal)', expected: ',', or identifier")
            }
        }
    }

    /// `validateLabelValue` of `NewRequirement`: `values[0][app]: Invalid value: "b$": ...`.
    private static func validateValues(_ values: [String], key: String) throws {
        for (index, value) in values.enumerated() {
            let errors = NameValidation.labelValue(value)
            if !errors.isEmpty {
                throw SelectorSyntaxError(message: FieldError.invalid("values[\(index)][\(key)]", .string(value), errors.joined(separator: "; ")).description)
            }
        }
    }
}
