import Foundation
import XCTest
@testable import RecoupReports

/// `recoup report run|list` and `recoup schedule --once --now` as a process, like cron would call them.
final class CommandTests: XCTestCase {
    static var binary: String { ReportFixture.repoRoot + "/.build/debug/recoup" }
    static var fixture: ReportFixture!

    override class func setUp() { fixture = try! ReportFixture(accounts: 400, seed: 5) }
    override class func tearDown() { fixture.remove() }

    /// Runs recoup; returns the exit status, standard output and standard error.
    func recoup(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func reportsDir(_ files: [String: String]) throws -> String {
        let dir = Self.fixture.dir + "/defs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    static let monthly = """
    title: Monthly
    schedule:
      cron: "0 6 1 * *"
      timezone: UTC
    parameters:
      as_of: last_month_end
    sections:
      - title: Recovery by portfolio
        kpi: recovery_rate
        by: [portfolio]
        show: bar
        x: portfolio
        y: recovery_rate
    """

    func testScheduleOnceWithNowCatchesUpOnce() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else { throw XCTSkip("run `swift build` first") }
        let defs = try reportsDir(["monthly.yaml": Self.monthly])
        let store = Self.fixture.dir + "/sched-store"
        try? FileManager.default.removeItem(atPath: store)
        try FileManager.default.copyItem(atPath: Self.fixture.store, toPath: store)
        let args = ["schedule", "--store", store, "--reports", defs, "--now", "2025-07-02T00:00:00Z"]
        var r = try recoup(args)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("monthly: ran as of 2025-06-30"), r.out)
        r = try recoup(args + ["--once"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("monthly: as of 2025-06-30 already ran"), r.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: store + "/reports/monthly/2025-06-30/report.html"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: store + "/reports/index.html"))
        r = try recoup(["report", "list", "--store", store, "--reports", defs])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("0 6 1 * * UTC"), r.out)
        XCTAssertTrue(r.out.contains("2025-06-30 (2025-07-02T00:00:00Z)"), r.out)
    }

    func testReportRunWithOutAndErrors() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else { throw XCTSkip("run `swift build` first") }
        let defs = try reportsDir(["monthly.yaml": Self.monthly, "bad.yaml": "title: Bad\nsections:\n  - title: A\n    kpi: aging\n    show: pie\n"])
        let out = Self.fixture.dir + "/out-" + UUID().uuidString
        var r = try recoup(["report", "run", "monthly", "--store", Self.fixture.store, "--reports", defs, "--as-of", "2025-06-30", "--out", out])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("1 of 1 sections"), r.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/01-recovery-by-portfolio.csv"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: Self.fixture.store + "/reports/monthly"), "--out leaves the history alone")
        r = try recoup(["report", "run", "bad", "--store", Self.fixture.store, "--reports", defs])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.err.hasPrefix("recoup: \(defs)/bad.yaml:5:11: sections[0].show: unknown value `pie`"), r.err)
        r = try recoup(["report", "run", "monthly", "--store", Self.fixture.store, "--reports", defs, "--as-of", "last_mnth_end"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.err.contains("did you mean `last_month_end`"), r.err)
        r = try recoup(["report", "run", "nope", "--store", Self.fixture.store, "--reports", defs])
        XCTAssertEqual(r.status, 66)
        // A broken definition does not hide the others: list shows them and exits 65; a schedule pass runs them.
        r = try recoup(["report", "list", "--store", Self.fixture.store, "--reports", defs])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.out.contains("monthly"), r.out)
        XCTAssertTrue(r.err.contains("bad.yaml:5:11"), r.err)
        let store = Self.fixture.dir + "/broken-defs-store"
        try FileManager.default.copyItem(atPath: Self.fixture.store, toPath: store)
        r = try recoup(["schedule", "--store", store, "--reports", defs, "--once", "--now", "2025-07-02T00:00:00Z"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.out.contains("monthly: ran as of 2025-06-30"), r.out)
        XCTAssertTrue(r.err.contains("bad.yaml:5:11"), r.err)
    }
}
