import RecoupStore
import XCTest
@testable import RecoupReports

/// Cron parsing, matching and next/previous run times, in UTC and across New York's DST changes.
final class CronTests: XCTestCase {
    /// Seconds since the epoch of a UTC wall time.
    func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0) -> Int64 {
        Int64(CivilDate.days(year: y, month: mo, day: d)) * 86_400 + Int64(h * 3600 + mi * 60)
    }

    func testFieldsListsRangesStepsAndNames() throws {
        let c = try CronExpression("0,30 9-17/4 * jan-mar,DEC mon-fri")
        XCTAssertEqual(c.timesOfDay, [9, 13, 17].flatMap { [$0 * 3600, $0 * 3600 + 1800] })
        XCTAssertTrue(c.months[1] && c.months[3] && c.months[12] && !c.months[4])
        XCTAssertEqual(c.daysOfWeek, [false, true, true, true, true, true, false])
        XCTAssertEqual(try CronExpression("*/15 * * * *").timesOfDay.count, 24 * 4)
        XCTAssertEqual(try CronExpression("5/20 0 * * *").timesOfDay, [300, 1500, 2700])
        XCTAssertTrue(try CronExpression("0 0 * * 7").daysOfWeek[0], "7 is Sunday too")
        XCTAssertEqual(try CronExpression("@monthly").timesOfDay, [0])
    }

    func testSyntaxErrorsSayWhichField() {
        func message(_ text: String) -> String {
            do { _ = try CronExpression(text); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("0 6 * *").contains("4 fields"))
        XCTAssertTrue(message("60 6 * * *").contains("minute"))
        XCTAssertTrue(message("0 24 * * *").contains("hour"))
        XCTAssertTrue(message("0 6 1 foo *").contains("month"))
        XCTAssertTrue(message("0 6 * * 1-x").contains("day of week"))
        XCTAssertTrue(message("0 6 5-1 * *").contains("backwards"))
        XCTAssertTrue(message("*/0 * * * *").contains("step"))
    }

    func testDayOfMonthOrDayOfWeekWhenBothRestricted() throws {
        // Vixie cron: the 1st of the month OR any Monday.
        let c = try CronExpression("0 0 1 * mon")
        XCTAssertTrue(c.matches(day: CivilDate.days(year: 2025, month: 7, day: 1)))   // a Tuesday, the 1st
        XCTAssertTrue(c.matches(day: CivilDate.days(year: 2025, month: 7, day: 7)))   // a Monday
        XCTAssertFalse(c.matches(day: CivilDate.days(year: 2025, month: 7, day: 8)))
        // With day of week `*`, only the day of month counts.
        let d = try CronExpression("0 0 1 * *")
        XCTAssertFalse(d.matches(day: CivilDate.days(year: 2025, month: 7, day: 7)))
    }

    func testNextAndPreviousInUTC() throws {
        let s = try Schedule(cron: CronExpression("0 6 1 * *"), timeZone: "UTC")
        XCTAssertEqual(s.next(after: utc(2025, 6, 15)), utc(2025, 7, 1, 6))
        XCTAssertEqual(s.next(after: utc(2025, 7, 1, 6)), utc(2025, 8, 1, 6), "strictly after")
        XCTAssertEqual(s.previous(atOrBefore: utc(2025, 7, 1, 6)), utc(2025, 7, 1, 6), "at or before")
        XCTAssertEqual(s.previous(atOrBefore: utc(2025, 7, 1, 5, 59)), utc(2025, 6, 1, 6))
        let feb30 = try Schedule(cron: CronExpression("0 0 30 2 *"), timeZone: "UTC")
        XCTAssertNil(feb30.next(after: utc(2025, 1, 1)), "a date that never comes")
    }

    func testNewYorkOffsets() throws {
        let s = try Schedule(cron: CronExpression("0 7 * * *"), timeZone: "America/New_York")
        XCTAssertEqual(s.next(after: utc(2025, 1, 15)), utc(2025, 1, 15, 12), "EST is UTC-5")
        XCTAssertEqual(s.next(after: utc(2025, 7, 15)), utc(2025, 7, 15, 11), "EDT is UTC-4")
        XCTAssertEqual(s.format(utc(2025, 7, 15, 11)), "2025-07-15T07:00:00-04:00")
    }

    func testSpringForwardRunsAtTheFirstInstantAfterTheGap() throws {
        // 2025-03-09: New York clocks jump from 02:00 EST to 03:00 EDT (07:00 UTC); 02:30 does not exist.
        let s = try Schedule(cron: CronExpression("30 2 * * *"), timeZone: "America/New_York")
        XCTAssertEqual(s.next(after: utc(2025, 3, 8, 12)), utc(2025, 3, 9, 7), "03:00 EDT, right after the gap")
        XCTAssertEqual(s.format(utc(2025, 3, 9, 7)), "2025-03-09T03:00:00-04:00")
        XCTAssertEqual(s.next(after: utc(2025, 3, 9, 7)), utc(2025, 3, 10, 6, 30), "02:30 EDT the day after")
        // Every minute of the skipped hour maps to the same instant, and runs once.
        let q = try Schedule(cron: CronExpression("*/15 2 * * *"), timeZone: "America/New_York")
        XCTAssertEqual(q.instants(onLocalDay: CivilDate.days(year: 2025, month: 3, day: 9)), [utc(2025, 3, 9, 7)])
        // The hour after the gap is unaffected.
        let three = try Schedule(cron: CronExpression("30 3 * * *"), timeZone: "America/New_York")
        XCTAssertEqual(three.next(after: utc(2025, 3, 9)), utc(2025, 3, 9, 7, 30))
    }

    func testFallBackRunsARepeatedTimeOnce() throws {
        // 2025-11-02: New York clocks fall back from 02:00 EDT to 01:00 EST; 01:30 happens twice.
        let s = try Schedule(cron: CronExpression("30 1 * * *"), timeZone: "America/New_York")
        let first = utc(2025, 11, 2, 5, 30)  // 01:30 EDT
        XCTAssertEqual(s.next(after: utc(2025, 11, 1, 12)), first)
        XCTAssertEqual(s.next(after: first), utc(2025, 11, 3, 6, 30), "not again at 01:30 EST (06:30 UTC)")
        XCTAssertEqual(s.instants(onLocalDay: CivilDate.days(year: 2025, month: 11, day: 2)), [first])
        XCTAssertEqual(s.previous(atOrBefore: utc(2025, 11, 2, 6, 45)), first)
        // An hourly schedule runs 23 times on the spring day and 24 (distinct instants) on the fall day... once per wall time.
        let hourly = try Schedule(cron: CronExpression("0 * * * *"), timeZone: "America/New_York")
        XCTAssertEqual(hourly.instants(onLocalDay: CivilDate.days(year: 2025, month: 3, day: 9)).count, 23)
        XCTAssertEqual(hourly.instants(onLocalDay: CivilDate.days(year: 2025, month: 11, day: 2)).count, 24)
    }

    func testUnknownTimeZone() {
        XCTAssertThrowsError(try Schedule(cron: CronExpression("0 6 * * *"), timeZone: "Mars/Olympus"))
    }
}
