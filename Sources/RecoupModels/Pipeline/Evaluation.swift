import Foundation
import RecoupKPI
import RecoupStore

/// `recoup evaluate`: MODELS.md's evaluation on a held-out later snapshot
/// whose labels do not overlap the training labels (A_test ≥ A_last_train + 30).
public enum ModelEvaluation {
    public struct Row: Sendable {
        public var model: String
        public var metrics: MetricSummary
        /// Share of next-30-day collections captured by the top 20 % ranked by expected value.
        public var capture20: Double
    }

    public struct Report: Sendable {
        public var testAsOf: Int32
        public var trainingSnapshots: [Int32]
        public var trainRows: Int
        public var testRows: Int
        public var rows: [Row]
        public var contactAUC: Double
        public var rpcRateTop3: Double
        public var rpcRateAll: Double
        /// Seconds to fit the boosted trees (with early stopping) and calibrate them, and to fit the
        /// logistic baseline; rounds the trees ran.
        public var boostedSeconds: Double
        public var logisticSeconds: Double
        public var boostedRounds: Int
    }

    /// With `export`, also writes the training and test tables and Recoup's test predictions there
    /// (see `FeatureExport`).
    public static func run(snapshot: Snapshot, asOf: Int32?, seed: UInt64 = 1, export: String? = nil) throws -> Report {
        let a = try asOf ?? KPIRunner.defaultAsOf(snapshot)
        // The test snapshot: the latest month-end whose 30-day labels are complete by A.
        guard let test = ModelTraining.snapshotDates(asOf: a, count: 1).last else {
            throw RecoupError(.dataError, "not enough history to evaluate as of \(CivilDate.format(a))")
        }
        let trainDates = ModelTraining.snapshotDates(asOf: test, count: 6)
        let trainSets = try trainDates.map { try FeatureBuilder.build(snapshot: snapshot, asOf: $0, withLabels: true) }.filter { $0.dataset.rowCount > 0 }
        let data = FeatureSet.stack(trainSets)
        guard data.rowCount >= 200, Set(data.labels).count == 2 else {
            throw RecoupError(.dataError, "not enough history to evaluate as of \(CivilDate.format(a)): \(data.rowCount) training rows before \(CivilDate.format(test))")
        }
        let testSet = try FeatureBuilder.build(snapshot: snapshot, asOf: test, withLabels: true).encoded(like: data)
        let trees = ModelTraining.fitPropensity(data, seed: seed)
        let (model, calibrator) = (trees.model, trees.calibrator)
        let clock = Date()
        let logistic = LogisticRegression.train(data)
        let logisticSeconds = Date().timeIntervalSince(clock)
        let labels = testSet.dataset.labels
        let outstanding = testSet.outstanding.map { Double($0) }
        // Next-30-day collections per test account, for the capture metric.
        let collected = try NextCollections.amounts(snapshot: snapshot, accounts: testSet.accountKeys, after: test, days: FeatureBuilder.labelHorizon)
        func row(_ name: String, _ p: [Double]) -> Row {
            let ev = zip(p, outstanding).map { $0 * $1 }
            return Row(model: name, metrics: Metrics.summary(p, labels),
                       capture20: Metrics.valueCaptured(scores: ev, labels: labels, values: collected, topFraction: 0.2))
        }
        let ct = try ContactTimeEvaluation.run(snapshot: snapshot, trainAsOf: test, testFrom: test + 1, testTo: a)
        let pBoosted = calibrator.apply(model.predictProbability(testSet.dataset))
        let pLogistic = logistic.predictProbability(testSet.dataset)
        if let dir = export {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw RecoupError(.cannotCreate, "cannot create \(dir): \(error.localizedDescription)")
            }
            try FeatureExport.writeFeatures(data, to: dir + "/features.json")
            try FeatureExport.writeTrain(data, split: trees.split, to: dir + "/train.csv")
            try FeatureExport.writeTest(testSet.dataset, outstanding: testSet.outstanding, collected: collected,
                                        boosted: pBoosted, logistic: pLogistic, to: dir + "/test.csv")
        }
        return Report(testAsOf: test, trainingSnapshots: trainSets.map(\.asOf), trainRows: data.rowCount, testRows: testSet.dataset.rowCount,
                      rows: [row("boosted trees (calibrated)", pBoosted), row("logistic baseline", pLogistic)],
                      contactAUC: ct.auc, rpcRateTop3: ct.rpcRateTop3, rpcRateAll: ct.rpcRateAll,
                      boostedSeconds: trees.boostSeconds + trees.calibrationSeconds, logisticSeconds: logisticSeconds, boostedRounds: model.trees.count)
    }
}

/// Σ positive payments of each account in (A, A + days], in currency units.
enum NextCollections {
    static func amounts(snapshot: Snapshot, accounts: [Int32], after a: Int32, days: Int32) throws -> [Double] {
        var byAccount = [Double](repeating: 0, count: snapshot.rows("accounts"))
        let scan = RecoupEngine.TableScan(snapshot, "payments")
        let cols = try scan.read(["account_id", "paid_date", "amount"])
        let keys = cols[0].int32Values, dates = cols[1].int32Values, amounts = cols[2].int64Values
        for r in keys.indices where dates[r] > a && dates[r] <= a + days && amounts[r] > 0 {
            byAccount[Int(keys[r])] += Double(amounts[r]) / 100
        }
        return accounts.map { byAccount[Int($0)] }
    }
}

import RecoupEngine
