import RecoupKPI
import XCTest

/// Rows dated after A never change a result for A (KPIS.md): every KPI, for several
/// parameter sets, gives the same table before and after a second import of rows that
/// are all dated after A = 2025-05-31 — an account placed after A (but opened before it),
/// payments, contacts whose local date is after A, promises created after A.
final class AsOfLeakageTests: XCTestCase {
    static let baseAccounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    L1,D1,card,2025-01-05,2025-02-04,2025-03-03,800.00,NY,America/New_York,G1,,open,
    L2,D2,invoice,2025-05-10,2025-06-09,2025-05-10,300.00,HI,Pacific/Honolulu,G2,,open,
    L3,D3,telco,2024-12-01,2024-12-31,2025-02-03,400.00,TX,America/Chicago,,,cease_contact,2025-05-20
    L4,D4,invoice,2025-04-02,2025-05-02,2025-04-02,250.00,NY,America/New_York,G1,,open,
    """
    // b06 is at 2025-06-01T09:00Z but 23:00 on 05-31 in Honolulu: it belongs to A.
    static let baseContacts = """
    contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s
    b01,L1,2025-05-28T14:00:00Z,call,outbound,right_party,G1,60
    b02,L1,2025-05-29T14:00:00Z,call,outbound,no_answer,G1,
    b03,L2,2025-05-31T09:00:00Z,call,outbound,promise,G2,100
    b04,L3,2025-05-21T15:00:00Z,sms,outbound,delivered,,
    b05,L4,2025-05-05T14:00:00Z,email,outbound,opened,,
    b06,L2,2025-06-01T09:00:00Z,call,inbound,right_party,G2,40
    """
    static let basePayments = """
    payment_id,account_id,paid_date,amount,method
    p1,L1,2025-04-10,100.00,card
    p2,L1,2025-05-15,50.00,card
    p3,L4,2025-05-20,250.00,ach
    p4,L3,2025-03-01,40.00,card
    """
    static let basePromises = """
    promise_id,account_id,created_date,due_date,amount
    r1,L1,2025-05-28,2025-05-30,100.00
    r2,L2,2025-05-30,2025-05-31,300.00
    r3,L1,2025-05-01,2025-05-10,50.00
    """

    // Everything below is dated after 2025-05-31 (contacts by their local date).
    static let lateAccounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    L9,D9,invoice,2025-05-01,2025-05-31,2025-06-01,999.00,NY,America/New_York,G2,,open,
    """
    static let lateContacts = """
    contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s
    l01,L1,2025-06-01T14:00:00Z,call,outbound,no_answer,G1,
    l02,L2,2025-06-01T10:30:00Z,call,outbound,right_party,G2,30
    l03,L9,2025-06-02T15:00:00Z,call,outbound,promise,G2,100
    l04,L3,2025-06-03T15:00:00Z,call,outbound,no_answer,,
    l05,L1,2025-06-01T05:00:00Z,call,outbound,no_answer,G1,
    """
    // l05 is 01:00 EDT on 06-01: after A (and before 08:00).
    static let latePayments = """
    payment_id,account_id,paid_date,amount,method
    lp1,L1,2025-06-01,200.00,card
    lp2,L2,2025-06-02,300.00,ach
    lp3,L4,2025-06-05,-250.00,ach
    lp4,L9,2025-06-03,100.00,card
    """
    static let latePromises = """
    promise_id,account_id,created_date,due_date,amount
    lr1,L1,2025-06-01,2025-06-05,100.00
    lr2,L9,2025-06-02,2025-06-09,50.00
    """

    static let book: HandBook = {
        let b = HandBook()
        try! b.add(accounts: baseAccounts, contacts: baseContacts, payments: basePayments, promises: basePromises)
        try! b.add(accounts: lateAccounts, contacts: lateContacts, payments: latePayments, promises: latePromises)
        return b
    }()

    static let a = day("2025-05-31")

    static var parameterSets: [(kpi: String, parameters: KPIParameters)] {
        var out: [(String, KPIParameters)] = []
        let periods: [(Int32?, Int32?)] = [(nil, nil), (day("2025-04-01"), day("2025-05-15")), (day("2025-05-31"), nil)]
        for kpi in ReferenceKPI.names {
            var bys: [[KPIDimension]] = [[], [.portfolio], [.cohort], [.agent_id], [.region, .portfolio]]
            if kpi == "contact_effectiveness" || kpi == "call_compliance" { bys += [[.channel], [.local_hour], [.local_weekday]] }
            for by in bys {
                for (f, t) in periods {
                    if kpi != "call_compliance" || by.isEmpty { out.append((kpi, KPIParameters(asOf: a, from: f, to: t, by: by))) }
                    if kpi == "call_compliance" { out.append((kpi, KPIParameters(asOf: a, from: f, to: t, by: by, summary: true))) }
                }
            }
        }
        out.append(("roll_rate", KPIParameters(asOf: a, month: day("2025-03-01"))))
        out.append(("promise_adherence", KPIParameters(asOf: a, grace: 0)))
        return out
    }

    func testReferenceIgnoresLateRows() throws {
        let before = try Self.book.reference(upTo: 1), after = try Self.book.reference()
        var nonEmpty = Set<String>()
        for (kpi, p) in Self.parameterSets {
            let x = try ReferenceKPI.run(kpi, book: before, parameters: p)
            let y = try ReferenceKPI.run(kpi, book: after, parameters: p)
            TableCompare.assertEqual(y, x, "[reference] \(kpi) \(p)")
            if !x.rows.isEmpty { nonEmpty.insert(kpi) }
        }
        // Not vacuous: every KPI has rows for some parameter set.
        XCTAssertEqual(nonEmpty, Set(ReferenceKPI.names))
        // And the late rows do matter later: as of 06-30 recovery differs.
        let later = KPIParameters(asOf: day("2025-06-30"))
        XCTAssertNotNil(TableCompare.difference(try ReferenceKPI.run("recovery_rate", book: after, parameters: later),
                                                try ReferenceKPI.run("recovery_rate", book: before, parameters: later)))
    }

    func testEngineIgnoresLateRows() throws {
        let first = try Self.book.snapshot(commit: 1), latest = try Self.book.snapshot()
        let reference = try Self.book.reference(upTo: 1)
        for (kpi, p) in Self.parameterSets {
            do {
                let x = try KPIRunner.run(kpi, snapshot: first, parameters: p)
                let y = try KPIRunner.run(kpi, snapshot: latest, parameters: p)
                TableCompare.assertEqual(y, x, "[engine] \(kpi) \(p): latest commit vs commit 1")
                TableCompare.assertEqual(y, try ReferenceKPI.run(kpi, book: reference, parameters: p),
                                         "[engine vs reference] \(kpi) \(p)")
            } catch {
                XCTFail("[engine] \(kpi) \(p): threw \(error)")
            }
        }
    }
}
