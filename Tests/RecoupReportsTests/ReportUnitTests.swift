import Foundation
import RecoupKPI
import RecoupStore
import XCTest

@testable import RecoupReports

/// Report cells are formatted by the column's unit (a KPI's declared field, what a query derives
/// from it, or the presentation's `percent:`), never by the column's name.
final class ReportUnitTests: XCTestCase {
    func testCellsByUnit() {
        XCTAssertEqual(ReportFormat.cell(.decimal(0.1234), unit: .rate, column: "x"), "12.3%")
        XCTAssertEqual(ReportFormat.cell(.decimal(-0.012), unit: .points, column: "x"), "-1.2 pp")
        XCTAssertEqual(ReportFormat.cell(.decimal(45.678), unit: .days, column: "x"), "45.7")
        XCTAssertEqual(ReportFormat.cell(.decimal(97.26), unit: .percent, column: "x"), "97.3")  // CEI is already ×100
        XCTAssertEqual(ReportFormat.cell(.decimal(1234.5), unit: .money, column: "x"), "1,234.50")
        XCTAssertEqual(ReportFormat.cell(.int(2025), unit: .integer, column: "x"), "2025")
        XCTAssertEqual(ReportFormat.cell(.int(2025), unit: .count, column: "x"), "2,025")
        // A name that looks like a rate is not one without the unit.
        XCTAssertEqual(ReportFormat.cell(.decimal(0.1234), unit: nil, column: "looks_like_a_rate"), "0.123")
        XCTAssertEqual(ReportFormat.number(.decimal(0.25), unit: .rate), 25)
        XCTAssertEqual(ReportFormat.number(.decimal(0.25), unit: nil), 0.25)
    }

    func testQuerySectionsCarryTheKPIsUnits() throws {
        let fixture = try ReportFixture(accounts: 600, seed: 5)
        defer { fixture.remove() }
        let yaml = """
            title: Units
            sections:
              - title: Derived
                query: |
                  kpi collector_performance as of @2025-06-30
                  | summarize rpc = sum(rpc), attempts = sum(attempts)
                  | derive rpc_rate = rpc / attempts, fake_rate = attempts * 1.0, marked = attempts * 0.001
                show: table
                percent: [marked]
            """
        let def = try ReportFixture.definition(yaml)
        let asOf = CivilDate.parse("2025-06-30")!
        let result = ReportRunner.run(def, snapshot: try fixture.snapshot(), asOf: asOf)
        XCTAssertNil(result.sections[0].error)
        let html = ReportHTML.render(result, files: ReportFiles.sectionFiles(result))
        // The expected cells from the KPI's own rows, formatted here by hand.
        let kpi = try KPIRunner.run("collector_performance", snapshot: try fixture.snapshot(), parameters: KPIParameters(asOf: asOf))
        let ai = kpi.columns.firstIndex(of: "attempts")!, ri = kpi.columns.firstIndex(of: "rpc")!
        var attempts: Int64 = 0, rpc: Int64 = 0
        for row in kpi.rows {
            if case .int(let a) = row[ai] { attempts += a }
            if case .int(let r) = row[ri] { rpc += r }
        }
        XCTAssertGreaterThan(attempts, 100)
        func grouped(_ v: Int64) -> String { v < 1000 ? "\(v)" : "\(v / 1000),\(String(format: "%03d", v % 1000))" }
        let rate = String(format: "%.1f%%", Double(rpc) / Double(attempts) * 100)
        let fake = grouped(attempts) + ".0"
        let marked = String(format: "%.1f%%", Double(attempts) * 0.001 * 100)
        XCTAssertTrue(html.contains("<td class=\"num\">\(rate)</td>"), "rpc_rate as a percent: \(rate)")
        XCTAssertTrue(html.contains("<td class=\"num\">\(fake)</td>"), "fake_rate as a plain number: \(fake)")
        XCTAssertTrue(html.contains("<td class=\"num\">\(marked)</td>"), "percent: makes a rate: \(marked)")
    }
}
