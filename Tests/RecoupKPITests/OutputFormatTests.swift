import XCTest
@testable import RecoupKPI
@testable import RecoupEngine

final class OutputFormatTests: XCTestCase {
    func testMoneyHasExactlyTwoDecimals() {
        XCTAssertEqual(Money.format(0), "0.00")
        XCTAssertEqual(Money.format(5), "0.05")
        XCTAssertEqual(Money.format(-1205), "-12.05")
        XCTAssertEqual(Money.format(Int64.min), "-92233720368547758.08")
    }

    func testDecimalsHaveSixOrMoreSignificantDigitsAndNoExponent() {
        XCTAssertEqual(Decimal6.format(0.123456789012), "0.123456789")
        XCTAssertEqual(Decimal6.format(1.0 / 3.0), "0.3333333333")
        XCTAssertEqual(Decimal6.format(0.0000001234567), "0.0000001234567")
        XCTAssertEqual(Decimal6.format(123456789.5), "123456789.5")
        XCTAssertEqual(Decimal6.format(2), "2")
        XCTAssertEqual(Decimal6.format(-0.5), "-0.5")
        XCTAssertFalse(Decimal6.format(1e-12).contains("e"))
    }

    func testCSVAndJSON() {
        let t = KPITable(columns: ["portfolio", "accounts", "placed", "recovery_rate"],
                         rows: [[.text("a,b"), .int(2), .money(1050), .decimal(0.25)], [.text(""), .int(0), .money(0), .null]])
        XCTAssertEqual(t.csv(), "portfolio,accounts,placed,recovery_rate\n\"a,b\",2,10.50,0.25\n,0,0.00,\n")
        XCTAssertEqual(t.json(), "[\n  {\"portfolio\": \"a,b\", \"accounts\": 2, \"placed\": 10.50, \"recovery_rate\": 0.25},\n  {\"portfolio\": \"\", \"accounts\": 0, \"placed\": 0.00, \"recovery_rate\": null}\n]\n")
    }

    func testPeriodDefaultsAndErrors() throws {
        let a = CivilDateHelper.d("2025-06-17")
        XCTAssertEqual(try Period.resolve(from: nil, to: nil, asOf: a), Period(from: CivilDateHelper.d("2025-06-01"), to: a))
        XCTAssertEqual(try Period.resolve(from: nil, to: CivilDateHelper.d("2025-05-10"), asOf: a).from, CivilDateHelper.d("2025-05-01"))
        XCTAssertEqual(try Period.resolve(from: CivilDateHelper.d("2025-01-01"), to: nil, asOf: a).to, a)
        XCTAssertThrowsError(try Period.resolve(from: nil, to: CivilDateHelper.d("2025-06-18"), asOf: a))
        XCTAssertThrowsError(try Period.resolve(from: CivilDateHelper.d("2025-06-10"), to: CivilDateHelper.d("2025-06-09"), asOf: a))
    }
}

import RecoupStore
enum CivilDateHelper {
    static func d(_ s: String) -> Int32 { CivilDate.parse(s)! }
}

/// The fast decimal formatter against `printf` (which rounds the exact binary value).
final class Decimal6Tests: XCTestCase {
    func printf(_ x: Double) -> String {
        guard x.isFinite else { return "" }
        if x == 0 { return "0" }
        let e = Int(floor(log10(abs(x))))
        var s = String(format: "%.\(min(max(0, 9 - e), 30))f", x)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }

    func testAgreesWithPrintf() {
        var values: [Double] = [0.5, 0.05, 0.125, 1, -1, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 0.999999999949, 0.99999999995, 0.9999999999500001,
                                123456789.5, 1234567890.5, 9_999_999_999.5, 1e-9, 1.5e-9, 1e-12, 123.4567890125, 0.12345678905,
                                -0.000000000049, 4.5e15, 1e17, 5e-324, .greatestFiniteMagnitude, -.leastNormalMagnitude, .nan, .infinity]
        var state: UInt64 = 0x9e3779b97f4a7c15
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        for _ in 0..<200_000 {
            let bits = next()
            switch bits % 4 {
            case 0: values.append(Double(bitPattern: next()))                                  // any double
            case 1: values.append(Double(next() % 2_000_001) / 1_000_000 - 1)                    // rates
            case 2: values.append(Double(Int64(bitPattern: next()) % 10_000_000_000) / 1000)     // sums with places
            default: values.append(Double(next() % 1_000_000_000_000) * pow(10, -Double(next() % 25)))  // ties and scales
            }
        }
        var fast = 0
        for x in values {
            XCTAssertEqual(Decimal6.format(x), printf(x), "\(x.bitPattern)")
            if x.isFinite && x != 0, Decimal6.fixed(x, min(max(0, 9 - Int(floor(log10(abs(x))))), 30)) != nil { fast += 1 }
        }
        XCTAssertGreaterThan(fast, values.count / 2, "the fast path takes most values")
    }
}
