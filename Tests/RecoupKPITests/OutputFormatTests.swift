import XCTest
@testable import RecoupKPI

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
