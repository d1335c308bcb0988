import Foundation
import RecoupStore
import XCTest
@testable import RecoupModels

/// A scratch store fed by CSV folders (one import per folder).
final class FeaturesScratch {
    let dir: String
    private var folders = 0
    var store: String { dir + "/store" }

    init() {
        dir = NSTemporaryDirectory() + "recoup-features-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// Writes the given files (literal blocks: leading spaces and blank lines dropped) and imports them.
    func add(accounts: String? = nil, contacts: String? = nil, payments: String? = nil, promises: String? = nil) throws {
        folders += 1
        let folder = dir + "/book\(folders)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in [("accounts", accounts), ("contacts", contacts), ("payments", payments), ("promises", promises)] {
            guard let text else { continue }
            let body = text.split(separator: "\n").map { $0.drop(while: { $0 == " " }) }.filter { !$0.isEmpty }
                .joined(separator: "\n") + "\n"
            try body.write(toFile: folder + "/\(name).csv", atomically: true, encoding: .utf8)
        }
        _ = try Importer.run(store: store, paths: [folder])
    }

    func snapshot(commit: Int? = nil) throws -> Snapshot { try Store.open(store, commit: commit) }
}

func featureDay(_ s: String) -> Int32 { CivilDate.parse(s)! }

extension FeatureSet {
    /// The row of the account with id `id`, looked up in the snapshot's accounts table.
    func row(of id: String, in snapshot: Snapshot) throws -> Int? {
        var key = 0
        for part in try snapshot.readAll(table: "accounts", column: "account_id") {
            guard case .string(let s) = part else { continue }
            for i in 0..<s.count {
                if s[i] == id { return accountKeys.firstIndex(of: Int32(key)) }
                key += 1
            }
        }
        return nil
    }

    /// Feature `name` of row `row`.
    func value(_ name: String, _ row: Int) -> Float {
        dataset.columns[dataset.featureNames.firstIndex(of: name)!][row]
    }
}

/// Features worked out by hand on a tiny book, A = 2025-05-31; the population rules; and no leakage:
/// rows dated after A, imported later, leave every feature bit-identical.
final class FeaturesHandTests: XCTestCase {
    static let accounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    F1,D1,card,2025-01-05,2025-02-04,2025-03-03,800.00,NY,America/New_York,G1,650,open,
    F2,D1,telco,2024-12-01,2024-12-31,2025-02-03,400.00,NY,America/New_York,,,closed,2025-06-10
    F3,D3,invoice,2025-04-02,2025-05-02,2025-04-02,250.00,HI,Pacific/Honolulu,G2,700,disputed,2025-05-20
    F4,D4,invoice,2025-04-10,2025-05-10,2025-04-10,100.00,NY,America/New_York,G2,600,closed,2025-05-01
    F5,D5,auto,2025-01-01,2025-01-31,2025-06-05,900.00,TX,America/Chicago,G1,610,open,
    F6,D6,invoice,2025-05-31,2025-06-30,2025-05-31,50.00,CA,America/Los_Angeles,,580,open,
    F7,D7,card,2024-10-01,2024-10-31,2025-03-03,80.00,NY,America/New_York,G1,720,closed,2025-05-20
    """
    // Contacts (NY is UTC−4 and Honolulu UTC−10 in May):
    //   c4 02:00Z on 06-01 is 22:00 on 05-31 in New York: counted (age 0); c5 01:00 on 06-01: after A.
    //   c6 is before F1's placement: counts nowhere. c9 is 23:00 on 05-31 in Honolulu: counted.
    static let contacts = """
    contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s
    c1,F1,2025-05-28T14:00:00Z,call,outbound,right_party,G1,60
    c2,F1,2025-05-29T14:00:00Z,call,outbound,no_answer,G1,
    c3,F1,2025-05-01T15:00:00Z,sms,outbound,replied,,
    c4,F1,2025-06-01T02:00:00Z,call,outbound,voicemail,G1,20
    c5,F1,2025-06-01T05:00:00Z,call,outbound,no_answer,G1,
    c6,F1,2025-03-01T15:00:00Z,letter,outbound,delivered,,
    c7,F1,2025-04-15T15:00:00Z,call,inbound,refused,G1,30
    c8,F1,2025-05-25T13:00:00Z,email,outbound,bounced,,
    c9,F3,2025-06-01T09:00:00Z,call,inbound,right_party,G2,40
    c10,F3,2025-05-10T20:00:00Z,call,outbound,promise,G2,200
    """
    static let payments = """
    payment_id,account_id,paid_date,amount,method
    p1,F1,2025-02-20,50.00,card
    p2,F1,2025-04-10,100.00,card
    p3,F1,2025-05-15,50.00,card
    p4,F1,2025-05-20,-50.00,card
    p5,F1,2025-06-15,30.00,card
    p6,F2,2025-03-01,40.00,ach
    p7,F2,2025-07-05,20.00,ach
    p8,F3,2025-05-31,25.00,card
    p9,F3,2025-06-30,10.00,card
    p10,F4,2025-05-01,100.00,ach
    p11,F5,2025-06-06,10.00,card
    p12,F7,2025-05-20,80.00,card
    """
    // r1 judged (due + 3 = 05-13): nothing paid in [05-01, 05-13] → broken. r2: 100 paid 04-10 in
    // [04-05, 04-15] → kept. r3 pending (due + 3 > A), due in 4 days. r4 created after A, r5 before
    // placement: neither counts. r6 (F3): nothing in [05-10, 05-23] → broken.
    static let promises = """
    promise_id,account_id,created_date,due_date,amount
    r1,F1,2025-05-01,2025-05-10,100.00
    r2,F1,2025-04-05,2025-04-12,100.00
    r3,F1,2025-05-28,2025-06-04,60.00
    r4,F1,2025-06-02,2025-06-09,40.00
    r5,F1,2025-03-01,2025-03-08,70.00
    r6,F3,2025-05-10,2025-05-20,25.00
    """

    // Everything dated after A, plus a new account (placed after A, a new portfolio and region, debtor D1)
    // and F1 and F2 again with status changes that take effect after A.
    static let lateAccounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    F1,D1,card,2025-01-05,2025-02-04,2025-03-03,800.00,NY,America/New_York,G1,650,cease_contact,2025-06-20
    F8,D1,medical,2025-01-01,2025-01-31,2025-06-02,300.00,WA,America/Los_Angeles,G2,640,open,
    """
    static let lateContacts = """
    contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s
    l1,F2,2025-06-02T15:00:00Z,call,outbound,promise,G1,100
    l2,F3,2025-06-01T10:30:00Z,call,outbound,right_party,G2,30
    l3,F1,2025-06-01T04:30:00Z,sms,outbound,replied,,
    l4,F8,2025-06-03T15:00:00Z,call,outbound,right_party,G2,50
    l5,F6,2025-06-01T07:30:00Z,email,inbound,replied,,
    """
    static let latePayments = """
    payment_id,account_id,paid_date,amount,method
    lp1,F2,2025-06-20,100.00,ach
    lp2,F1,2025-06-03,40.00,card
    lp3,F7,2025-06-03,-80.00,card
    lp4,F8,2025-06-04,30.00,card
    lp5,F6,2025-06-01,-5.00,card
    """
    static let latePromises = """
    promise_id,account_id,created_date,due_date,amount
    lr1,F2,2025-06-02,2025-06-09,100.00
    lr2,F3,2025-06-01,2025-06-05,50.00
    """

    static let a = featureDay("2025-05-31")

    func makeBook() throws -> FeaturesScratch {
        let s = FeaturesScratch()
        try s.add(accounts: Self.accounts, contacts: Self.contacts, payments: Self.payments, promises: Self.promises)
        return s
    }

    func testHandValues() throws {
        let book = try makeBook()
        let snap = try book.snapshot()
        let fs = try FeatureBuilder.build(snapshot: snap, asOf: Self.a, withLabels: true)
        XCTAssertEqual(fs.asOf, Self.a)
        XCTAssertEqual(fs.dataset.featureNames, FeatureBuilder.featureNames)
        XCTAssertEqual(Set(fs.dataset.featureNames).count, fs.dataset.featureCount, "names are unique")
        let nan = Float.nan
        let f1 = try XCTUnwrap(try fs.row(of: "F1", in: snap))
        // F1: collected 100 + 50 − 50 = 100 (the 02-20 payment is before placement).
        let want1: [String: Float] = [
            "outstanding": 700, "principal": 800, "paid_fraction": 0.125,
            "days_since_placement": 89, "days_since_opened": 146, "days_past_due": 116,
            "days_since_last_payment": 16, "days_since_first_payment": 51, "last_payment_amount": 50,
            "payments_30d": 1, "payments_90d": 2, "payments_180d": 2, "payments_all": 2,
            "net_paid_30d": 0, "net_paid_90d": 100, "net_paid_180d": 100, "net_paid_all": 100,
            "reversals": 1, "payments_before_placement": 1,
            // Outbound: calls c1 (age 3, RPC), c2 (2), c4 (0); SMS c3 (age 30, RPC); e-mail c8 (6, bounced).
            "attempts_call_7d": 3, "attempts_call_30d": 3, "attempts_call_90d": 3,
            "rpc_call_7d": 1, "rpc_call_30d": 1, "rpc_call_90d": 1,
            "attempts_sms_7d": 0, "attempts_sms_30d": 0, "attempts_sms_90d": 1,
            "rpc_sms_7d": 0, "rpc_sms_30d": 0, "rpc_sms_90d": 1,
            "attempts_email_7d": 1, "attempts_email_30d": 1, "attempts_email_90d": 1,
            "rpc_email_7d": 0, "rpc_email_30d": 0, "rpc_email_90d": 0,
            "attempts_letter_7d": 0, "attempts_letter_30d": 0, "attempts_letter_90d": 0,
            "rpc_letter_7d": 0, "rpc_letter_30d": 0, "rpc_letter_90d": 0,
            "attempts_all": 5, "rpc_all": 2, "days_since_last_attempt": 0, "days_since_last_rpc": 3,
            "inbound_30d": 0, "inbound_all": 1, "refused_all": 1, "disputes_all": 0, "wrong_party_all": 0, "bounced_all": 1,
            "promises_90d": 3, "promises_all": 3, "promises_kept": 1, "promises_broken": 1, "promises_pending": 1,
            "pending_promise_amount": 60, "days_to_promise_due": 4,
            "portfolio": 0, "region": 2, "status": 0, "credit_score": 650, "has_agent": 1,
            // D1 also holds F2 (outstanding 360, its one payment 91 days ago).
            "debtor_other_accounts": 1, "debtor_other_outstanding": 360, "debtor_other_payments_90d": 0,
        ]
        XCTAssertEqual(Set(want1.keys), Set(FeatureBuilder.featureNames), "every feature checked for F1")
        for (name, v) in want1 { XCTAssertEqual(fs.value(name, f1), v, "F1 \(name)") }

        let f2 = try XCTUnwrap(try fs.row(of: "F2", in: snap))
        let want2: [String: Float] = [
            "outstanding": 360, "paid_fraction": 0.1, "days_since_placement": 117, "days_since_opened": 181,
            "days_past_due": 151, "days_since_last_payment": 91, "last_payment_amount": 40,
            "payments_30d": 0, "payments_90d": 0, "payments_180d": 1, "payments_all": 1, "net_paid_180d": 40,
            "attempts_all": 0, "days_since_last_rpc": nan, "days_since_last_attempt": nan, "promises_all": 0,
            "days_to_promise_due": nan, "pending_promise_amount": 0,
            // closed on 06-10, after A: open at A.
            "portfolio": 2, "region": 2, "status": 0, "credit_score": nan, "has_agent": 0,
            "debtor_other_accounts": 1, "debtor_other_outstanding": 700, "debtor_other_payments_90d": 2,
        ]
        for (name, v) in want2 { XCTAssertEqual(fs.value(name, f2).bitPattern, v.bitPattern, "F2 \(name)") }

        let f3 = try XCTUnwrap(try fs.row(of: "F3", in: snap))
        let want3: [String: Float] = [
            "outstanding": 225, "days_since_placement": 59, "days_past_due": 29, "days_since_last_payment": 0,
            "payments_30d": 1, "net_paid_30d": 25,
            "attempts_call_7d": 0, "attempts_call_30d": 1, "rpc_call_30d": 1, "rpc_all": 1, "days_since_last_attempt": 21,
            "days_since_last_rpc": 0, "inbound_30d": 1, "inbound_all": 1,
            "promises_all": 1, "promises_broken": 1, "promises_kept": 0, "promises_pending": 0,
            "portfolio": 1, "region": 1, "status": 1, "credit_score": 700,
            "debtor_other_accounts": 0, "debtor_other_outstanding": 0,
        ]
        for (name, v) in want3 { XCTAssertEqual(fs.value(name, f3).bitPattern, v.bitPattern, "F3 \(name)") }

        // Levels: only accounts placed on or before A (F5's auto and TX are not known yet).
        let names = fs.dataset.featureNames
        XCTAssertEqual(fs.dataset.categoryLevels[names.firstIndex(of: "portfolio")!], ["card", "invoice", "telco"])
        XCTAssertEqual(fs.dataset.categoryLevels[names.firstIndex(of: "region")!], ["CA", "HI", "NY"])
        XCTAssertEqual(fs.dataset.categoryLevels[names.firstIndex(of: "status")!], Schema.accountStatus)
        XCTAssertEqual(fs.dataset.isCategorical, names.map { ["portfolio", "region", "status"].contains($0) })

        // Labels: F1 pays 30.00 on A + 15, F3 10.00 on A + 30 exactly; F2's next payment is A + 35.
        XCTAssertEqual(fs.dataset.labels[f1], 1)
        XCTAssertEqual(fs.dataset.labels[f2], 0)
        XCTAssertEqual(fs.dataset.labels[f3], 1)
        XCTAssertEqual(fs.outstanding[f1], 70000)
        XCTAssertEqual(fs.outstanding[f3], 22500)

        // Without labels: the same features, no labels.
        let unlabelled = try FeatureBuilder.build(snapshot: snap, asOf: Self.a, withLabels: false)
        XCTAssertTrue(unlabelled.dataset.labels.isEmpty)
        XCTAssertEqual(unlabelled.dataset.columns.map { $0.map(\.bitPattern) }, fs.dataset.columns.map { $0.map(\.bitPattern) })
    }

    func testPopulation() throws {
        let book = try makeBook()
        let snap = try book.snapshot()
        let fs = try FeatureBuilder.build(snapshot: snap, asOf: Self.a, withLabels: true)
        // F4 paid off, F7 paid off (until its reversal after A), F5 placed after A: absent.
        // F6 placed on A itself, nothing paid: present.
        var present: [String] = []
        for id in ["F1", "F2", "F3", "F4", "F5", "F6", "F7"] where try fs.row(of: id, in: snap) != nil { present.append(id) }
        XCTAssertEqual(present, ["F1", "F2", "F3", "F6"])
        XCTAssertEqual(fs.accountKeys, fs.accountKeys.sorted())
        let f6 = try XCTUnwrap(try fs.row(of: "F6", in: snap))
        XCTAssertEqual(fs.value("days_since_placement", f6), 0)
        XCTAssertEqual(fs.value("outstanding", f6), 50)

        // A day before F6's placement it is not in the book; at F4's last unpaid day it is.
        let before = try FeatureBuilder.build(snapshot: snap, asOf: featureDay("2025-04-30"), withLabels: true)
        var early: [String] = []
        for id in ["F1", "F2", "F3", "F4", "F5", "F6", "F7"] where try before.row(of: id, in: snap) != nil { early.append(id) }
        XCTAssertEqual(early, ["F1", "F2", "F3", "F4", "F7"])
        let f4 = try XCTUnwrap(try before.row(of: "F4", in: snap))
        XCTAssertEqual(before.dataset.labels[f4], 1, "F4 pays on 05-01, A + 1")

        // After the late rows: F7's reversal on 06-03 brings it back; F5 and F8 are placed by 06-30.
        try book.add(accounts: Self.lateAccounts, contacts: Self.lateContacts, payments: Self.latePayments, promises: Self.latePromises)
        let latest = try book.snapshot()
        let later = try FeatureBuilder.build(snapshot: latest, asOf: featureDay("2025-06-30"), withLabels: false)
        var june: [String] = []
        for id in ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"] where try later.row(of: id, in: latest) != nil { june.append(id) }
        XCTAssertEqual(june, ["F1", "F2", "F3", "F5", "F6", "F7", "F8"])
    }

    func testNoLeakage() throws {
        let book = try makeBook()
        let first = try FeatureBuilder.build(snapshot: try book.snapshot(), asOf: Self.a, withLabels: true)
        try book.add(accounts: Self.lateAccounts, contacts: Self.lateContacts, payments: Self.latePayments, promises: Self.latePromises)
        let snap = try book.snapshot()
        let second = try FeatureBuilder.build(snapshot: snap, asOf: Self.a, withLabels: true)
        XCTAssertEqual(second.accountKeys, first.accountKeys)
        XCTAssertEqual(second.outstanding, first.outstanding)
        XCTAssertEqual(second.dataset.featureNames, first.dataset.featureNames)
        XCTAssertEqual(second.dataset.isCategorical, first.dataset.isCategorical)
        XCTAssertEqual(second.dataset.categoryLevels, first.dataset.categoryLevels)
        for (f, name) in first.dataset.featureNames.enumerated() {
            XCTAssertEqual(second.dataset.columns[f].map(\.bitPattern), first.dataset.columns[f].map(\.bitPattern), name)
        }
        // The label is the one thing that looks past A: F2 now pays 100.00 on A + 20.
        let f2 = try XCTUnwrap(try second.row(of: "F2", in: snap))
        XCTAssertEqual(first.dataset.labels[f2], 0)
        XCTAssertEqual(second.dataset.labels[f2], 1)
        // And the late rows are seen at a later date.
        let later = try FeatureBuilder.build(snapshot: snap, asOf: featureDay("2025-06-05"), withLabels: false)
        let f2Later = try XCTUnwrap(try later.row(of: "F2", in: snap))
        XCTAssertEqual(later.value("attempts_call_7d", f2Later), 1)
        XCTAssertEqual(later.value("promises_pending", f2Later), 1)
    }

    func testEncodedLikeAndStack() throws {
        let book = try makeBook()
        try book.add(accounts: Self.lateAccounts, contacts: Self.lateContacts, payments: Self.latePayments, promises: Self.latePromises)
        let snap = try book.snapshot()
        let may = try FeatureBuilder.build(snapshot: snap, asOf: Self.a, withLabels: true)
        let june = try FeatureBuilder.build(snapshot: snap, asOf: featureDay("2025-06-30"), withLabels: true)
        let p = may.dataset.featureNames.firstIndex(of: "portfolio")!
        XCTAssertEqual(june.dataset.categoryLevels[p], ["auto", "card", "invoice", "medical", "telco"])
        // June encoded like May: auto and medical are unknown there, so missing; the others keep their names.
        let recoded = june.encoded(like: may.dataset)
        XCTAssertEqual(recoded.dataset.categoryLevels[p], may.dataset.categoryLevels[p])
        for r in 0..<june.dataset.rowCount {
            let name = june.dataset.categoryLevels[p][Int(june.dataset.columns[p][r])]
            let v = recoded.dataset.columns[p][r]
            if let c = may.dataset.categoryLevels[p].firstIndex(of: name) { XCTAssertEqual(v, Float(c)) } else { XCTAssertTrue(v.isNaN) }
        }
        let stacked = FeatureSet.stack([may, june])
        XCTAssertEqual(stacked.rowCount, may.dataset.rowCount + june.dataset.rowCount)
        XCTAssertEqual(stacked.labels, may.dataset.labels + june.dataset.labels)
        XCTAssertEqual(stacked.categoryLevels[p], ["auto", "card", "invoice", "medical", "telco"])
        XCTAssertEqual(stacked.columns[p][0], Float(1), "F1 is card")
    }
}
