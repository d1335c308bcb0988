import XCTest
import RecoupKPI
@testable import RecoupQuery

/// Query results against answers worked out by hand from QueryBook.
final class QueryResultTests: XCTestCase {
    static var book: QueryBook!
    override class func setUp() { book = try! QueryBook() }
    var b: QueryBook { Self.book }

    func testFilterJoinSummarizeSortTake() throws {
        // Positive payments since March by portfolio: card = 100.50 + 250.00 + 0.01; telco = 50.00.
        let rows = try b.rows("""
        from payments
        | where paid_date >= @2025-03-01 and amount > 0
        | join accounts on account_id
        | derive month = month(paid_date)
        | summarize collected = sum(amount), payers = count_distinct(account_id) by portfolio
        | sort collected desc
        | take 10
        """)
        XCTAssertEqual(rows, [["card", "350.51", "2"], ["telco", "50.00", "1"]])
    }

    func testMoneyIsExactAndLiteralsTakeMoneyType() throws {
        // 100.50 − 100.50 + 250.00 = 250.00 exactly; `amount > 12.5` compares cents.
        XCTAssertEqual(try b.rows("from payments | where account_id == \"A1\" | summarize net = sum(amount)"), [["250.00"]])
        XCTAssertEqual(try b.rows("from payments | where amount > 99.99 | summarize n = count()"), [["2"]])
        XCTAssertEqual(try b.rows("from payments | where amount >= 99.99 | summarize n = count()"), [["3"]])
        let r = try b.run("from payments | summarize total = sum(amount)")
        XCTAssertEqual(r.columns, [QueryColumn(name: "total", type: .money)])
    }

    func testDatesFunctionsAndNulls() throws {
        XCTAssertEqual(try b.rows("from accounts | where credit_score is null | select account_id"), [["A2"]])
        XCTAssertEqual(try b.rows("from accounts | derive d = days(opened_date, placed_date) | sort d desc | select account_id, d | take 2"),
                       [["A4", "64"], ["A1", "59"]])
        XCTAssertEqual(try b.rows("from payments | where paid_date between @2025-03-10 and @2025-03-12 | select payment_id | sort payment_id"),
                       [["P1"], ["P2"]])
        XCTAssertEqual(try b.rows("from accounts | where region in (\"NY\") and not (status == \"closed\") | select account_id"), [["A3"]])
        // today() is the store's as-of date: the latest date in the data (2025-06-10, R2's due date does not count; 2025-06-01 does).
        XCTAssertEqual(try b.rows("from accounts | take 1 | select t = today()"), [["2025-06-01"]])
    }

    func testLocalTimeOfContacts() throws {
        // C2 at 02:30Z on 2025-03-06 is 18:30 on 2025-03-05 in Los Angeles (UTC−8).
        XCTAssertEqual(try b.rows("from contacts | where contact_id == \"C2\" | select h = local_hour(ts, account), d = local_date(ts)"),
                       [["18", "2025-03-05"]])
    }

    func testKpiSourceGivesTheKpiRows() throws {
        let kpi = try KPIRunner.run("recovery_rate", snapshot: b.snapshot, parameters: KPIParameters(by: [.portfolio]))
        let q = try b.run("kpi recovery_rate by portfolio")
        XCTAssertEqual(q.table.csv(), kpi.csv())
        XCTAssertEqual(try b.rows("kpi recovery_rate by portfolio | where portfolio == \"invoice\" | select recovery_rate"), [["1"]])
    }

    func testParametersAreTypedByUse() throws {
        XCTAssertEqual(try b.rows("from payments | where paid_date >= $since and amount > $min | select payment_id | sort payment_id",
                                  ["since": "2025-04-01", "min": "10"]), [["P3"], ["P5"]])
    }

    func testLeftJoinKeepsUnmatchedRowsWithNulls() throws {
        // A4 has no contacts: one row with a null contact_id.
        let rows = try b.rows("from accounts | join left contacts on account_id | where contact_id is null | select account_id")
        XCTAssertEqual(rows, [["A4"]])
    }

    func testAggregatesAroundArithmetic() throws {
        // Per portfolio: average principal and share of the total.
        XCTAssertEqual(try b.rows("from accounts | summarize n = count(), avg_p = avg(principal), top = max(principal), lo = min(region) by portfolio | sort portfolio"),
                       [["card", "2", "650", "1000.00", "CA"], ["invoice", "1", "99.99", "99.99", "NY"], ["telco", "1", "50", "50.00", "NY"]])
        XCTAssertEqual(try b.rows("from payments | summarize m = median(amount), q = quantile(amount, 1) "), [["74.995", "250"]])
    }
}
