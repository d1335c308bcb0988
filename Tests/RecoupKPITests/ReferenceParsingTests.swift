import RecoupKPI
import XCTest

/// The reference's own CSV, money, date, timestamp and local-time reading, and the table
/// comparison used by every fixture.
final class ReferenceParsingTests: XCTestCase {
    func testCSVQuotesAndLineEnds() throws {
        let recs = try ReferenceCSV.records(Array("a,b\r\n\"x,\"\"y\"\"\nz\",2\n\n\"\",last".utf8))
        XCTAssertEqual(recs, [["a", "b"], ["x,\"y\"\nz", "2"], ["", "last"]])
        XCTAssertThrowsError(try ReferenceCSV.records(Array("a,\"b\n".utf8)))
    }

    func testMoneyDatesTimestamps() {
        XCTAssertEqual(ReferenceBook.parseMoney("12"), 1200)
        XCTAssertEqual(ReferenceBook.parseMoney("12.5"), 1250)
        XCTAssertEqual(ReferenceBook.parseMoney("-0.05"), -5)
        XCTAssertNil(ReferenceBook.parseMoney("1.005"))
        XCTAssertNil(ReferenceBook.parseMoney("+1"))
        XCTAssertEqual(RDay.parse("1970-01-02"), 1)
        XCTAssertEqual(RDay.parse("2024-02-29"), day("2024-03-01") - 1)
        XCTAssertNil(RDay.parse("2025-02-29"))
        XCTAssertEqual(RDay.format(day("2025-12-31") + 1), "2026-01-01")
        XCTAssertEqual(RDay.lastDay(ofMonth: RDay.month(day("2024-02-10"))), day("2024-02-29"))
        let t = ReferenceBook.parseTimestamp("2025-03-04T14:05:00Z")
        XCTAssertEqual(t, Int64(day("2025-03-04")) * 86400 + 14 * 3600 + 5 * 60)
        XCTAssertEqual(ReferenceBook.parseTimestamp("2025-03-04T09:05:00-05:00"), t)
        XCTAssertEqual(ReferenceBook.parseTimestamp("2025-03-04T14:05Z"), t)
        XCTAssertEqual(ReferenceBook.parseTimestamp("2025-03-04T19:35:00+05:30"), t)
        XCTAssertNil(ReferenceBook.parseTimestamp("2025-03-04T14:05:00"))
    }

    func testLocalTimeAcrossDST() throws {
        let b = HandBook()
        try b.add(accounts: """
            account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
            N,D,card,2025-01-01,2025-01-31,2025-01-01,10.00,NY,America/New_York,,,open,
            H,D,card,2025-01-01,2025-01-31,2025-01-01,10.00,HI,Pacific/Honolulu,,,open,
            """, contacts: """
            contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s
            c1,N,2025-03-09T06:59:59Z,call,outbound,no_answer,,
            c2,N,2025-03-09T07:00:00Z,call,outbound,no_answer,,
            c3,N,2025-11-02T05:59:59Z,call,outbound,no_answer,,
            c4,N,2025-11-02T06:00:00Z,call,outbound,no_answer,,
            c5,H,2025-07-01T09:59:59Z,call,outbound,no_answer,,
            """)
        let book = try b.reference()
        let got = book.contacts.map { ReferenceKPI.localTimestamp($0) + " " + ReferenceKPI.weekdays[$0.localWeekday] }
        XCTAssertEqual(got, [
            "2025-03-09T01:59:59-05:00 sun", "2025-03-09T03:00:00-04:00 sun",
            "2025-11-02T01:59:59-04:00 sun", "2025-11-02T01:00:00-05:00 sun",
            "2025-06-30T23:59:59-10:00 mon",
        ])
    }

    func testComparison() {
        let t = table(["a", "b"], [[usd(1), dec(1e9)], [nul, tx("x")]])
        XCTAssertNil(TableCompare.difference(t, table(["a", "b"], [[usd(1), dec(1e9 + 0.5)], [nul, tx("x")]])))
        XCTAssertNotNil(TableCompare.difference(t, table(["a", "b"], [[usd(1), dec(1e9 + 5)], [nul, tx("x")]])))
        XCTAssertNotNil(TableCompare.difference(t, table(["a", "b"], [[.money(101), dec(1e9)], [nul, tx("x")]])))
        XCTAssertNotNil(TableCompare.difference(t, table(["a", "b"], [[usd(1), dec(1e9)], [dec(0), tx("x")]])))
        XCTAssertNotNil(TableCompare.difference(t, table(["a", "b"], [[n(100), dec(1e9)], [nul, tx("x")]])))
        XCTAssertNotNil(TableCompare.difference(t, table(["a", "c"], [[usd(1), dec(1e9)], [nul, tx("x")]])))
        XCTAssertNil(TableCompare.difference(table(["z"], [[dec(1e-12)]]), table(["z"], [[dec(0)]])))
    }
}
