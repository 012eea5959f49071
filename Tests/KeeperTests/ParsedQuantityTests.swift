import Foundation
import Testing
@testable import Keeper
import KubeModel

@Suite struct ParsedQuantityTests {
    @Test(arguments: [
        ("1", Decimal(1)), ("10Gi", Decimal(10) * 1_073_741_824), ("512Mi", Decimal(536_870_912)), ("500m", Decimal(string: "0.5")!),
        ("1.5G", Decimal(1_500_000_000)), ("2k", Decimal(2000)), ("1e3", Decimal(1000)), ("1E", Decimal(string: "1000000000000000000")!),
        ("+3Ki", Decimal(3072)), (".5", Decimal(string: "0.5")!), ("100n", Decimal(string: "0.0000001")!), ("5E-2", Decimal(string: "0.05")!),
    ])
    func parsesValidQuantities(text: String, expected: Decimal) throws {
        let parsed = try #require(ParsedQuantity(text))
        #expect(parsed.value == expected)
    }

    @Test(arguments: ["", "Gi", "10GB", "ten", "1.2.3", "10 Gi", "1e", "1Ki2", "--1", "1e1.5"])
    func refusesInvalidQuantities(text: String) {
        #expect(ParsedQuantity(text) == nil)
    }

    @Test func equalAmountsInDifferentFormsCompareEqual() {
        #expect(ParsedQuantity("1Gi") == ParsedQuantity("1024Mi"))
        #expect(ParsedQuantity("1") == ParsedQuantity("1000m"))
        #expect(ParsedQuantity("1G")! < ParsedQuantity("1Gi")!)
    }

    @Test func wholeMebibytesRoundsDown() {
        #expect(ParsedQuantity("1Gi")?.wholeMebibytes == 1024)
        #expect(ParsedQuantity("1G")?.wholeMebibytes == 953)
        #expect(ParsedQuantity("100Ki")?.wholeMebibytes == 0)
    }
}
