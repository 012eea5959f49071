import Foundation

/// A Kubernetes quantity (`resource.Quantity`) parsed into a number, following the API's
/// grammar: a signed decimal number followed by a binary suffix (`Ki` ... `Ei`), a decimal
/// SI suffix (`n`, `u`, `m`, `k`, `M`, `G`, `T`, `P`, `E`) or a decimal exponent (`e3`, `E-2`).
public struct ParsedQuantity: Hashable, Sendable, Comparable {
    /// The value in base units (bytes, cores, ...).
    public var value: Decimal

    /// Parses `text`, or returns nil when the API server would refuse it.
    public init?(_ text: String) {
        let characters = Array(text)
        var index = 0
        var numberText = ""
        if index < characters.count, characters[index] == "+" || characters[index] == "-" {
            numberText.append(characters[index])
            index += 1
        }
        var digits = 0
        var sawPoint = false
        while index < characters.count, characters[index].isASCII, characters[index].isNumber || (characters[index] == "." && !sawPoint) {
            if characters[index] == "." { sawPoint = true } else { digits += 1 }
            numberText.append(characters[index])
            index += 1
        }
        guard digits > 0, let number = Decimal(string: numberText) else { return nil }
        let suffix = String(characters[index...])
        guard let multiplier = Self.multiplier(of: suffix) else { return nil }
        value = number * multiplier
    }

    public init(value: Decimal) { self.value = value }

    private static func multiplier(of suffix: String) -> Decimal? {
        switch suffix {
        case "": return 1
        case "Ki": return Decimal(1024)
        case "Mi": return pow(Decimal(1024), 2)
        case "Gi": return pow(Decimal(1024), 3)
        case "Ti": return pow(Decimal(1024), 4)
        case "Pi": return pow(Decimal(1024), 5)
        case "Ei": return pow(Decimal(1024), 6)
        case "n": return Decimal(sign: .plus, exponent: -9, significand: 1)
        case "u": return Decimal(sign: .plus, exponent: -6, significand: 1)
        case "m": return Decimal(sign: .plus, exponent: -3, significand: 1)
        case "k": return Decimal(sign: .plus, exponent: 3, significand: 1)
        case "M": return Decimal(sign: .plus, exponent: 6, significand: 1)
        case "G": return Decimal(sign: .plus, exponent: 9, significand: 1)
        case "T": return Decimal(sign: .plus, exponent: 12, significand: 1)
        case "P": return Decimal(sign: .plus, exponent: 15, significand: 1)
        case "E": return Decimal(sign: .plus, exponent: 18, significand: 1)
        default:
            // A decimal exponent: `e` or `E` followed by a signed integer.
            guard let first = suffix.first, first == "e" || first == "E" else { return nil }
            let exponentText = suffix.dropFirst()
            guard !exponentText.isEmpty, let exponent = Int(exponentText), abs(exponent) <= 30,
                  exponentText.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }) else { return nil }
            return Decimal(sign: .plus, exponent: exponent, significand: 1)
        }
    }

    /// The value rounded down to whole mebibytes (for JVM heap flags).
    public var wholeMebibytes: Int {
        var mebibytes = value / pow(Decimal(1024), 2)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &mebibytes, 0, .down)
        return NSDecimalNumber(decimal: rounded).intValue
    }

    public static func < (lhs: ParsedQuantity, rhs: ParsedQuantity) -> Bool { lhs.value < rhs.value }
}
