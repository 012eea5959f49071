import Foundation
import Testing
import KubeModel

@Suite struct RFC3339Tests {
    @Test func wholeSecondsAsMetaV1Time() {
        #expect(RFC3339.seconds(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(RFC3339.seconds(Date(timeIntervalSince1970: 951_782_400.9)) == "2000-02-29T00:00:00Z")  // a leap day, truncated
        #expect(RFC3339.seconds(Date(timeIntervalSince1970: 1_714_564_800)) == "2024-05-01T12:00:00Z")
        #expect(RFC3339.seconds(Date(timeIntervalSince1970: 4_102_444_799)) == "2099-12-31T23:59:59Z")
        #expect(RFC3339.seconds(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }

    @Test func fractionsAreTruncatedToTheirDigits() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        #expect(RFC3339.microseconds(date) == "2023-11-14T22:13:20.250000Z")
        #expect(RFC3339.string(date, fractionDigits: 3) == "2023-11-14T22:13:20.250Z")
        #expect(RFC3339.microseconds(Date(timeIntervalSince1970: 0.999_999_9)) == "1970-01-01T00:00:00.999999Z")
    }

    /// Every day of a span of years against Glibc's `gmtime_r`.
    @Test func agreesWithGmtimeEveryDayFor1968To2104() {
        var mismatches: [String] = []
        for day in stride(from: Int64(-730), through: 49_700, by: 1) {
            var seconds = time_t(day * 86_400 + 3_723)
            var parts = tm()
            gmtime_r(&seconds, &parts)
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                                  Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
            let actual = RFC3339.seconds(Date(timeIntervalSince1970: TimeInterval(seconds)))
            if actual != expected { mismatches.append("\(actual) != \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
    }
}

@Suite struct RFC3339ParsingTests {
    @Test func parsesWhatItFormats() throws {
        for seconds in stride(from: -86_400.0 * 400, through: 86_400.0 * 365 * 130, by: 86_400.0 * 37 + 3_661.5) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(RFC3339.date(RFC3339.seconds(date))?.timeIntervalSince1970 == seconds.rounded(.down))
            let micro = try #require(RFC3339.date(RFC3339.microseconds(date)))
            #expect(abs(micro.timeIntervalSince1970 - seconds) < 0.000_01)
        }
    }

    @Test func refusesWhatIsNotAUTCTime() {
        for text in ["", "2024-05-01", "2024-05-01T12:00:00", "2024-05-01T12:00:00+02:00", "2024-13-01T12:00:00Z", "2024-05-01T25:00:00Z", "2024-05-01T12:00:00.Z"] {
            #expect(RFC3339.date(text) == nil, "\(text)")
        }
        #expect(RFC3339.date("2024-05-01T12:00:00Z") == Date(timeIntervalSince1970: 1_714_564_800))
    }
}
