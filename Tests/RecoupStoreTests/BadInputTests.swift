import Foundation
import XCTest
@testable import RecoupStore

/// Every bad-input case of DATA.md fails the import with file, line, column,
/// value and reason, and leaves the store exactly at its last commit.
final class BadInputTests: XCTestCase {
    static let accountsHeader = "account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date"
    static let goodAccount = "A9,D9,card,2025-01-01,2025-01-31,2025-03-01,10.00,CA,America/Los_Angeles,G1,700,open,"

    struct Case {
        let file: String
        let text: String
        /// Fragments the error message must contain.
        let expect: [String]
    }

    static func account(_ replace: [Int: String]) -> String {
        var f = goodAccount.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for (i, v) in replace { f[i] = v }
        return accountsHeader + "\n" + f.joined(separator: ",") + "\n"
    }

    static let cases: [Case] = [
        Case(file: "accounts.csv", text: account([6: "12.345"]), expect: ["accounts.csv:2:7:", "principal", "\"12.345\"", "more than 2 fraction digits"]),
        Case(file: "accounts.csv", text: account([6: "1,000.00"]), expect: ["accounts.csv:2:"]),  // a stray comma shifts fields
        Case(file: "accounts.csv", text: account([3: "2025-02-30"]), expect: ["accounts.csv:2:4:", "opened_date", "\"2025-02-30\"", "not a real calendar date"]),
        Case(file: "accounts.csv", text: account([3: "01/02/2025"]), expect: [":2:4:", "YYYY-MM-DD"]),
        Case(file: "accounts.csv", text: account([11: "Open"]), expect: [":2:12:", "status", "\"Open\"", "is not one of: open, disputed"]),
        Case(file: "accounts.csv", text: account([0: String(repeating: "x", count: 65)]), expect: [":2:1:", "account_id", "longer than 64 bytes"]),
        Case(file: "accounts.csv", text: account([8: "America/Atlantis"]), expect: [":2:9:", "timezone", "not a known IANA time zone"]),
        Case(file: "accounts.csv", text: account([6: "0"]), expect: [":2:7:", "principal", "greater than 0"]),
        Case(file: "accounts.csv", text: account([6: "-5"]), expect: [":2:7:", "principal", "greater than 0"]),
        Case(file: "accounts.csv", text: account([4: "2024-12-31"]), expect: [":2:5:", "due_date", "before opened_date"]),
        Case(file: "accounts.csv", text: account([5: "2024-12-31"]), expect: [":2:6:", "placed_date", "before opened_date"]),
        Case(file: "accounts.csv", text: account([10: "900"]), expect: [":2:11:", "credit_score", "300..850"]),
        Case(file: "accounts.csv", text: account([10: "7x"]), expect: [":2:11:", "credit_score", "not an integer"]),
        Case(file: "accounts.csv", text: account([2: ""]), expect: [":2:3:", "portfolio", "is required"]),
        Case(file: "accounts.csv", text: account([1: "D\u{7}"]), expect: [":2:2:", "control character"]),
        Case(file: "accounts.csv", text: accountsHeader.replacingOccurrences(of: ",principal", with: "") + "\n", expect: ["accounts.csv:1:", "missing required column `principal`"]),
        Case(file: "accounts.csv", text: accountsHeader + ",colour\n", expect: ["accounts.csv:1:", "unknown column `colour`"]),
        Case(file: "accounts.csv", text: accountsHeader.replacingOccurrences(of: "principal", with: "principle") + "\n", expect: ["unknown column `principle`", "did you mean `principal`"]),
        Case(file: "accounts.csv", text: accountsHeader + ",region\n", expect: ["accounts.csv:1:", "duplicate column `region`"]),
        Case(file: "accounts.csv", text: "", expect: ["accounts.csv:1:", "empty"]),
        Case(file: "accounts.csv", text: accountsHeader + "\n" + goodAccount + ",extra\n", expect: ["accounts.csv:2:", "14 fields", "header has 13"]),
        Case(file: "contacts.csv", text: "contact_id,account_id,ts,channel,direction,outcome\nC9,A1,2025-03-04T14:05:00,call,outbound,busy\n", expect: ["contacts.csv:2:3:", "ts", "no time zone"]),
        Case(file: "contacts.csv", text: "contact_id,account_id,ts,channel,direction,outcome\nC9,A1,2025-03-04T25:05:00Z,call,outbound,busy\n", expect: [":2:3:", "invalid time of day"]),
        Case(file: "contacts.csv", text: "contact_id,account_id,ts,channel,direction,outcome\nC9,A1,2025-03-04T14:05:00Z,fax,outbound,busy\n", expect: [":2:4:", "channel", "\"fax\""]),
        Case(file: "contacts.csv", text: "contact_id,account_id,ts,channel,direction,outcome\nC9,A77,2025-03-04T14:05:00Z,call,outbound,busy\n", expect: [":2:2:", "account_id", "\"A77\"", "unknown account"]),
        Case(file: "contacts.csv", text: "contact_id,account_id,ts,channel,direction,outcome,duration_s\nC9,A1,2025-03-04T14:05:00Z,call,outbound,busy,-4\n", expect: [":2:7:", "duration_s", "≥ 0"]),
        Case(file: "contacts.csv", text: "contact_id,account_id,ts,channel,direction,outcome\nC1,A1,2025-03-05T15:00:00Z,call,outbound,no_answer\n", expect: ["contacts.csv:2:1:", "contact_id", "\"C1\"", "conflict with the row already stored"]),
        Case(file: "payments.csv", text: "payment_id,account_id,paid_date,amount,method\nP9,A1,2025-03-10,0,card\n", expect: [":2:4:", "amount", "must not be 0"]),
        Case(file: "payments.csv", text: "payment_id,account_id,paid_date,amount,method\nP9,A1,2025-03-10,1.5,bitcoin\n", expect: [":2:5:", "method"]),
        Case(file: "payments.csv", text: "payment_id,account_id,paid_date,amount,method\nP9,A1,2025-03-10,5,card\nP9,A1,2025-03-10,6,card\n", expect: ["payments.csv:3:1:", "conflict with an earlier row of this import"]),
        Case(file: "promises.csv", text: "promise_id,account_id,created_date,due_date,amount\nR9,A1,2025-03-10,2025-03-09,5\n", expect: [":2:4:", "due_date", "before created_date"]),
        Case(file: "promises.csv", text: "promise_id,account_id,created_date,due_date,amount\nR9,A1,2025-03-10,2025-03-19,-5\n", expect: [":2:5:", "amount", "greater than 0"]),
        Case(file: "promises.csv", text: "promise_id,account_id,created_date,due_date,amount\nR9,A1,2025-03-10,\"2025-03-19\n", expect: ["promises.csv:2:", "unterminated quoted field"]),
    ]

    func testEveryBadInputIsRejectedAndTheStoreIsUnchanged() throws {
        let s = Scratch()
        _ = try Importer.run(store: s.store, paths: [Book.writeAll(s)])
        let before = try contentDigest(Store.open(s.store))
        for (i, c) in Self.cases.enumerated() {
            let path = s.write("bad\(i)/\(c.file)", c.text)
            XCTAssertThrowsError(try Importer.run(store: s.store, paths: [path]), "case \(i)") { e in
                guard let e = e as? RecoupError else { return XCTFail("case \(i): \(e)") }
                XCTAssertEqual(e.exitCode, 65, "case \(i)")
                for fragment in c.expect {
                    XCTAssertTrue(e.message.contains(fragment), "case \(i): «\(e.message)» lacks «\(fragment)»")
                }
                XCTAssertTrue(e.details?.contains("nothing was committed; the store is still at commit 1") ?? false, "case \(i): \(e.details ?? "")")
            }
            XCTAssertEqual(try Store.commits(s.store), [1], "case \(i)")
            XCTAssertEqual(try contentDigest(Store.open(s.store)), before, "case \(i)")
        }
    }

    func testAFailedImportOfSeveralFilesCommitsNoneOfThem() throws {
        let s = Scratch()
        _ = try Importer.run(store: s.store, paths: [Book.writeAll(s)])
        let before = try contentDigest(Store.open(s.store))
        s.write("mixed/accounts.csv", Self.account([0: "A50"]))
        s.write("mixed/payments.csv", "payment_id,account_id,paid_date,amount,method\nP50,A50,2025-04-01,5,card\nP51,A50,2025-04-01,5.001,card\n")
        XCTAssertThrowsError(try Importer.run(store: s.store, paths: [s.dir + "/mixed"]))
        XCTAssertEqual(try contentDigest(Store.open(s.store)), before)
    }

    func testValueParsers() {
        func money(_ s: String) -> Int64? {
            var s = s
            return s.withUTF8 { if case .ok(let v) = FieldParsers.money(UnsafeRawBufferPointer($0)) { v } else { nil } }
        }
        XCTAssertEqual(money("12"), 1200)
        XCTAssertEqual(money("12.5"), 1250)
        XCTAssertEqual(money("12.50"), 1250)
        XCTAssertEqual(money("-0.07"), -7)
        XCTAssertEqual(money("92233720368547758.07"), Int64.max)
        XCTAssertNil(money("92233720368547758.08"))
        XCTAssertNil(money("12."))
        XCTAssertNil(money(".5"))
        XCTAssertNil(money("1e3"))
        XCTAssertNil(money("12.505"))
        XCTAssertNil(money(""))
        func ts(_ s: String) -> Int64? {
            var s = s
            return s.withUTF8 { if case .ok(let v) = FieldParsers.timestamp(UnsafeRawBufferPointer($0)) { v } else { nil } }
        }
        XCTAssertEqual(ts("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(ts("1970-01-01T00:00Z"), 0)
        XCTAssertEqual(ts("1970-01-01T01:00:00+01:00"), 0)
        XCTAssertEqual(ts("1969-12-31T19:00:00-0500"), 0)
        XCTAssertEqual(ts("2025-03-04T09:05:00-05:00"), ts("2025-03-04T14:05:00Z"))
        XCTAssertNil(ts("2025-03-04T14:05:00"))
        XCTAssertNil(ts("2025-03-04T14:05:00.5Z"))
        XCTAssertNil(ts("2025-02-29T14:05:00Z"))
        XCTAssertEqual(CivilDate.parse("2024-02-29"), CivilDate.days(year: 2024, month: 2, day: 29))
        XCTAssertNil(CivilDate.parse("2100-02-29"))
        XCTAssertEqual(CivilDate.format(CivilDate.parse("2000-02-29")!), "2000-02-29")
        XCTAssertEqual(CivilDate.weekday(CivilDate.parse("2025-06-30")!), 0, "a Monday")
        XCTAssertEqual(CivilDate.day(ofSeconds: 0), 0)
        XCTAssertEqual(CivilDate.day(ofSeconds: 86399), 0)
        XCTAssertEqual(CivilDate.day(ofSeconds: -1), -1, "1969-12-31T23:59:59Z")
        XCTAssertEqual(CivilDate.day(ofSeconds: -86400), -1)
        XCTAssertEqual(CivilDate.day(ofSeconds: -86401), -2)
        XCTAssertEqual(CivilDate.format(CivilDate.monthEnd(2024 * 12 + 1)), "2024-02-29")
    }
}
