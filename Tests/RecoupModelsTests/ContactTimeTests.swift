import Foundation
import RecoupEngine
@testable import RecoupGenerator
@testable import RecoupModels
import RecoupStore
import XCTest

/// Best-contact-time model: recovery of the generator's planted preferred hours, held-out AUC and
/// top-3 RPC rate, the legal window, the calling-rule filter on a hand-built book, new accounts,
/// determinism.
final class ContactTimeTests: XCTestCase {
    final class Generated {
        let dir: String
        let snapshot: Snapshot
        init() throws {
            dir = NSTemporaryDirectory() + "recoup-contact-time-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            _ = try generateBook(GeneratorConfig(accounts: 3000, seed: 4), to: dir + "/book")
            _ = try Importer.run(store: dir + "/store", paths: [dir + "/book"])
            snapshot = try Store.open(dir + "/store")
        }
        deinit { try? FileManager.default.removeItem(atPath: dir) }
    }

    nonisolated(unsafe) static var shared: Generated?
    static func generated() throws -> Generated {
        if let g = shared { return g }
        let g = try Generated()
        shared = g
        return g
    }

    static func day(_ s: String) -> Int32 { CivilDate.parse(s)! }
    static let end = day("2025-06-30")

    /// Account key of each account id.
    static func keys(_ snapshot: Snapshot) throws -> [String: Int32] {
        let ids = try TableScan(snapshot, "accounts").text("account_id")
        var out: [String: Int32] = [:]
        for i in 0..<ids.count { out[ids[i]] = Int32(i) }
        return out
    }

    // MARK: - Generated book

    /// Train through February 2025, test on March–June (≈ 3,500 held-out calls). Calls are placed at
    /// hours that ignore the debtor's preferences, so only ≈ 120 of them fall in their account's top-3
    /// slots: the top-3 rate is a small sample on a 3,000-account book (later splits, with fewer test
    /// calls, measure it less precisely).
    func testHeldOutAUCAndTop3Rate() throws {
        let g = try Self.generated()
        let r = try ContactTimeEvaluation.run(snapshot: g.snapshot, trainAsOf: Self.day("2025-02-28"),
                                              testFrom: Self.day("2025-03-01"), testTo: Self.end)
        print("contact time held-out: AUC \(r.auc), RPC rate top-3 \(r.rpcRateTop3), all \(r.rpcRateAll)")
        XCTAssertGreaterThan(r.auc, 0.6)
        XCTAssertGreaterThan(r.rpcRateTop3, 1.4 * r.rpcRateAll)
    }

    /// For accounts with at least 3 RPCs in training, the top slot's hour is near the debtor's planted
    /// peak hour (DebtorProfile, rebuilt from the seed and the debtor number) far more often than the
    /// book's best hour is.
    func testRecoversPlantedPeakHours() throws {
        let g = try Self.generated()
        let data = try ContactTimeData(snapshot: g.snapshot)
        let model = ContactTimeTrainer.train(data: data, asOf: Self.end)
        let debtors = try TableScan(g.snapshot, "accounts").text("debtor_id")
        var rpcs = [Int](repeating: 0, count: data.accountCount)
        for c in ContactTimeTrainer.calls(data, asOf: Self.end) where c.rpc { rpcs[Int(c.account)] += 1 }
        let bookBest = ContactTimeModel.ranked(model.bookRate)[0] % 13 + 8
        var checked = 0, near = 0, bookNear = 0
        for a in 0..<data.accountCount where rpcs[a] >= 3 {
            let debtor = Int(debtors[a].dropFirst())! - 1
            let profile = DebtorProfile(seed: 4, index: debtor)
            let topHour = ContactTimeModel.ranked(model.probabilities(account: Int32(a)))[0] % 13 + 8
            checked += 1
            // Slot h covers h:00–h:59: its middle is h + 0.5.
            if abs(Double(topHour) + 0.5 - profile.peakHour) <= 2 { near += 1 }
            if abs(Double(bookBest) + 0.5 - profile.peakHour) <= 2 { bookNear += 1 }
        }
        print("contact time peak recovery: \(near)/\(checked) near the planted peak; book's best hour \(bookNear)/\(checked)")
        XCTAssertGreaterThan(checked, 100)
        XCTAssertGreaterThan(Double(near) / Double(checked), 0.7)
        XCTAssertGreaterThan(near, bookNear + checked / 10)
    }

    func testNothingOutsideTheLegalWindow() throws {
        // The recommender's hours are the calling rules' hours: 08:00 up to a start before 21:00.
        XCTAssertEqual(Array(ContactTimeModel.hours), Array(8...20))
        XCTAssertEqual(Array(ContactTimeModel.hours), Array(CallingRules.callingHours))
        let g = try Self.generated()
        let data = try ContactTimeData(snapshot: g.snapshot)
        let model = ContactTimeTrainer.train(data: data, asOf: Self.end)
        let all = ContactTimeModel.recommend(model: model, data: data, asOf: Self.end, accounts: nil, top: 91)
        XCTAssertEqual(all.count, data.accountCount)
        var slots = 0
        for list in all {
            for s in list {
                XCTAssertTrue((8...20).contains(s.hour), "\(s)")
                XCTAssertTrue(CivilDate.weekdayNames.contains(s.weekday))
                XCTAssertTrue(s.p_rpc > 0 && s.p_rpc < 1)
            }
            XCTAssertEqual(Set(list.map { "\($0.weekday)\($0.hour)" }).count, list.count)
            slots += list.count
        }
        XCTAssertGreaterThan(slots, 91 * data.accountCount / 2)
        for h in [0, 5, 7, 21, 23] {
            XCTAssertEqual(model.probability(account: 0, weekday: 2, hour: h), 0)
        }
        for a in Int32(0)..<Int32(50) {
            let p = model.probabilities(account: a)
            XCTAssertTrue(p.allSatisfy { $0 > 0 && $0 < 1 })
        }
    }

    func testNewAccountGetsItsSegmentsBestSlots() throws {
        let g = try Self.generated()
        let data = try ContactTimeData(snapshot: g.snapshot)
        let a = Self.day("2025-03-31")
        let model = ContactTimeTrainer.train(data: data, asOf: a)
        let withCalls = Set(ContactTimeTrainer.calls(data, asOf: a).map(\.account))
        let index = data.history(asOf: a)
        // Debtors with outbound calls in training: their other accounts borrow the debtor's hour profile.
        let debtorsWithCalls = Set(withCalls.map { data.debtor[Int($0)] })
        let noCalls = (0..<Int32(data.accountCount)).filter { k in
            data.placed[Int(k)] <= a && !withCalls.contains(k)
                && !index.rows(of: Int(k)).contains { data.isCall[Int($0)] }
        }
        let fresh = noCalls.filter { !debtorsWithCalls.contains(data.debtor[Int($0)]) }
        let borrowing = noCalls.filter { debtorsWithCalls.contains(data.debtor[Int($0)]) }
        XCTAssertGreaterThan(fresh.count, 5)
        XCTAssertGreaterThan(borrowing.count, 0)
        for k in borrowing {
            let seg = model.segmentRates[Int(model.accountSegment[Int(k)])]
            XCTAssertNotEqual(model.probabilities(account: k), seg)
        }
        let recs = ContactTimeModel.recommend(model: model, data: data, asOf: a, accounts: fresh, top: 3)
        for (k, rec) in zip(fresh, recs) {
            let seg = model.segmentRates[Int(model.accountSegment[Int(k)])]
            let best = ContactTimeModel.ranked(seg).prefix(3).map {
                ContactTimeSlot(weekday: CivilDate.weekdayNames[$0 / 13], hour: 8 + $0 % 13, p_rpc: seg[$0])
            }
            XCTAssertEqual(rec, Array(best))
        }
        // The segment level itself is informative: evenings and Saturdays beat weekday mornings (workers dominate).
        let book = model.bookRate
        XCTAssertGreaterThan(book[ContactTimeModel.slotIndex(weekday: 5, hour: 18)], book[ContactTimeModel.slotIndex(weekday: 1, hour: 8)])
    }

    func testDeterministic() throws {
        let g = try Self.generated()
        let a = Self.day("2025-04-30")
        let m1 = try ContactTimeTrainer.train(snapshot: g.snapshot, asOf: a)
        let m2 = try ContactTimeTrainer.train(snapshot: g.snapshot, asOf: a)
        XCTAssertEqual(m1, m2)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let j1 = try enc.encode(m1), j2 = try enc.encode(m2)
        XCTAssertEqual(j1, j2)
        XCTAssertEqual(try JSONDecoder().decode(ContactTimeModel.self, from: j1), m1)
        XCTAssertNotNil(m1.validationLogLikelihood)
        let r1 = try ContactTimeModel.recommend(model: m1, snapshot: g.snapshot, asOf: a, accounts: nil)
        let r2 = try ContactTimeModel.recommend(model: m2, snapshot: g.snapshot, asOf: a, accounts: nil)
        XCTAssertEqual(r1, r2)
    }

    /// Training uses only calls dated (locally) on or before A: rows after A change nothing.
    func testNoLeakageAfterAsOf() throws {
        let g = try Self.generated()
        let data = try ContactTimeData(snapshot: g.snapshot)
        let a = Self.day("2025-02-28")
        let m = ContactTimeTrainer.train(data: data, asOf: a)
        XCTAssertEqual(m.trainingCalls, ContactTimeTrainer.calls(data, asOf: a).count)
        XCTAssertTrue(ContactTimeTrainer.calls(data, asOf: a).allSatisfy { $0.date <= a })
        XCTAssertLessThan(m.trainingCalls, ContactTimeTrainer.calls(data, asOf: Self.end).count)
    }

    // MARK: - Hand-built book: the calling rules

    // A = 2025-03-31, a Monday. Next dates: tue 04-01, wed 04-02, thu 04-03, fri 04-04, sat 04-05,
    // sun 04-06, mon 04-07. New York and Chicago are on daylight time (−4, −5).
    //   X1: 7 outbound calls dated 03-28 ×2, 03-29 ×2, 03-30 ×2, 03-31: windows [d−6, d] for tue, wed, thu
    //       hold 7 → those days are skipped; fri [03-29, 04-04] holds 5.
    //   X2: inbound call right_party 03-27 (a conversation, days 03-27…04-02): tue, wed skipped; thu allowed.
    //       An sms replied 03-30 is RPC but no telephone conversation.
    //   X3: no contacts: every slot, its segment's order.
    //   X4: placed 03-30; 7 calls and a conversation on 03-28/29, before placement: count nowhere.
    //   X5: a conversation on 04-01 local (after A): does not count as of A.
    //   X6: outbound call right_party 03-25 (days 03-25…03-31): nothing skipped after A.
    static let accountsCSV = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    X1,D1,card,2024-10-01,2024-10-31,2025-01-01,1000.00,NY,America/New_York,G1,,open,
    X2,D2,card,2024-10-01,2024-10-31,2025-01-01,500.00,TX,America/Chicago,G2,,open,
    X3,D3,card,2024-10-01,2024-10-31,2025-01-01,500.00,NY,America/New_York,G1,,open,
    X4,D4,card,2024-10-01,2024-10-31,2025-03-30,500.00,NY,America/New_York,G1,,open,
    X5,D5,card,2024-10-01,2024-10-31,2025-01-01,500.00,NY,America/New_York,G1,,open,
    X6,D6,card,2024-10-01,2024-10-31,2025-01-01,500.00,NY,America/New_York,G1,,open,
    """
    static let contactsCSV = """
    contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s
    c01,X1,2025-03-28T14:00:00Z,call,outbound,no_answer,G1,
    c02,X1,2025-03-28T20:00:00Z,call,outbound,voicemail,G1,30
    c03,X1,2025-03-29T14:00:00Z,call,outbound,no_answer,G1,
    c04,X1,2025-03-29T20:00:00Z,call,outbound,no_answer,G1,
    c05,X1,2025-03-30T14:00:00Z,call,outbound,busy,G1,
    c06,X1,2025-03-30T20:00:00Z,call,outbound,no_answer,G1,
    c07,X1,2025-03-31T14:00:00Z,call,outbound,no_answer,G1,
    c08,X1,2025-03-31T15:00:00Z,sms,outbound,delivered,,
    c10,X2,2025-03-27T15:00:00Z,call,inbound,right_party,G2,100
    c11,X2,2025-03-30T15:00:00Z,sms,inbound,replied,,
    c20,X4,2025-03-28T14:00:00Z,call,outbound,no_answer,G1,
    c21,X4,2025-03-28T15:00:00Z,call,outbound,no_answer,G1,
    c22,X4,2025-03-28T16:00:00Z,call,outbound,no_answer,G1,
    c23,X4,2025-03-29T14:00:00Z,call,outbound,no_answer,G1,
    c24,X4,2025-03-29T15:00:00Z,call,outbound,no_answer,G1,
    c25,X4,2025-03-29T16:00:00Z,call,outbound,no_answer,G1,
    c26,X4,2025-03-29T17:00:00Z,call,outbound,right_party,G1,60
    c30,X5,2025-04-01T14:00:00Z,call,inbound,promise,G1,200
    c40,X6,2025-03-25T14:00:00Z,call,outbound,right_party,G1,60
    """

    func testCallingRulesSkipSlots() throws {
        let dir = NSTemporaryDirectory() + "recoup-contact-time-hand-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/book", withIntermediateDirectories: true)
        func trimmed(_ s: String) -> String {
            s.split(separator: "\n").map { String($0.drop(while: { $0 == " " })) }.filter { !$0.isEmpty }.joined(separator: "\n") + "\n"
        }
        try trimmed(Self.accountsCSV).write(toFile: dir + "/book/accounts.csv", atomically: true, encoding: .utf8)
        try trimmed(Self.contactsCSV).write(toFile: dir + "/book/contacts.csv", atomically: true, encoding: .utf8)
        _ = try Importer.run(store: dir + "/store", paths: [dir + "/book"])
        let snapshot = try Store.open(dir + "/store")
        let a = Self.day("2025-03-31")
        XCTAssertEqual(ContactTimeModel.nextDates(after: a),
                       ["2025-04-07", "2025-04-01", "2025-04-02", "2025-04-03", "2025-04-04", "2025-04-05", "2025-04-06"].map(Self.day))

        let model = try ContactTimeTrainer.train(snapshot: snapshot, asOf: a)
        let keys = try Self.keys(snapshot)
        let ids = ["X1", "X2", "X3", "X4", "X5", "X6"]
        let recs = try ContactTimeModel.recommend(model: model, snapshot: snapshot, asOf: a,
                                                  accounts: ids.map { keys[$0]! }, top: 91)
        func days(_ r: [ContactTimeSlot]) -> Set<String> { Set(r.map(\.weekday)) }
        let every = Set(CivilDate.weekdayNames)
        XCTAssertEqual(days(recs[0]), every.subtracting(["tue", "wed", "thu"]))
        XCTAssertEqual(recs[0].count, 4 * 13)
        XCTAssertEqual(days(recs[1]), every.subtracting(["tue", "wed"]))
        XCTAssertEqual(recs[1].count, 5 * 13)
        for i in 2..<6 { XCTAssertEqual(recs[i].count, 91, ids[i]) }

        // X3 has no contacts: its segment's slots in order, no rule in the way.
        let x3 = keys["X3"]!
        let seg = model.segmentRates[Int(model.accountSegment[Int(x3)])]
        XCTAssertEqual(recs[2].map(\.p_rpc), ContactTimeModel.ranked(seg).map { seg[$0] })
        // Ordered by P(RPC), descending.
        for r in recs { XCTAssertTrue(zip(r, r.dropFirst()).allSatisfy { $0.p_rpc >= $1.p_rpc }) }

        // The default top 3 for X1 are the best three allowed slots.
        let top = try ContactTimeModel.recommend(model: model, snapshot: snapshot, asOf: a, accounts: [keys["X1"]!])
        XCTAssertEqual(top, [Array(recs[0].prefix(3))])
        // Before placement (A before X4's placed_date): no slots at all.
        let early = try ContactTimeModel.recommend(model: model, snapshot: snapshot, asOf: Self.day("2025-03-29"), accounts: [keys["X4"]!])
        XCTAssertEqual(early, [[]])
        // As of 03-29 X6's conversation (03-25) still covers sun 03-30 and mon 03-31; tue 04-01 (day 8) is free.
        let x6 = try ContactTimeModel.recommend(model: model, snapshot: snapshot, asOf: Self.day("2025-03-29"), accounts: [keys["X6"]!], top: 91)
        XCTAssertEqual(days(x6[0]), every.subtracting(["sun", "mon"]))
    }
}

extension ContactTimeTests {
    /// The batch form (account looked up once) gives what `probability` gives, slot by slot.
    func testProbabilitiesIntoAgreesWithProbability() throws {
        let g = try Self.generated()
        let model = try ContactTimeTrainer.train(snapshot: g.snapshot, asOf: Self.end)
        var p = [Double](repeating: 0, count: ContactTimeModel.slotCount)
        for acct in Array(stride(from: Int32(0), to: Int32(3000), by: 13)) + [-1, 999_999] {
            model.probabilities(account: acct, into: &p)
            for s in 0..<ContactTimeModel.slotCount {
                XCTAssertEqual(p[s], model.probability(account: acct, weekday: s / 13, hour: 8 + s % 13), "account \(acct) slot \(s)")
            }
        }
    }
}
