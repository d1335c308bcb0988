import Foundation
import RecoupKPI
import RecoupStore
import XCTest
@testable import RecoupReports

/// The rendered report: its structure, its numbers against the KPI output, and failing sections.
final class ReportRenderTests: XCTestCase {
    static var fixture: ReportFixture!
    static var result: ReportResult!
    static var html = ""
    static let asOf = CivilDate.parse("2025-06-30")!

    static let yaml = """
    title: Render test
    description: Every kind of section.
    sections:
      - title: Recovery now
        kpi: recovery_rate
        show: headline
        value: recovery_rate
      - title: Recovery by portfolio
        kpi: recovery_rate
        by: [portfolio]
        show: bar
        x: portfolio
        y: recovery_rate
        table: true
      - title: Liquidation grid
        kpi: liquidation
        show: heatmap
        row: cohort
        column: months_on_book
        value: liquidation_rate
      - title: Liquidation curves
        kpi: liquidation
        show: line
        x: months_on_book
        y: liquidation_rate
        series: cohort
      - title: Aging
        kpi: aging
        by: [portfolio]
        show: stacked_bar
        x: portfolio
        y: balance
        series: bucket
      - title: Broken query
        query: from payments | summarize total = sum(ammount)
      - title: Scores
        model: score_distribution
        show: bar
        x: p_pay_30d_band
        y: accounts
      - title: Payments by method
        query: |
          from payments
          | where paid_date <= $as_of
          | summarize n = count() by method
          | sort method
    """

    override class func setUp() {
        fixture = try! ReportFixture(accounts: 1500, seed: 11)
        let def = try! ReportFixture.definition(yaml)
        result = ReportRunner.run(def, snapshot: try! fixture.snapshot(), asOf: asOf, now: Date(timeIntervalSince1970: 1_751_364_000))
        html = ReportHTML.render(result, files: ReportFiles.sectionFiles(result))
    }

    override class func tearDown() { fixture.remove() }

    // Independent formatting: money with thousands separators and 2 decimals, rates as percent with 1 decimal.
    func money(_ cents: Int64) -> String {
        let units = String(cents.magnitude / 100)
        var grouped = ""
        for (i, ch) in units.enumerated() {
            if i > 0 && (units.count - i) % 3 == 0 { grouped += "," }
            grouped.append(ch)
        }
        return (cents < 0 ? "-" : "") + grouped + String(format: ".%02d", Int(cents.magnitude % 100))
    }

    func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    func testStructure() {
        let html = Self.html
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(html.occurrences(of: "<section id=\"s"), 8, "every section is there")
        for t in ["Recovery now", "Recovery by portfolio", "Liquidation grid", "Liquidation curves", "Aging", "Broken query", "Scores", "Payments by method"] {
            XCTAssertTrue(html.contains(t), t)
        }
        XCTAssertEqual(html.occurrences(of: "<svg "), 4, "bar, heatmap, line, stacked bar")
        XCTAssertEqual(html.occurrences(of: "role=\"img\""), 4)
        XCTAssertEqual(html.occurrences(of: "<title id=\"c"), 4, "alt text: a title per chart")
        XCTAssertEqual(html.occurrences(of: "<desc id=\"c"), 4, "alt text: a description per chart")
        XCTAssertTrue(html.contains("<polyline"), "line chart")
        XCTAssertTrue(html.contains("class=\"axis-label\""), "axis labels")
        XCTAssertTrue(html.contains("<g class=\"legend\">"), "legends")
        XCTAssertTrue(html.contains("linearGradient"), "heatmap scale")
        XCTAssertTrue(html.contains("<dd class=\"as-of\">2025-06-30</dd>"))
        XCTAssertTrue(html.contains("<dd class=\"commit\">1</dd>"))
        XCTAssertTrue(html.contains("<dd class=\"kpi-version\">\(KPIDefinitions.version)</dd>"))
        XCTAssertTrue(html.contains("@media print"))
        XCTAssertTrue(html.contains("break-before: page"))
        // Self-contained: no script, no external resource.
        for banned in ["<script", "<link", "src=", "@import", "https://", "url(http"] {
            XCTAssertFalse(html.contains(banned), banned)
        }
        XCTAssertEqual(html.occurrences(of: "http://"), 4, "only the SVG namespace")
    }

    func testNumbersMatchTheKPIOutput() throws {
        let snap = try Self.fixture.snapshot()
        let table = try KPIRunner.run("recovery_rate", snapshot: snap, parameters: KPIParameters(asOf: Self.asOf, by: [.portfolio]))
        XCTAssertFalse(table.rows.isEmpty)
        for row in table.rows {
            guard case .text(let portfolio) = row[0], case .int(let accounts) = row[1], case .money(let placed) = row[2],
                  case .money(let collected) = row[3], case .decimal(let rate) = row[4] else { return XCTFail("unexpected row \(row)") }
            let expected = "<tr><td>\(portfolio)</td><td class=\"num\">\(accounts >= 1000 ? "\(accounts / 1000),\(String(format: "%03d", accounts % 1000))" : "\(accounts)")</td>"
                + "<td class=\"num\">\(money(placed))</td><td class=\"num\">\(money(collected))</td><td class=\"num\">\(percent(rate))</td></tr>"
            XCTAssertTrue(Self.html.contains(expected), "missing row " + expected)
        }
        // The headline: the book's recovery rate, and its change against the previous month end.
        let now = try KPIRunner.run("recovery_rate", snapshot: snap, parameters: KPIParameters(asOf: Self.asOf))
        let before = try KPIRunner.run("recovery_rate", snapshot: snap, parameters: KPIParameters(asOf: CivilDate.parse("2025-05-31")!))
        guard case .decimal(let r) = now.rows[0][3], case .decimal(let b) = before.rows[0][3] else { return XCTFail() }
        XCTAssertTrue(Self.html.contains("<p class=\"big\">\(percent(r))</p>"))
        XCTAssertTrue(Self.html.contains(String(format: "%.1f pp", abs(r - b) * 100) + " against 2025-05-31 (\(percent(b)))"))
    }

    func testAFailingSectionShowsItsErrorAndTheRestRenders() {
        let r = Self.result!
        XCTAssertNotNil(r.sections[5].error)
        XCTAssertTrue(r.sections[5].error!.contains("ammount"))
        XCTAssertTrue(r.sections[5].error!.contains("did you mean `amount`"), r.sections[5].error!)
        XCTAssertTrue(r.sections[6].error!.contains("no scores"), "no model in this store")
        XCTAssertEqual(r.failedSections, 2)
        for i in [0, 1, 2, 3, 4, 7] { XCTAssertNil(r.sections[i].error, r.sections[i].title) }
        XCTAssertEqual(Self.html.occurrences(of: "class=\"section error\""), 2)
        XCTAssertEqual(Self.html.occurrences(of: "could not be computed"), 2)
        // The query after the failures ran, with the report's as-of date as $as_of.
        XCTAssertEqual(r.sections[7].columns, ["method", "n"])
        XCTAssertFalse(r.sections[7].rows.isEmpty)
    }

    func testFilesBesideTheHTML() throws {
        let out = Self.fixture.dir + "/out"
        try ReportFiles.write(Self.result, to: out)
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: out))
        XCTAssertTrue(files.isSuperset(of: ["report.html", "report.json", "01-recovery-now.csv", "01-recovery-now.json",
                                             "02-recovery-by-portfolio.csv", "06-broken-query.json", "08-payments-by-method.csv"]), "\(files.sorted())")
        let csv = try String(contentsOfFile: out + "/02-recovery-by-portfolio.csv", encoding: .utf8)
        let table = try KPIRunner.run("recovery_rate", snapshot: try Self.fixture.snapshot(), parameters: KPIParameters(asOf: Self.asOf, by: [.portfolio]))
        XCTAssertEqual(csv, table.csv())
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as! [String: Any]
        XCTAssertEqual(json["name"] as? String, "test")
        XCTAssertEqual(json["as_of"] as? String, "2025-06-30")
        XCTAssertEqual(json["store_commit"] as? Int, 1)
        XCTAssertEqual(json["kpi_version"] as? String, KPIDefinitions.version)
        XCTAssertEqual(json["generated_at"] as? String, "2025-07-01T10:00:00Z")
        let sections = json["sections"] as! [[String: Any]]
        XCTAssertEqual(sections.count, 8)
        XCTAssertEqual(sections[1]["columns"] as? [String], table.columns)
        XCTAssertEqual((sections[1]["rows"] as? [Any])?.count, table.rows.count)
        XCTAssertTrue(sections[1]["error"] is NSNull)
        XCTAssertTrue((sections[5]["error"] as? String)?.contains("ammount") == true)
    }

    func testAColumnMissingAtRunTimeNamesTheSection() throws {
        let def = try ReportFixture.definition("title: T\nsections:\n  - title: A\n    kpi: aging\n  - title: B\n    kpi: aging\n    by: [portfolio]\n    show: bar\n    x: portfolo\n    y: balance\n")
        let r = ReportRunner.run(def, snapshot: try Self.fixture.snapshot(), asOf: Self.asOf)
        XCTAssertNil(r.sections[0].error)
        XCTAssertEqual(r.sections[1].error?.hasPrefix("test.yaml:5:5: sections[1]: the section shows column `portfolo`"), true, r.sections[1].error ?? "")
        XCTAssertEqual(r.sections[1].error?.contains("did you mean `portfolio`"), true)
    }

    func testModelMonitoringWithoutAModelDegrades() throws {
        let def = try DefinitionLoader.load(name: "model-monitoring", in: ReportFixture.repoRoot + "/reports")
        let r = ReportRunner.run(def, snapshot: try Self.fixture.snapshot(), asOf: Self.asOf)
        XCTAssertEqual(r.failedSections, r.sections.count)
        let html = ReportHTML.render(r, files: ReportFiles.sectionFiles(r))
        XCTAssertEqual(html.occurrences(of: "could not be computed"), r.sections.count)
        XCTAssertTrue(html.contains("recoup train"))
    }
}
