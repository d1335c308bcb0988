import Foundation
import RecoupStore
import XCTest
@testable import RecoupReports

/// Catch-up after downtime, and never the same period twice.
final class ScheduleRunnerTests: XCTestCase {
    var fixture: ReportFixture!

    override func setUpWithError() throws { fixture = try ReportFixture(accounts: 400, seed: 3) }
    override func tearDown() { fixture.remove() }

    func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    func testCatchUpAndNoDoubleRun() throws {
        let def = try ReportFixture.definition("""
        title: Monthly
        schedule:
          cron: "0 6 1 * *"
          timezone: UTC
        parameters:
          as_of: last_month_end
        sections:
          - title: Recovery
            kpi: recovery_rate
        """, name: "monthly")
        let unscheduled = try ReportFixture.definition("title: Ad hoc\nsections:\n  - title: A\n    kpi: aging\n", name: "adhoc")
        let history = ReportHistory(store: fixture.store)

        // Before the first scheduled time of July: June 1's run (as of May 31) is due.
        var d = ReportScheduler.catchUp([def, unscheduled], store: fixture.store, now: at("2025-07-01T05:59:00Z"))
        XCTAssertEqual(d.count, 1, "definitions without a schedule never run")
        XCTAssertEqual(CivilDate.format(d[0].asOf), "2025-05-31")
        XCTAssertNotNil(d[0].run)

        d = ReportScheduler.catchUp([def], store: fixture.store, now: at("2025-07-01T06:00:00Z"))
        XCTAssertEqual(CivilDate.format(d[0].asOf), "2025-06-30")
        XCTAssertNotNil(d[0].run, "July 1 06:00 runs June")
        XCTAssertTrue(history.hasRun(name: "monthly", asOf: CivilDate.parse("2025-06-30")!))

        // Again, and later in the month: the period has run; nothing happens.
        for now in ["2025-07-01T06:00:00Z", "2025-07-01T06:05:00Z", "2025-07-31T23:59:59Z"] {
            d = ReportScheduler.catchUp([def], store: fixture.store, now: at(now))
            XCTAssertNil(d[0].run, now)
            XCTAssertEqual(CivilDate.format(d[0].asOf), "2025-06-30")
        }

        // Down through August 1 and September 1: one catch-up run, for the most recent period only.
        d = ReportScheduler.catchUp([def], store: fixture.store, now: at("2025-09-03T12:00:00Z"))
        XCTAssertEqual(CivilDate.format(d[0].asOf), "2025-08-31")
        XCTAssertNotNil(d[0].run)
        XCTAssertFalse(history.hasRun(name: "monthly", asOf: CivilDate.parse("2025-07-31")!))
        d = ReportScheduler.catchUp([def], store: fixture.store, now: at("2025-09-03T12:00:01Z"))
        XCTAssertNil(d[0].run)

        // History: three runs, newest first in the index, one log line each.
        XCTAssertEqual(history.entries().map(\.asOf), ["2025-08-31", "2025-06-30", "2025-05-31"])
        let index = try String(contentsOfFile: fixture.store + "/reports/index.html", encoding: .utf8)
        let aug = index.range(of: "monthly/2025-08-31/report.html")!, jun = index.range(of: "monthly/2025-06-30/report.html")!
        XCTAssertLessThan(aug.lowerBound, jun.lowerBound)
        let log = try String(contentsOfFile: fixture.store + "/reports/schedule.log", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(log.count, 3)
        let last = try JSONSerialization.jsonObject(with: Data(log[2].utf8)) as! [String: Any]
        XCTAssertEqual(last["name"] as? String, "monthly")
        XCTAssertEqual(last["as_of"] as? String, "2025-08-31")
        XCTAssertEqual(last["status"] as? String, "ok")
        XCTAssertNotNil(last["duration_ms"] as? Int)
        XCTAssertTrue((last["path"] as? String)?.hasSuffix("monthly/2025-08-31/report.html") == true)

        // The next run after that pass.
        let next = ReportScheduler.nextDue([def, unscheduled], after: at("2025-09-03T12:00:00Z"))
        XCTAssertEqual(next?.names, ["monthly"])
        XCTAssertEqual(next?.time, Int64(at("2025-10-01T06:00:00Z").timeIntervalSince1970))
    }

    func testDailyScheduleInItsTimeZone() throws {
        // 06:30 in New York with as_of yesterday: at 2025-07-02T10:29Z (06:29 EDT) July 1's run (as of June 30) is the latest.
        let def = try ReportFixture.definition("""
        title: Daily
        schedule:
          cron: "30 6 * * *"
          timezone: America/New_York
        parameters:
          as_of: yesterday
        sections:
          - title: Aging
            kpi: aging
        """, name: "daily")
        var d = ReportScheduler.catchUp([def], store: fixture.store, now: at("2025-07-02T10:29:00Z"))
        XCTAssertEqual(CivilDate.format(d[0].asOf), "2025-06-30")
        d = ReportScheduler.catchUp([def], store: fixture.store, now: at("2025-07-02T10:30:00Z"))
        XCTAssertEqual(CivilDate.format(d[0].asOf), "2025-07-01")
        XCTAssertNotNil(d[0].run)
    }
}
