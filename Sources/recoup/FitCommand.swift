import ArgumentParser
import Foundation
import RecoupModels
import RecoupStore

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the boosted trees and the logistic baseline on a feature table; print test metrics.",
        discussion: """
            The train file's rows are shuffled with --seed: the first 10% calibrate the boosted trees \
            (isotonic regression, or Platt scaling under 1,000 rows), the next 10% decide early stopping, \
            the other 80% fit the trees. The logistic baseline fits all train rows. See docs/MODELS.md.
            """
    )

    @Option(name: .long, help: "The training table (CSV with a header).")
    var train: String

    @Option(name: .long, help: "The test table: the same columns, any order.")
    var test: String

    @Option(name: .long, help: "The label column (0 or 1).")
    var label: String

    @Option(name: .long, help: "Comma-separated columns that hold categories.")
    var categorical: String?

    @Option(name: .long, help: "Comma-separated columns to leave out of the features (ids, notes, a split column); they need not be in both tables.")
    var ignore: String?

    @Option(name: .long, help: "Random seed (unsigned 64-bit integer).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Write the test rows' calibrated boosted-tree probabilities here (one column p).")
    var predictions: String?

    @Option(name: .long, help: "Leaves per tree (default 31).")
    var numLeaves: Int?

    @Option(name: .long, help: "Learning rate (default 0.05).")
    var learningRate: Double?

    @Option(name: .long, help: "Most boosting rounds (default 1000; early stopping usually ends sooner).")
    var maxRounds: Int?

    @Option(name: .long, help: "Minimum rows in a leaf (default 20).")
    var minDataInLeaf: Int?

    @Option(name: .long, help: "Output format: table, csv or json.")
    var format: OutputFormat?

    func run() throws {
        try runReportingErrors {
            let cats = (categorical ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if cats.contains("") { throw RecoupError(.usage, "--categorical: an empty column name in '\(categorical!)'") }
            var params = BoostingParameters()
            params.seed = seed
            if let v = numLeaves {
                guard v >= 2 else { throw RecoupError(.usage, "--num-leaves: \(v) is below 2") }
                params.numLeaves = v
            }
            if let v = learningRate {
                guard v > 0 && v <= 1 else { throw RecoupError(.usage, "--learning-rate: \(v) is not in (0, 1]") }
                params.learningRate = v
            }
            if let v = maxRounds {
                guard v >= 1 else { throw RecoupError(.usage, "--max-rounds: \(v) is below 1") }
                params.maxRounds = v
            }
            if let v = minDataInLeaf {
                guard v >= 1 else { throw RecoupError(.usage, "--min-data-in-leaf: \(v) is below 1") }
                params.minDataInLeaf = v
            }

            let clock = ContinuousClock()
            let loadStart = clock.now
            let ignored = (ignore ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let trainData = try FeatureTable.load(path: train, label: label, categorical: cats, ignore: ignored)
            let testData = try FeatureTable.load(path: test, label: label, categorical: cats, like: trainData, ignore: ignored)
            let loadTime = clock.now - loadStart
            if trainData.rowCount < 20 {
                throw RecoupError(.dataError, "\(train): \(trainData.rowCount) rows; fitting needs at least 20")
            }
            if Set(trainData.labels).count < 2 {
                throw RecoupError(.dataError, "\(train): every label is \(trainData.labels[0]); fitting needs both 0 and 1")
            }

            let result = fitBoth(trainData, testData, params)
            if let out = predictions {
                var text = "p\n"
                text.reserveCapacity(testData.rowCount * 20)
                for p in result.testProbabilities { text += "\(p)\n" }
                try writeOutput(text, to: out, option: "--predictions")
            }
            print(result.render(OutputFormat.resolve(format), train: trainData, test: testData,
                                loadSeconds: seconds(loadTime), predictions: predictions))
        }
    }
}

private func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// What `recoup fit` measured.
private struct FitResult {
    struct Row {
        var model: String
        var metrics: MetricSummary
        var trainSeconds: Double?
        var trees: Int?
    }
    var rows: [Row]
    var split: RowSplit
    var calibrator: String
    var roundsTrained: Int
    var topFeatures: [String]
    var testProbabilities: [Double]

    func render(_ format: OutputFormat, train: Dataset, test: Dataset, loadSeconds: Double, predictions: String?) -> String {
        func num(_ x: Double?, _ digits: Int = 4) -> String {
            guard let x else { return "" }
            return x.isNaN ? "NaN" : String(format: "%.\(digits)f", x)
        }
        switch format {
        case .json:
            var items: [String] = []
            for r in rows {
                var fields = ["\"model\": \(JSON.string(r.model))", "\"auc\": \(json(r.metrics.auc))",
                              "\"log_loss\": \(json(r.metrics.logLoss))", "\"brier\": \(json(r.metrics.brier))",
                              "\"ece\": \(json(r.metrics.ece))", "\"top_decile_lift\": \(json(r.metrics.topDecileLift))"]
                if let s = r.trainSeconds { fields.append("\"train_seconds\": \(json(s))") }
                if let t = r.trees { fields.append("\"trees\": \(t)") }
                items.append("    {" + fields.joined(separator: ", ") + "}")
            }
            return """
                {
                  "train_rows": \(train.rowCount), "test_rows": \(test.rowCount), "features": \(train.featureCount),
                  "fit_rows": \(split.fit.count), "early_stopping_rows": \(split.validation.count), "calibration_rows": \(split.calibration.count),
                  "calibrator": \(JSON.string(calibrator)), "rounds_trained": \(roundsTrained), "load_seconds": \(json(loadSeconds)),
                  "models": [
                \(items.joined(separator: ",\n"))
                  ]
                }
                """
        case .csv:
            var lines = ["model,auc,log_loss,brier,ece,top_decile_lift,train_seconds,trees"]
            for r in rows {
                lines.append(String(CSV.row([r.model, num(r.metrics.auc, 6), num(r.metrics.logLoss, 6), num(r.metrics.brier, 6),
                              num(r.metrics.ece, 6), num(r.metrics.topDecileLift, 6), num(r.trainSeconds, 3),
                              r.trees.map(String.init) ?? ""]).dropLast()))
            }
            return lines.joined(separator: "\n")
        case .table:
            let header = ["model", "AUC", "log loss", "Brier", "ECE", "lift@10%", "train s", "trees"]
            let cells = rows.map { r in
                [r.model, num(r.metrics.auc), num(r.metrics.logLoss), num(r.metrics.brier),
                 num(r.metrics.ece), num(r.metrics.topDecileLift, 2), num(r.trainSeconds, 2),
                 r.trees.map(String.init) ?? ""]
            }
            var out = "train: \(train.rowCount) rows × \(train.featureCount) features — \(split.fit.count) fit the trees, "
                + "\(split.validation.count) stop them early, \(split.calibration.count) calibrate them (\(calibrator)); "
                + "the logistic baseline fits all \(train.rowCount)\n"
            out += "test: \(test.rowCount) rows; tables loaded in \(num(loadSeconds, 2)) s\n\n"
            out += TextTable.render(header: header, rows: cells, rightAligned: Set(1..<header.count))
            out += "\nboosting: \(roundsTrained) rounds trained, best \(rows[0].trees ?? 0) kept; "
                + "most gain: \(topFeatures.joined(separator: ", "))"
            if let p = predictions { out += "\npredictions (calibrated boosted trees): \(p)" }
            return out
        }
    }

    private func json(_ x: Double) -> String { JSON.number(x) { "\($0)" } }
}

/// Trains both models as `recoup fit` documents and measures them on `test`.
private func fitBoth(_ train: Dataset, _ test: Dataset, _ params: BoostingParameters) -> FitResult {
    let clock = ContinuousClock()
    let trees = CalibratedTrees.fit(train, params)
    let (model, calibrator, split) = (trees.model, trees.calibrator, trees.split)
    let boostTime = trees.boostSeconds, calTime = trees.calibrationSeconds

    let logStart = clock.now
    let logistic = LogisticRegression.train(train)
    let logTime = seconds(clock.now - logStart)

    let raw = model.predictProbability(test)
    let calibrated = calibrator.apply(raw)
    let lin = logistic.predictProbability(test)
    let importance = model.gainImportance()
    let top = importance.indices.sorted { importance[$0] > importance[$1] }.prefix(5)
        .filter { importance[$0] > 0 }.map { train.featureNames[$0] }
    return FitResult(
        rows: [
            .init(model: "boosted trees", metrics: Metrics.summary(raw, test.labels), trainSeconds: boostTime,
                  trees: model.trees.count),
            .init(model: "boosted trees + \(calibrator.name)", metrics: Metrics.summary(calibrated, test.labels),
                  trainSeconds: boostTime + calTime, trees: model.trees.count),
            .init(model: "logistic regression", metrics: Metrics.summary(lin, test.labels), trainSeconds: logTime,
                  trees: nil),
        ],
        split: split, calibrator: calibrator.name, roundsTrained: model.roundsTrained, topFeatures: top,
        testProbabilities: calibrated)
}
