import ArgumentParser
import Foundation
import RecoupReports
import RecoupStore

/// `--reports DIR`: where report definitions live.
struct ReportsOptions: ParsableArguments {
    @Option(name: .long, help: "The report definitions folder (default: $RECOUP_REPORTS, else ./reports).")
    var reports: String?

    var path: String { DefinitionLoader.directory(reports) }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render report definitions (reports/*.yaml) to HTML, CSV and JSON.",
        subcommands: [ReportRun.self, ReportList.self])
}

struct ReportRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Render one report definition.",
        discussion:
            "Without --out the report goes into the store's history: <store>/reports/NAME/AS_OF/ (report.html, report.json, one CSV and JSON per section), and <store>/reports/index.html and schedule.log are updated."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var commitOptions: CommitOptions
    @OptionGroup var reportsOptions: ReportsOptions
    @Argument(help: "The report: a file name in the definitions folder without .yaml.") var name: String
    @Option(
        name: .customLong("as-of"),
        help: "As-of date: YYYY-MM-DD, today, yesterday, last_month_end or latest (default: the definition's).")
    var asOf: String?
    @Option(help: "Write the files into this folder instead of the store's history.") var out: String?

    func run() throws {
        try runReportingErrors {
            let def = try DefinitionLoader.load(name: name, in: reportsOptions.path)
            let snapshot = try Store.open(storeOptions.path, commit: commitOptions.commit)
            let a = try ReportRunner.resolveAsOf(def, override: asOf, snapshot: snapshot)
            let run = try ReportService.run(def, snapshot: snapshot, asOf: a, out: out)
            let r = run.result
            print(
                "\(r.title) as of \(CivilDate.format(r.asOf)) (store commit \(r.storeCommit), \(r.kpiVersion)): "
                    + "\(r.sections.count - r.failedSections) of \(r.sections.count) sections rendered in \(run.durationMs) ms"
            )
            for s in r.sections where s.error != nil {
                print("  section failed: \(s.title): \(s.error!.split(separator: "\n").first ?? "")")
            }
            print(run.directory + "/report.html")
        }
    }
}

struct ReportList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The report definitions with their schedules, next and last runs.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var reportsOptions: ReportsOptions

    func run() throws {
        try runReportingErrors {
            let (defs, problems) = try DefinitionLoader.loadValid(in: reportsOptions.path)
            let history = ReportHistory(store: storeOptions.path)
            let now = Int64(Date().timeIntervalSince1970)
            let rows = defs.map { d -> [String] in
                let next = d.schedule.flatMap { s in s.next(after: now).map { s.format($0) } } ?? "-"
                let last = history.lastRun(name: d.name).map { "\($0.asOf) (\($0.generatedAt))" } ?? "never"
                return [d.name, d.title, d.schedule?.description ?? "-", next, last]
            }
            print(
                TextTable.render(
                    header: ["name", "title", "schedule", "next run", "last run"], rows: rows, rightAligned: []),
                terminator: "")
            // Broken definitions are listed after the good ones, and make the exit status 65.
            if let first = problems.first {
                for p in problems.dropFirst() {
                    FileHandle.standardError.write(Data(("recoup: " + p.message + "\n").utf8))
                }
                throw first
            }
        }
    }
}

/// Set by SIGINT/SIGTERM; the loop checks it between naps.
nonisolated(unsafe) var scheduleStopRequested: sig_atomic_t = 0

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Run report definitions on their schedules until stopped.",
        discussion:
            "Each pass runs, for every definition, its most recent scheduled time at or before now, unless that period (as-of date) already has a run in <store>/reports: a run missed while down is caught up, and no period runs twice. Ctrl-C or SIGTERM stops it cleanly."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var reportsOptions: ReportsOptions
    @Flag(help: "One catch-up pass, then exit.") var once = false
    @Option(help: "Pretend the time is this (ISO 8601, e.g. 2025-07-01T06:00:00Z) and make one pass; for tests.")
    var now: String?

    func run() throws {
        try runReportingErrors {
            // A long-lived process: decoded columns stay in memory for the next report.
            BlockCache.shared.budget = BlockCache.defaultBudget
            let fixed = try now.map { s -> Date in
                guard let d = ISO8601DateFormatter().date(from: s) else {
                    throw RecoupError(.usage, "--now \(s): expected ISO 8601 such as 2025-07-01T06:00:00Z")
                }
                return d
            }
            guard Store.exists(storeOptions.path) else {
                throw RecoupError(.noInput, "no store at \(storeOptions.path)")
            }
            signal(SIGINT) { _ in scheduleStopRequested = 1 }
            signal(SIGTERM) { _ in scheduleStopRequested = 1 }
            var clock = fixed ?? Date()
            var seenProblems = Set<String>()
            var announced: Int64? = -1
            var firstPass = true
            while true {
                // Definitions are read again each pass, so edits take effect without a restart; a broken
                // file is reported (once) and the others still run.
                let (defs, problems) = try DefinitionLoader.loadValid(in: reportsOptions.path)
                for p in problems where seenProblems.insert(p.message).inserted {
                    FileHandle.standardError.write(
                        Data(("recoup: " + p.message + "\n" + (p.details.map { $0 + "\n" } ?? "")).utf8))
                }
                for d in ReportScheduler.catchUp(defs, store: storeOptions.path, now: clock) {
                    if let e = d.error {
                        log("\(d.name): failed: \(e)")
                    } else if let run = d.run {
                        log(
                            "\(d.name): ran as of \(CivilDate.format(d.asOf)) in \(run.durationMs) ms (\(run.result.failedSections) failed sections): \(run.directory)/report.html"
                        )
                    } else if firstPass {
                        log("\(d.name): as of \(CivilDate.format(d.asOf)) already ran")
                    }
                }
                if once || fixed != nil {
                    if !problems.isEmpty { throw ExitCode(RecoupError.Kind.dataError.rawValue) }
                    return
                }
                firstPass = false
                let next = ReportScheduler.nextDue(defs, after: clock)
                if next?.time != announced {
                    announced = next?.time
                    log(
                        next.map {
                            "next: \($0.names.joined(separator: ", ")) at \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double($0.time))))"
                        }
                            ?? "nothing is scheduled; waiting for definitions")
                }
                // Wake at the next run, or within a minute to pick up edited definitions.
                let wake = min(Double(next?.time ?? Int64.max), Date().timeIntervalSince1970 + 60)
                while Date().timeIntervalSince1970 < wake && scheduleStopRequested == 0 { usleep(250_000) }
                if scheduleStopRequested != 0 { log("stopping"); return }
                clock = Date()
            }
        }
    }

    func log(_ s: String) {
        print("[\(ISO8601DateFormatter().string(from: Date()))] " + s)
        fflush(stdout)
    }
}
