import Foundation
import KubeModel

/// Renders values the way Go's `fmt` does in kube-apiserver messages, so that our texts
/// match the real server's byte for byte: `%q` for strings, `%v` for numbers.
enum GoFormat {
    /// Go's `%q`: a double-quoted string with Go escapes.
    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                result += String(format: "\\x%02x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Go's `%v` for a float64: the shortest representation, in exponent form when the
    /// decimal exponent is below -4 or at least 6 (`1e+06`, `1.5`, `1e-05`).
    static func float(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        // Swift's description is also the shortest round-trip form; extract its digits.
        let (negative, digits, pointPosition) = decimalDigits(of: value)
        let exponent = pointPosition - 1
        var text: String
        if exponent < -4 || exponent >= 6 {
            text = String(digits.first ?? "0")
            if digits.count > 1 { text += "." + digits.dropFirst() }
            let magnitude = abs(exponent)
            text += (exponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" : "") + String(magnitude)
        } else if pointPosition <= 0 {
            text = "0." + String(repeating: "0", count: -pointPosition) + digits
        } else if pointPosition >= digits.count {
            text = digits + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            let index = digits.index(digits.startIndex, offsetBy: pointPosition)
            text = digits[..<index] + "." + digits[index...]
        }
        return negative ? "-" + text : text
    }

    /// The significant digits of `value` (no leading/trailing zeros) and where the decimal
    /// point goes: value = 0.d1d2d3... * 10^pointPosition.
    private static func decimalDigits(of value: Double) -> (Bool, String, Int) {
        var text = "\(abs(value))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        let fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = integerPart + fractionPart
        var pointPosition = integerPart.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (value < 0, digits, pointPosition)
    }

    /// `%v` of a JSON number as the decoder gives it to Go (int64 or float64).
    static func number(_ value: JSONValue) -> String {
        switch value {
        case .int(let number): return String(number)
        case .double(let number): return float(number)
        default: return badValue(value)
        }
    }

    /// How `field.Error.ErrorBody` prints a bad value: `%v` for numbers and booleans, `%q`
    /// for strings, JSON for anything else.
    static func badValue(_ value: JSONValue) -> String {
        switch value {
        case .int(let number): return String(number)
        case .double(let number): return float(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .string(let text): return quote(text)
        case .null: return "null"
        default: return String(decoding: value.serialized(), as: UTF8.self)
        }
    }
}
