import Foundation
import XCTest
import RecoupGenerator
import RecoupKPI
@testable import RecoupQuery
import RecoupStore

/// Every saved query in queries/ runs on a generated book, and a few agree
/// with answers computed another way.
final class SavedQueriesTests: XCTestCase {
    static var snapshot: Snapshot!
    static var dir = NSTemporaryDirectory() + "recoup-saved-" + UUID().uuidString

    override class func setUp() {
        _ = try! generateBook(GeneratorConfig(accounts: 3000, seed: 5), to: dir + "/book")
        _ = try! Importer.run(store: dir + "/store", paths: [dir + "/book"])
        snapshot = try! Store.open(dir + "/store")
    }

    override class func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    static var queriesDir: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("queries").path
    }

    static let parameters = ["from": "2025-04-01", "to": "2025-06-30"]

    func run(_ file: String) throws -> QueryResult {
        let text = try String(contentsOfFile: Self.queriesDir + "/" + file, encoding: .utf8)
        do {
            return try QueryEngine.run(text, snapshot: Self.snapshot, options: QueryOptions(parameters: Self.parameters))
        } catch let e as QueryError {
            XCTFail("\(file):\n" + e.render(text, name: file))
            throw e
        }
    }

    func testEverySavedQueryRunsAndIsDocumented() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.queriesDir).filter { $0.hasSuffix(".rq") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 12)
        for f in files {
            let text = try String(contentsOfFile: Self.queriesDir + "/" + f, encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("#"), "\(f) starts with a comment saying what it answers")
            let r = try run(f)
            XCTAssertFalse(r.rows.isEmpty, "\(f) returned no rows on the generated book")
        }
    }

    func testCollectionsThisMonthAgreeWithTheStoredPayments() throws {
        let r = try run("collections_this_month_by_portfolio.rq")
        // Independently: sum every payment of the as-of month straight from the store columns.
        let a = try KPIRunner.defaultAsOf(Self.snapshot)
        let c = CivilDate.civil(a)
        let start = CivilDate.days(year: c.year, month: c.month, day: 1)
        var total: Int64 = 0
        let dates = try Self.snapshot.readAll(table: "payments", column: "paid_date")
        let amounts = try Self.snapshot.readAll(table: "payments", column: "amount")
        for (d, m) in zip(dates, amounts) {
            guard case .int32(let dv) = d, case .int64(let mv) = m else { continue }
            for i in dv.indices where dv[i] >= start && dv[i] <= a { total += mv[i] }
        }
        let sum = r.rows.reduce(Int64(0)) { acc, row in if case .money(let v) = row[1] { acc + v } else { acc } }
        XCTAssertEqual(sum, total)
    }

    func testLiquidationQueryIsTheKpiFiltered() throws {
        let r = try run("liquidation_by_portfolio.rq")
        let kpi = try KPIRunner.run("liquidation", snapshot: Self.snapshot, parameters: KPIParameters(by: [.portfolio]))
        let k = kpi.columns.firstIndex(of: "months_on_book")!
        XCTAssertEqual(r.rows.count, kpi.rows.filter { if case .int(let m) = $0[k] { m <= 12 } else { false } }.count)
    }
}

extension SavedQueriesTests {
    /// Columns read after a filter (late materialization) hold the same values as when read whole.
    func testFilteredColumnsMatchTheWholeColumns() throws {
        let snapshot = Self.snapshot!
        let run = { (q: String) in try QueryEngine.run(q, snapshot: snapshot).rows.map { $0.map(\.description) } }
        let filtered = try run("from payments | where amount > 2000 and method == \"card\" | select payment_id, account_id, paid_date, amount | sort payment_id")
        XCTAssertGreaterThan(filtered.count, 0)
        XCTAssertLessThan(filtered.count * 4, snapshot.rows("accounts"), "few rows: account ids are made for those accounts only")
        let whole = try run("from payments | select payment_id, account_id, paid_date, amount | sort payment_id")
        let wanted = Set(filtered.map { $0[0] })
        XCTAssertEqual(whole.filter { wanted.contains($0[0]) }, filtered)
    }
}
