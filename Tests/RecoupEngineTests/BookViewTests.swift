import Foundation
import RecoupStore
import XCTest

@testable import RecoupEngine

/// The book view's rules at their boundaries, with answers worked out by hand from DATA.md, KPIS.md
/// and STRATEGY.md (not from the code under test).
final class BookViewTests: XCTestCase {
    static func d(_ s: String) -> Int32 { CivilDate.parse(s)! }

    func testCallingHoursAre0800To2059() {
        XCTAssertFalse(CallingRules.isCallingTime(secondOfDay: 8 * 3600 - 1))  // 07:59:59
        XCTAssertTrue(CallingRules.isCallingTime(secondOfDay: 8 * 3600))  // 08:00:00
        XCTAssertTrue(CallingRules.isCallingTime(secondOfDay: 21 * 3600 - 1))  // 20:59:59
        XCTAssertFalse(CallingRules.isCallingTime(secondOfDay: 21 * 3600))  // 21:00:00
        XCTAssertEqual(Array(CallingRules.callingHours), Array(8...20))
        XCTAssertEqual(CallingRules.Breach.allCases.map(\.id),
                       ["calling_hours", "seven_in_seven", "after_conversation", "cease_contact"])
    }

    func testSevenInSevenBlocksTheEighthCallOnly() {
        let d = Self.d("2025-06-10")
        var h = CallHistory()
        // Six outbound calls on 06-04 … 06-09: a 7th on 06-10 is allowed.
        for day in 4...9 { h.add(channel: ContactClass.call, direction: ContactClass.outbound, outcome: 0, localDate: Self.d("2025-06-0\(day)")) }
        XCTAssertFalse(h.sevenInSeven(on: d))
        // A seventh on 06-04 (d − 6): the call on 06-10 would be the 8th.
        h.add(channel: ContactClass.call, direction: ContactClass.outbound, outcome: 0, localDate: Self.d("2025-06-04"))
        XCTAssertTrue(h.sevenInSeven(on: d))
        // On 06-11 the window is 06-05 … 06-10: the two calls of 06-04 have left it (5 remain).
        XCTAssertFalse(h.sevenInSeven(on: Self.d("2025-06-11")))
        // Inbound calls and texts are not outbound calls.
        var other = CallHistory()
        for _ in 0..<9 {
            other.add(channel: ContactClass.call, direction: ContactClass.inbound, outcome: 0, localDate: d - 1)
            other.add(channel: UInt8(Schema.channels.firstIndex(of: "sms")!), direction: ContactClass.outbound, outcome: 0, localDate: d - 1)
        }
        XCTAssertFalse(other.sevenInSeven(on: d))
        XCTAssertTrue(other.allowsCall(on: d))
    }

    func testAConversationKeepsCallsAwayForSevenDaysCountingItsOwn() {
        let conv = Self.d("2025-06-01")
        var h = CallHistory()
        // An inbound call with a right-party outcome is a telephone conversation.
        h.add(channel: ContactClass.call, direction: ContactClass.inbound, outcome: ContactClass.outcome("right_party"), localDate: conv)
        XCTAssertTrue(h.afterConversation(on: conv + 1))  // day 2
        XCTAssertTrue(h.afterConversation(on: conv + 6))  // day 7: 06-07
        XCTAssertFalse(h.afterConversation(on: conv + 7))  // day 8: 06-08
        XCTAssertTrue(h.allowsCall(on: conv + 7))
        // A text reply is a right-party contact but not a telephone conversation.
        var t = CallHistory()
        t.add(channel: UInt8(Schema.channels.firstIndex(of: "sms")!), direction: ContactClass.inbound, outcome: ContactClass.outcome("replied"), localDate: conv)
        XCTAssertFalse(t.afterConversation(on: conv + 1))
        // A voicemail is not a right-party contact.
        var v = CallHistory()
        v.add(channel: ContactClass.call, direction: ContactClass.outbound, outcome: ContactClass.outcome("voicemail"), localDate: conv)
        XCTAssertFalse(v.afterConversation(on: conv + 1))
    }

    func testContactClassesFollowDataMD() {
        let rpc = Schema.outcomes.filter { ContactClass.isRPC(ContactClass.outcome($0)) }
        XCTAssertEqual(rpc, ["right_party", "promise", "refused", "dispute", "replied"])
        XCTAssertFalse(ContactClass.isRPC(200))  // an unknown code is not a right-party contact
    }

    func testAsOfCountsFromPlacementThroughA() {
        let p = Self.d("2025-03-10"), a = Self.d("2025-06-30")
        XCTAssertTrue(AsOf.known(placed: p, asOf: p))
        XCTAssertFalse(AsOf.known(placed: p, asOf: p - 1))
        XCTAssertFalse(AsOf.known(placed: Null.int32, asOf: a))
        XCTAssertFalse(AsOf.counts(date: p - 1, placed: p, asOf: a))  // before placement: nowhere
        XCTAssertTrue(AsOf.counts(date: p, placed: p, asOf: a))
        XCTAssertTrue(AsOf.counts(date: a, placed: p, asOf: a))
        XCTAssertFalse(AsOf.counts(date: a + 1, placed: p, asOf: a))
        XCTAssertFalse(AsOf.counts(date: a, placed: a + 1, asOf: a + 5, from: a + 1, to: a + 5))
    }

    // MARK: a small store

    static let accounts = """
        account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
        NY,D1,card,2025-01-01,2025-02-01,2025-06-02,1000.00,NY,America/New_York,G1,,open,
        LA,D2,card,2025-01-01,2025-02-01,2025-06-02,500.00,CA,America/Los_Angeles,,,open,
        """
    // A = 2025-06-30. New York is UTC−4 in June, Los Angeles UTC−7.
    //   C1 NY 2025-06-02T03:30Z = 06-01 23:30 local: before placement (06-02), counts nowhere.
    //   C2 NY 2025-06-02T04:00Z = 06-02 00:00 local: on the placement date, counts.
    //   C3 LA 2025-07-01T06:59Z = 06-30 23:59 local: local date A, counts (UTC date is A + 1).
    //   C4 LA 2025-07-01T07:00Z = 07-01 00:00 local: after A.
    static let contacts = """
        contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s
        C1,NY,2025-06-02T03:30:00Z,call,outbound,no_answer,G1,0
        C2,NY,2025-06-02T04:00:00Z,call,outbound,right_party,G1,60
        C3,LA,2025-07-01T06:59:00Z,sms,inbound,replied,,
        C4,LA,2025-07-01T07:00:00Z,call,outbound,no_answer,,0
        """
    // Promises judged at A = 06-30 with G = 3 (due + 3 ≤ 06-30):
    //   R1 NY 06-05 → 06-20, 300: payments 06-05..06-23 = 100 + 150 = 250 → broken (250).
    //   R2 NY 06-10 → 06-27, 100: 06-27 + 3 = 06-30 = A, judged; 06-10..06-30 = 150 + 40 = 190 → kept.
    //   R3 LA 06-01 → 06-10, 50: the 06-01 payment is before placement (counts nowhere): 0 → broken.
    static let promises = """
        promise_id,account_id,created_date,due_date,amount
        R1,NY,2025-06-05,2025-06-20,300.00
        R2,NY,2025-06-10,2025-06-27,100.00
        R3,LA,2025-06-01,2025-06-10,50.00
        """
    static let payments = """
        payment_id,account_id,paid_date,amount,method
        P1,NY,2025-06-04,70.00,card
        P2,NY,2025-06-05,100.00,card
        P3,NY,2025-06-12,150.00,card
        P4,NY,2025-06-24,40.00,card
        P5,LA,2025-06-01,80.00,card
        """

    func withBook(_ body: (Book) throws -> Void) throws {
        let dir = NSTemporaryDirectory() + "recoup-book-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        for (name, text) in [("accounts", Self.accounts), ("contacts", Self.contacts), ("promises", Self.promises),
                             ("payments", Self.payments)] {
            let lines = text.split(separator: "\n").map { $0.drop(while: { $0 == " " }) }
            try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/in/\(name).csv", atomically: true, encoding: .utf8)
        }
        _ = try Importer.run(store: dir + "/store", paths: [dir + "/in"])
        try body(Book(Store.open(dir + "/store")))
    }

    func testKnownContactsAreByLocalDateFromPlacementThroughA() throws {
        try withBook { book in
            let a = Self.d("2025-06-30")
            let ids = book.contactIDs
            let parts: [[String]] = try book.knownContacts(asOf: a, start: { [] }) { out, c in
                out.append("\(c.account) \(CivilDate.format(c.localDate)) \(LocalTime.hour(c.local))")
            }
            XCTAssertEqual(parts.flatMap { $0 }.sorted(), ["0 2025-06-02 0", "1 2025-06-30 23"])
            XCTAssertEqual(ids[0], "C1")
            // Local date of every contact, in its account's zone.
            XCTAssertEqual(book.localDate.map { CivilDate.format($0) }, ["2025-06-01", "2025-06-02", "2025-06-30", "2025-07-01"])
            XCTAssertEqual(
                LocalTime.format(local: book.localSeconds[2], offset: Int(book.localSeconds[2] - book.contactTS[2])),
                "2025-06-30T23:59:00-07:00")
        }
    }

    func testPromiseRuleSumsCountedPaymentsInTheWindow() throws {
        try withBook { book in
            let a = Self.d("2025-06-30")
            let paid = try PromiseRule.paid(book, promises: [0, 1, 2], grace: 3, asOf: a)
            XCTAssertEqual(paid, [25_000, 19_000, 0])
            XCTAssertEqual(zip(paid, book.promiseAmount).map { PromiseRule.isKept(paid: $0, amount: $1) }, [false, true, false])
            XCTAssertTrue(PromiseRule.isJudged(due: Self.d("2025-06-27"), grace: 3, asOf: a))
            XCTAssertFalse(PromiseRule.isJudged(due: Self.d("2025-06-28"), grace: 3, asOf: a))
            // outstanding: NY 1000 − (70 + 100 + 150 + 40) = 640 (all on or after placement 06-02); LA 500 (the
            // 06-01 payment predates placement).
            XCTAssertEqual(try book.outstanding(at: a), [64_000, 50_000])
        }
    }
}
