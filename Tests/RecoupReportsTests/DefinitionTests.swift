import Foundation
import RecoupStore
import XCTest
@testable import RecoupReports

/// Definitions parse; mistakes name the file, the line and the key.
final class DefinitionTests: XCTestCase {
    static var repoRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    func parse(_ yaml: String) throws -> ReportDefinition {
        try DefinitionLoader.parse(yaml, name: "t", file: "reports/t.yaml", queriesDir: Self.repoRoot + "/queries")
    }

    func error(_ yaml: String) -> String {
        do { _ = try parse(yaml); return "no error" } catch let e as RecoupError { return e.message } catch { return "\(error)" }
    }

    func testShippedReportsParse() throws {
        let defs = try DefinitionLoader.loadAll(in: Self.repoRoot + "/reports")
        XCTAssertEqual(defs.map(\.name), ["collector-scorecard", "compliance", "model-monitoring", "monthly-kpi-pack"])
        for d in defs {
            XCTAssertNotNil(d.schedule, d.name)
            XCTAssertFalse(d.sections.isEmpty, d.name)
        }
    }

    func testAFullDefinition() throws {
        let d = try parse("""
        title: Test
        description: A test.
        schedule:
          cron: "0 6 1 * *"
          timezone: Europe/Berlin
        parameters:
          as_of: yesterday
        sections:
          - title: Recovery
            kpi: recovery_rate
            by: [portfolio, region]
            show: bar
            x: portfolio
            y: recovery_rate
          - title: Saved
            query_file: liquidation_by_portfolio.rq
          - title: Inline
            query: from accounts | take 1
          - title: Drift
            model: feature_drift
            show: table
        """)
        XCTAssertEqual(d.title, "Test")
        XCTAssertEqual(d.schedule?.description, "0 6 1 * * Europe/Berlin")
        XCTAssertEqual(d.asOf, .yesterday)
        XCTAssertEqual(d.sections.count, 4)
        XCTAssertEqual(d.sections[0].source, .kpi(KPISection(name: "recovery_rate", by: [.portfolio, .region])))
        XCTAssertEqual(d.sections[0].presentation.kind, .bar)
        XCTAssertEqual(d.sections[1].source.kind, "query liquidation_by_portfolio.rq")
        XCTAssertEqual(d.sections[3].source, .model(.feature_drift))
    }

    func testErrorsNameFileLineAndKey() {
        let base = "title: T\nsections:\n  - title: A\n    kpi: aging\n"
        XCTAssertEqual(error(base + "    shw: bar\n"), "reports/t.yaml:5:5: sections[0].shw: unknown key; did you mean `show`?")
        XCTAssertEqual(error(base + "    show: pie\n"), "reports/t.yaml:5:11: sections[0].show: unknown value `pie`")
        XCTAssertEqual(error("title: T\nsections:\n  - title: A\n    kpi: agin\n"), "reports/t.yaml:4:10: sections[0].kpi: unknown KPI `agin`; did you mean `aging`?")
        XCTAssertEqual(error(base + "    show: line\n"), "reports/t.yaml:5:11: sections[0].show: a line needs `x` and `y`")
        XCTAssertEqual(error(base + "    by: [portfolo]\n"), "reports/t.yaml:5:9: sections[0].by: unknown dimension `portfolo`; did you mean `portfolio`?")
        XCTAssertEqual(error("title: T\nschedule:\n  cron: 0 25 * * *\nsections:\n  - title: A\n    kpi: aging\n"),
                       "reports/t.yaml:3:9: schedule.cron: cron hour `25` is out of range 0-23")
        XCTAssertEqual(error("title: T\nschedule:\n  cron: 0 1 * * *\n  timezone: Mars/Base\nsections:\n  - title: A\n    kpi: aging\n"),
                       "reports/t.yaml:4:13: schedule.timezone: unknown time zone `Mars/Base`")
        XCTAssertEqual(error("title: T\nparameters:\n  as_of: last_mnth_end\nsections:\n  - title: A\n    kpi: aging\n"),
                       "reports/t.yaml:3:10: parameters.as_of: `last_mnth_end` is not an as-of expression; did you mean `last_month_end`?")
        XCTAssertEqual(error("sections:\n  - title: A\n    kpi: aging\n"), "reports/t.yaml:1:1: title: missing; every report needs a title")
        XCTAssertEqual(error("title: T\nsections:\n  - title: A\n"), "reports/t.yaml:3:5: sections[0]: a section needs one of kpi, query, query_file or model")
        XCTAssertEqual(error("title: T\nsections:\n  - title: A\n    query: from x\n    grace: 2\n"), "reports/t.yaml:5:5: sections[0].grace: only a kpi section takes `grace`")
        XCTAssertTrue(error("title: T\nsections:\n  - title: A\n    query_file: nope.rq\n").hasPrefix("reports/t.yaml:4:17: sections[0].query_file: cannot read"))
        XCTAssertTrue(error("title: [T\n").hasPrefix("reports/t.yaml: not valid YAML"))
    }

    func testUnknownReportSuggestsAName() {
        XCTAssertThrowsError(try DefinitionLoader.load(name: "compliance-report", in: Self.repoRoot + "/reports")) { e in
            let r = e as! RecoupError
            XCTAssertEqual(r.kind, .noInput)
            XCTAssertTrue(r.message.contains("did you mean `compliance`"), r.message)
        }
    }
}
