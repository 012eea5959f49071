import KubeModel

/// Timestamps as the API server prints them in Table cells: apimachinery's
/// `duration.HumanDuration` ages (`5m`, `2d3h`) and RFC 3339 parsing.
public enum HumanTime {
    /// Seconds since the Unix epoch of an RFC 3339 timestamp (`2024-01-02T03:04:05Z`,
    /// fractional seconds and offsets allowed), or nil when it does not parse.
    public static func parse(_ text: String) -> Double? {
        let characters = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= characters.count else { return nil }
            var value = 0
            for index in start..<start + count {
                let byte = characters[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard characters.count >= 20, let year = number(0, 4), characters[4] == 45, let month = number(5, 2), characters[7] == 45,
              let day = number(8, 2), [84, 116, 32].contains(characters[10]), let hour = number(11, 2), characters[13] == 58,
              let minute = number(14, 2), characters[16] == 58, let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < characters.count && characters[index] == 46 {
            index += 1
            var scale = 0.1
            let start = index
            while index < characters.count, characters[index] >= 48, characters[index] <= 57 {
                fraction += Double(characters[index] - 48) * scale
                scale /= 10
                index += 1
            }
            if index == start { return nil }
        }
        guard index < characters.count else { return nil }
        var offset = 0
        switch characters[index] {
        case 90, 122: // Z, z
            guard index + 1 == characters.count else { return nil }
        case 43, 45: // +, -
            guard index + 6 == characters.count, let offsetHours = number(index + 1, 2), characters[index + 3] == 58,
                  let offsetMinutes = number(index + 4, 2) else { return nil }
            offset = (offsetHours * 60 + offsetMinutes) * 60 * (characters[index] == 45 ? -1 : 1)
        default:
            return nil
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
        return Double(seconds) + fraction
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// `duration.HumanDuration`: `<invalid>` for more than a second in the future, then
    /// `59s`, `119s`, `2m5s` (under 10m), `42m` (under 3h), `3h5m` (under 8h), `20h`
    /// (under 2d), `2d3h` (under 8d), `40d` (under 2y), `2y10d` (under 8y), `9y`.
    public static func humanDuration(seconds interval: Double) -> String {
        let seconds = Int(interval.rounded(.towardZero))
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let remainder = seconds % 60
            return remainder == 0 ? "\(minutes)m" : "\(minutes)m\(remainder)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let remainder = minutes % 60
            return remainder == 0 ? "\(hours)h" : "\(hours)h\(remainder)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let remainder = hours % 24
            return remainder == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(remainder)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let remainder = (hours / 24) % 365
            return remainder == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(remainder)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// `translateTimestampSince`: the age of `timestamp` at `now`, `<unknown>` when the
    /// timestamp is missing, `<invalid>` when it does not parse.
    public static func age(of timestamp: JSONValue?, now: String) -> String {
        guard let text = timestamp?.stringValue, !text.isEmpty else { return "<unknown>" }
        guard let then = parse(text), let current = parse(now) else { return "<invalid>" }
        return humanDuration(seconds: current - then)
    }
}
