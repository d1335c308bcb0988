import RecoupStore
import XCTest
@testable import RecoupReports

final class AsOfExpressionTests: XCTestCase {
    func day(_ s: String) -> Int32 { CivilDate.parse(s)! }

    func eval(_ text: String, today: String) throws -> String {
        CivilDate.format(try AsOfExpression(parsing: text).evaluate(today: day(today)) { day("2025-06-30") })
    }

    func testRelativeForms() throws {
        XCTAssertEqual(try eval("today", today: "2025-07-15"), "2025-07-15")
        XCTAssertEqual(try eval("yesterday", today: "2025-07-01"), "2025-06-30")
        XCTAssertEqual(try eval("last_month_end", today: "2025-07-15"), "2025-06-30")
        XCTAssertEqual(try eval("last_month_end", today: "2025-07-01"), "2025-06-30")
        XCTAssertEqual(try eval("last_month_end", today: "2025-01-10"), "2024-12-31", "across a year")
        XCTAssertEqual(try eval("last_month_end", today: "2024-03-31"), "2024-02-29", "leap year")
        XCTAssertEqual(try eval("latest", today: "2026-11-29"), "2025-06-30", "the store's latest date")
        XCTAssertEqual(try eval(" 2025-05-31 ", today: "2026-01-01"), "2025-05-31")
    }

    func testInvalidForms() {
        for bad in ["last_month", "2025-02-30", "2025-6-1", "", "tomorrow"] {
            XCTAssertThrowsError(try AsOfExpression(parsing: bad), bad) { e in
                XCTAssertEqual((e as? RecoupError)?.kind, .usage)
            }
        }
        XCTAssertThrowsError(try AsOfExpression(parsing: "last_month_ends")) { e in
            XCTAssertTrue((e as! RecoupError).message.contains("did you mean `last_month_end`"))
        }
    }

    func testPreviousPeriod() {
        XCTAssertEqual(CivilDate.format(ReportPeriod.previousAsOf(day("2025-06-30"))), "2025-05-31")
        XCTAssertEqual(CivilDate.format(ReportPeriod.previousAsOf(day("2025-03-31"))), "2025-02-28")
        XCTAssertEqual(CivilDate.format(ReportPeriod.previousAsOf(day("2025-03-30"))), "2025-02-28", "clamped")
        XCTAssertEqual(CivilDate.format(ReportPeriod.previousAsOf(day("2025-01-15"))), "2024-12-15")
    }
}
