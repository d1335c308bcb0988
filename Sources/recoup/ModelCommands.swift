import ArgumentParser
import Foundation
import RecoupKPI
import RecoupModels
import RecoupStore

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Train the propensity-to-pay and best-contact-time models as of a date; write a versioned model file and its model card.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var commitOptions: CommitOptions
    @Option(name: .customLong("as-of"), help: "As-of date (YYYY-MM-DD); default: the latest date in the data.") var asOf: String?
    @Option(help: "Random seed.") var seed: UInt64 = 1

    func run() throws {
        try runReportingErrors {
            let snapshot = try Store.open(storeOptions.path, commit: commitOptions.commit)
            let start = Date()
            let bundle = try ModelTraining.train(snapshot: snapshot, store: storeOptions.path, asOf: try asOf.map { try CLIDate.parse($0, option: "--as-of") }, seed: seed)
            let (model, card) = try bundle.save(store: storeOptions.path)
            print("trained \(bundle.name) as of \(CivilDate.format(bundle.asOf)) on \(bundle.trainingRows) rows from \(bundle.trainingSnapshots.count) snapshots in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            print(String(format: "held-out rows: AUC %.4f, log loss %.4f, Brier %.4f, ECE %.4f", bundle.heldOut.auc, bundle.heldOut.logLoss, bundle.heldOut.brier, bundle.heldOut.ece))
            print("model: \(model)\ncard:  \(card)")
        }
    }
}

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Evaluate both models on a held-out later snapshot (MODELS.md).")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var commitOptions: CommitOptions
    @Option(name: .customLong("as-of"), help: "As-of date; the test snapshot is the latest month-end whose next 30 days are known by then.") var asOf: String?
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "table, csv or json.") var format: OutputFormat?
    @Option(help: "Also write the training and test tables (train.csv, test.csv, features.json) to this folder, for other learners.") var export: String?

    func run() throws {
        try runReportingErrors {
            let snapshot = try Store.open(storeOptions.path, commit: commitOptions.commit)
            let r = try ModelEvaluation.run(snapshot: snapshot, asOf: try asOf.map { try CLIDate.parse($0, option: "--as-of") }, seed: seed, export: export)
            let seconds = [r.boostedSeconds, r.logisticSeconds]
            var rows: [[KPIValue]] = r.rows.enumerated().map { i, row in
                [.text(row.model), .decimal(row.metrics.auc), .decimal(row.metrics.logLoss), .decimal(row.metrics.brier),
                 .decimal(row.metrics.ece), .decimal(row.metrics.topDecileLift), .decimal(row.capture20), .decimal((seconds[i] * 1000).rounded() / 1000)]
            }
            rows.append([.text("best contact time: P(RPC)"), .decimal(r.contactAUC), .null, .null, .null, .null, .null, .null])
            let table = KPITable(columns: ["model", "auc", "log_loss", "brier", "ece", "top_decile_lift", "capture_top20", "train_seconds"], rows: rows)
            let f = OutputFormat.resolve(format)
            if f == .table {
                print("test snapshot \(CivilDate.format(r.testAsOf)) (\(r.testRows) accounts); trained on \(r.trainRows) rows at \(r.trainingSnapshots.map(CivilDate.format).joined(separator: ", ")); boosted trees: \(r.boostedRounds) rounds")
            }
            print(table.render(KPIFormat(rawValue: f.rawValue)!), terminator: "")
            if f == .table {
                print(String(format: "RPC rate of later calls in the recommended top-3 slots: %.4f (all calls: %.4f)", r.rpcRateTop3, r.rpcRateAll))
            }
        }
    }
}

/// `x` with three decimals (for reading, not for exchange; `String(format:)` is slow for a million rows).
func thousandths(_ x: Double) -> String {
    guard x.isFinite else { return "\(x)" }
    let m = Int64((abs(x) * 1000).rounded())
    let frac = String(m % 1000)
    return (x < 0 && m != 0 ? "-" : "") + "\(m / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
}

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Score every eligible account with the latest models; save the scores for queries and the API.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var commitOptions: CommitOptions
    @Option(name: .customLong("as-of"), help: "As-of date; default: the latest date in the data.") var asOf: String?
    @Option(help: "Also write the scores to this file.") var out: String?
    @Option(help: "table, csv or json.") var format: OutputFormat?

    func run() throws {
        try runReportingErrors {
            let snapshot = try Store.open(storeOptions.path, commit: commitOptions.commit)
            Trace.mark("score: open")
            let models = try ModelBundle.latest(store: storeOptions.path)
            Trace.mark("score: models loaded")
            let start = Date()
            let set = try Scoring.score(snapshot: snapshot, models: models, asOf: try asOf.map { try CLIDate.parse($0, option: "--as-of") })
            let saved = try set.save(store: storeOptions.path)
            Trace.mark("score: saved")
            let f = OutputFormat.resolve(format)
            let text: String
            switch f {
            case .json:
                text = "[" + set.scores.map(\.json).joined(separator: ",\n ") + "]\n"
            default:
                let rows: [[KPIValue]] = set.scores.map { s in
                    [.text(s.account_id), .text(s.as_of), .text(s.model_version), .decimal(s.p_pay_30d), .money(s.expected_value), .money(s.outstanding),
                     .text(s.best_slots.map { "\($0.weekday) \($0.hour) \(thousandths($0.p_rpc))" }.joined(separator: "; ")),
                     .text(s.reasons.map { "\($0.feature) \($0.effect >= 0 ? "+" : "")\(thousandths($0.effect))" }.joined(separator: "; "))]
                }
                let table = KPITable(columns: ["account_id", "as_of", "model_version", "p_pay_30d", "expected_value", "outstanding", "best_slots", "reasons"], rows: rows)
                text = f == .csv ? table.csv() : table.text()
            }
            if let out {
                try writeOutput(text, to: out, option: "--out")
                FileHandle.standardError.write(Data("scored \(set.scores.count) accounts with \(models.name) as of \(set.as_of) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s → \(out) (saved \(saved))\n".utf8))
            } else {
                print(text, terminator: "")
            }
        }
    }
}
