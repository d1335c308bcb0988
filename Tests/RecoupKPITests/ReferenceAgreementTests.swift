import RecoupGenerator
import RecoupKPI
import RecoupStore
import XCTest

/// A generated book (3,000 accounts, seed 11): for every KPI and several parameter sets,
/// KPIRunner on the imported store equals ReferenceKPI on the CSV files (money and ints
/// exactly, rates to 1e-9 relative). `testReferenceInvariants` checks the reference
/// against itself (sums across groups, summary vs detail) so it is useful on its own.
final class ReferenceAgreementTests: XCTestCase {
    final class Generated {
        let scratch = KPIScratch()
        let folder: String
        let store: String
        let book: ReferenceBook
        init() throws {
            folder = scratch.dir + "/book"
            store = scratch.dir + "/store"
            _ = try generateBook(GeneratorConfig(accounts: 3000, seed: 11), to: folder)
            _ = try Importer.run(store: store, paths: [folder])
            book = try ReferenceBook.load([folder])
        }
    }

    nonisolated(unsafe) static var shared: Generated?
    static func generated() throws -> Generated {
        if let g = shared { return g }
        let g = try Generated()
        shared = g
        return g
    }

    static let accountDims: [[KPIDimension]] = [[], [.portfolio], [.cohort], [.agent_id], [.region]]
    static let contactDims: [[KPIDimension]] = [
        [.channel], [.local_hour], [.local_weekday], [.portfolio, .local_hour],
    ]

    /// KPI × parameter sets.
    static var parameterSets: [(kpi: String, parameters: KPIParameters)] {
        let early = day("2025-03-31"), mid = day("2025-02-14")
        var out: [(String, KPIParameters)] = []
        for kpi in ReferenceKPI.names {
            var bys = accountDims
            if kpi == "contact_effectiveness" || kpi == "call_compliance" { bys += contactDims }
            for by in bys {
                let summary = kpi == "call_compliance" && !by.isEmpty
                out.append((kpi, KPIParameters(by: by, summary: summary)))
            }
            // Earlier as-of dates (a month end and mid-month), and explicit periods.
            out.append((kpi, KPIParameters(asOf: early)))
            let summary = kpi == "call_compliance"
            out.append((kpi, KPIParameters(asOf: mid, by: [.portfolio], summary: summary)))
            out.append((kpi, KPIParameters(from: day("2025-04-01"), to: day("2025-06-15"))))
            out.append(
                (
                    kpi,
                    KPIParameters(asOf: early, from: day("2025-01-01"), to: early, by: [.portfolio], summary: summary)
                ))
        }
        out.append(("call_compliance", KPIParameters(summary: true)))
        out.append(("call_compliance", KPIParameters(asOf: early, summary: true)))
        out.append(("promise_adherence", KPIParameters(by: [.portfolio], grace: 0)))
        out.append(("promise_adherence", KPIParameters(asOf: early, grace: 7)))
        out.append(("roll_rate", KPIParameters(month: day("2025-01-01"))))
        out.append(("roll_rate", KPIParameters(asOf: early, by: [.portfolio], month: day("2024-11-01"))))
        return out
    }

    /// Every KPI declares its columns and their units before it runs (what the query binder and the
    /// report writers read): for every parameter set the computed table has exactly those columns,
    /// and every non-null cell is of its unit's kind.
    func testDeclaredFieldsAreTheColumns() throws {
        let g = try Self.generated()
        let snap = try Store.open(g.store)
        var nonNull = Set<String>()
        for (kpi, p) in Self.parameterSets {
            let fields = try KPIRunner.fields(kpi, parameters: p)
            let t = try KPIRunner.run(kpi, snapshot: snap, parameters: p)
            XCTAssertEqual(fields.map(\.name), t.columns, "\(kpi) \(p)")
            guard fields.count == t.columns.count else { continue }
            for row in t.rows {
                for (f, v) in zip(fields, row) where v != .null {
                    nonNull.insert(kpi + "." + f.name)
                    let ok: Bool
                    switch (f.unit, v) {
                    case (.count, .int), (.integer, .int), (.money, .money), (.text, .text): ok = true
                    case (.rate, .decimal), (.percent, .decimal), (.days, .decimal): ok = true
                    default: ok = false
                    }
                    XCTAssertTrue(ok, "\(kpi).\(f.name) is declared \(f.unit) but holds \(v)")
                    if !ok { return }
                }
            }
        }
        // Every declared field was seen with a value at least once, so each unit was really checked.
        for kpi in KPIRunner.names {
            for f in try KPIRunner.fields(kpi, parameters: KPIParameters()) {
                XCTAssertTrue(nonNull.contains(kpi + "." + f.name), "\(kpi).\(f.name) never had a value")
            }
        }
    }

    func testEngineAgreesWithReference() throws {
        let g = try Self.generated()
        let snap = try Store.open(g.store)
        for (kpi, p) in Self.parameterSets {
            let label = "\(kpi) \(p)"
            let want: KPITable
            do { want = try ReferenceKPI.run(kpi, book: g.book, parameters: p) } catch {
                XCTFail("[reference] \(label): threw \(error)")
                continue
            }
            do {
                let got = try KPIRunner.run(kpi, snapshot: snap, parameters: p)
                TableCompare.assertEqual(got, want, "[engine vs reference] \(label)")
            } catch {
                XCTFail("[engine] \(label): threw \(error)")
            }
        }
    }

    /// The reference against itself on the generated book.
    func testReferenceInvariants() throws {
        let g = try Self.generated()
        let book = g.book
        func run(_ k: String, _ p: KPIParameters) throws -> KPITable {
            try ReferenceKPI.run(k, book: book, parameters: p)
        }
        func sum(_ t: KPITable, _ col: String) -> Int64 {
            (t.column(col) ?? []).reduce(Int64(0)) { acc, v in
                switch v {
                case .int(let x), .money(let x): return acc + x
                default: return acc
                }
            }
        }
        // Default A is the end of the book.
        XCTAssertEqual(try ReferenceKPI.asOf(book, KPIParameters()), day("2025-06-30"))

        // Additive columns: groups sum to the total.
        let additive: [(String, [String], KPIParameters)] = [
            ("recovery_rate", ["accounts", "placed", "collected"], KPIParameters()),
            ("dso", ["ar_end", "credit_sales"], KPIParameters()),
            ("days_to_collect", ["payments", "collected"], KPIParameters()),
            ("aging", ["accounts", "balance"], KPIParameters()),
            ("cei", ["begin_ar", "credit_sales", "end_ar", "end_current_ar"], KPIParameters()),
            ("contact_effectiveness", ["attempts", "rpc", "promises", "inbound"], KPIParameters()),
            ("promise_adherence", ["promises", "pending", "kept", "promised_amount", "kept_amount"], KPIParameters()),
            ("roll_rate", ["accounts", "balance"], KPIParameters()),
            ("call_compliance", ["calls"], KPIParameters(summary: true)),
        ]
        for (kpi, cols, p) in additive {
            let total = try run(kpi, p)
            XCTAssertFalse(total.rows.isEmpty, "\(kpi) has rows")
            var bys = Self.accountDims.filter { !$0.isEmpty }
            if kpi == "contact_effectiveness" || kpi == "call_compliance" { bys += Self.contactDims }
            for by in bys {
                var q = p
                q.by = by
                let split = try run(kpi, q)
                for c in cols { XCTAssertEqual(sum(split, c), sum(total, c), "\(kpi) \(c) by \(by)") }
            }
        }
        // collector_performance: accounts of all agents = accounts placed ≤ to; collected =
        // net collected in June (payments ≥ placement).
        let cp = try run("collector_performance", KPIParameters())
        XCTAssertEqual(sum(cp, "accounts"), Int64(book.accounts.count))
        XCTAssertEqual(sum(cp, "attempts"), sum(try run("contact_effectiveness", KPIParameters()), "attempts"))
        // aging balance = AR(A) = dso's ar_end for a period ending at A.
        XCTAssertEqual(
            sum(try run("aging", KPIParameters()), "balance"), sum(try run("dso", KPIParameters()), "ar_end"))
        // cei's end_ar is dso's ar_end; recovery: placed − collected ≤ AR (AR floors at 0).
        XCTAssertEqual(sum(try run("cei", KPIParameters()), "end_ar"), sum(try run("dso", KPIParameters()), "ar_end"))
        // The summary counts the detail rows.
        XCTAssertEqual(
            sum(try run("call_compliance", KPIParameters(summary: true)), "calls"),
            Int64(try run("call_compliance", KPIParameters()).rows.count))
        // Liquidation's last k per cohort at a month end = recovery collected by cohort.
        let liq = try run("liquidation", KPIParameters())
        let rr = try run("recovery_rate", KPIParameters(by: [.cohort]))
        var lastByCohort: [String: KPIValue] = [:]
        for r in liq.rows { if case .text(let c) = r[0] { lastByCohort[c] = r[3] } }
        for r in rr.rows {
            guard case .text(let c) = r[0], let last = lastByCohort[c] else { continue }
            XCTAssertEqual(last, r[3], "cohort \(c): liquidation's last collected_cum = recovery collected")
        }
        // Every rule shows up in a generated book.
        let rules = Set(
            (try run("call_compliance", KPIParameters(from: day("2024-07-01"))).column("rule") ?? []).map(\.description)
        )
        XCTAssertEqual(rules, Set(ReferenceKPI.rules))
        // The first-party ledger looks like GENERATOR.md says (DSO ≈ 48–51, CEI ≈ 56–61).
        let dso = try run("dso", KPIParameters(by: [.portfolio]))
        if let inv = dso.rows.first(where: { $0[0] == .text("invoice") }), case .decimal(let d) = inv[4] {
            XCTAssert(d > 30 && d < 80, "invoice DSO \(d)")
        } else {
            XCTFail("no invoice dso")
        }
    }
}
