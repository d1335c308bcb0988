import ArgumentParser
import Foundation
import RecoupGenerator
import RecoupKPI
import RecoupModels
import RecoupReports
import RecoupStore

/// The whole main job on an embedded default book.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate a sample book, import it, and summarize what is there.")

    @Option(name: .long, help: "Where the demo writes its book, store and outputs.") var out = "./recoup-demo"
    @Option(name: .long, help: "Accounts in the sample book.") var accounts = 50_000
    @Option(name: .long, help: "Generator seed.") var seed: UInt64 = 42
    @OptionGroup var reportsOptions: ReportsOptions

    func run() throws {
        try runReportingErrors {
            let fm = FileManager.default
            let book = out + "/book", store = out + "/store"
            // A previous demo's output is replaced; anything else in the way is left alone.
            if fm.fileExists(atPath: store) {
                guard Store.exists(store) else { throw RecoupError(.cannotCreate, "\(store) exists and is not a store; choose another --out") }
                try fm.removeItem(atPath: store)
            }
            try? fm.createDirectory(atPath: book, withIntermediateDirectories: true)

            print("1. generating a book of \(accounts) accounts (seed \(seed)) into \(book)")
            let g = try generateBook(GeneratorConfig(accounts: accounts, seed: seed), to: book)
            print("   " + g.description)

            print("2. importing it into the store \(store)")
            let t0 = Date()
            let s = try Importer.run(store: store, paths: [book])
            printImportSummary(s, seconds: Date().timeIntervalSince(t0), rejectsPath: nil)

            print("3. what the store holds")
            let stats = try StoreStats.compute(root: store, commit: nil)
            let csvBytes = Schema.tables.reduce(0) { total, t in
                total + ((try? fm.attributesOfItem(atPath: book + "/" + t.fileName)[.size] as? Int) ?? 0)
            }
            let storeBytes = stats.tables.reduce(0) { $0 + $1.storedBytes }
            print(TextTable.render(header: ["table", "rows", "bytes on disk"],
                                   rows: stats.tables.map { [$0.table, String($0.rows), ByteCount.human($0.storedBytes)] },
                                   rightAligned: [1, 2]), terminator: "")
            print(String(format: "   %@ of CSV stored in %@ (%.1f× smaller)", ByteCount.human(csvBytes), ByteCount.human(storeBytes),
                         Double(csvBytes) / Double(max(storeBytes, 1))))

            let snapshot = try Store.open(store)
            let asOf = try KPIRunner.defaultAsOf(snapshot)
            print("4. headline KPIs as of \(CivilDate.format(asOf))")
            for (title, name, params) in [
                ("recovery by portfolio", "recovery_rate", KPIParameters(by: [.portfolio])),
                ("DSO this month by portfolio (meaningful for the first-party `invoice` book)", "dso", KPIParameters(by: [.portfolio])),
                ("contact effectiveness this month by channel", "contact_effectiveness", KPIParameters(by: [.channel])),
                ("promise adherence this month", "promise_adherence", KPIParameters()),
            ] {
                print("\n   " + title + "  (recoup kpi \(name)\(params.by.isEmpty ? "" : " --by " + params.by.map(\.rawValue).joined(separator: ",")))")
                let table = try KPIRunner.run(name, snapshot: snapshot, parameters: params)
                print(table.text().split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))
            }
            print("\n5. training the propensity-to-pay and best-contact-time models as of \(CivilDate.format(asOf))")
            let t1 = Date()
            let bundle = try ModelTraining.train(snapshot: snapshot, store: store, asOf: asOf, seed: seed)
            let files = try bundle.save(store: store)
            print(String(format: "   %@: %d rows from %d month-end snapshots, %d trees, held-out AUC %.3f, ECE %.3f (%.1f s)",
                         bundle.name, bundle.trainingRows, bundle.trainingSnapshots.count, bundle.boosted.roundsTrained,
                         bundle.heldOut.auc, bundle.heldOut.ece, Date().timeIntervalSince(t1)))
            print("6. scoring every account with a balance")
            let t2 = Date()
            let scored = try Scoring.score(snapshot: snapshot, models: bundle, asOf: asOf)
            let saved = try scored.save(store: store)
            print(String(format: "   %d accounts scored (%.1f s); the five largest expected values:", scored.scores.count, Date().timeIntervalSince(t2)))
            for s in scored.scores.sorted(by: { $0.expected_value > $1.expected_value }).prefix(5) {
                let slot = s.best_slots.first.map { "\($0.weekday) \($0.hour):00" } ?? "-"
                print("   \(s.account_id)  p_pay_30d \(String(format: "%.3f", s.p_pay_30d))  expected \(Money.format(s.expected_value))  best slot \(slot)  top reason \(s.reasons.first?.feature ?? "-")")
            }
            print("7. rendering the monthly KPI pack as of \(CivilDate.format(asOf))")
            var reportLine = "(no reports/monthly-kpi-pack.yaml in \(reportsOptions.path); give --reports DIR)"
            if FileManager.default.fileExists(atPath: reportsOptions.path + "/monthly-kpi-pack.yaml") {
                let def = try DefinitionLoader.load(name: "monthly-kpi-pack", in: reportsOptions.path)
                let run = try ReportService.run(def, snapshot: snapshot, asOf: asOf, out: nil)
                print("   \(run.result.sections.count - run.result.failedSections) of \(run.result.sections.count) sections in \(run.durationMs) ms")
                reportLine = run.directory + "/report.html"
            } else {
                print("   skipped: " + reportLine)
            }
            print("""

            Outputs:
              book (CSV)   \(book)
              store        \(store)   (commit \(stats.commit))
              model        \(files.model)
              model card   \(files.card)
              scores       \(saved)
              KPI pack     \(reportLine)
              all reports  \(store)/reports/index.html
            Next: recoup stats --store \(store)
                  recoup kpi liquidation --by portfolio --store \(store)
                  recoup query --store \(store) 'from scores | sort expected_value desc | take 20'
                  recoup evaluate --store \(store)
                  recoup report run model-monitoring --as-of \(CivilDate.format(asOf)) --store \(store)
            """)
        }
    }
}
