import Foundation
import RecoupEngine
import RecoupKPI
import RecoupStore

/// `recoup train`: both models as of a date, from snapshots whose labels are known.
public enum ModelTraining {
    /// Month-ends on or before `asOf − 30` (their 30-day labels are complete by A), the latest `count`.
    public static func snapshotDates(asOf a: Int32, count: Int = 6) -> [Int32] {
        var out: [Int32] = []
        var m = CivilDate.monthIndex(a - FeatureBuilder.labelHorizon)
        while out.count < count {
            let end = CivilDate.monthEnd(m)
            if end <= a - FeatureBuilder.labelHorizon { out.append(end) }
            m -= 1
            if m < 0 { break }
        }
        return out.reversed()
    }

    /// The propensity model's settings: learning rate 0.1 and at most 300 trees (early stopping
    /// usually ends sooner on small books). On the 1M-account book the held-out log loss at 1,000
    /// trees of rate 0.05 was 0.16662 against 0.16710 at 300 of them; every tree costs scoring time
    /// (a million accounts walk each tree once for the score and its reason codes), so the last
    /// 0.0005 of log loss is not worth three times the scoring time. See docs/MODELS.md.
    public static var propensityParameters: BoostingParameters {
        var p = BoostingParameters()
        p.learningRate = 0.1
        p.maxRounds = 300
        return p
    }

    /// The propensity trees on stacked labelled rows (`CalibratedTrees` with `propensityParameters`).
    static func fitPropensity(_ data: Dataset, seed: UInt64) -> CalibratedTrees {
        var params = propensityParameters
        params.seed = seed
        return CalibratedTrees.fit(data, params)
    }

    public static func train(snapshot: Snapshot, store: String, asOf: Int32?, seed: UInt64) throws -> ModelBundle {
        let a = try asOf ?? KPIRunner.defaultAsOf(snapshot)
        let dates = snapshotDates(asOf: a)
        var sets = try dates.map { try FeatureBuilder.build(snapshot: snapshot, asOf: $0, withLabels: true) }
        sets.removeAll { $0.dataset.rowCount == 0 }
        let data = FeatureSet.stack(sets)
        Trace.mark("train: features at \(dates.count) snapshots, \(data.rowCount) rows")
        guard data.rowCount >= 200, Set(data.labels).count == 2 else {
            throw RecoupError(.dataError, "not enough history to train as of \(CivilDate.format(a)): \(data.rowCount) labelled rows at month-ends ≥ 30 days before it",
                              details: "training needs month-end snapshots whose next 30 days are in the store")
        }
        let trees = fitPropensity(data, seed: seed)
        let (model, calibrator, validation) = (trees.model, trees.calibrator, data.subset(trees.split.validation))
        Trace.mark("train: propensity trees (\(model.trees.count)) and calibration")
        let contactTime = try ContactTimeTrainer.train(snapshot: snapshot, asOf: a)
        Trace.mark("train: contact time")
        let version = (ModelBundle.versions(store: store).last ?? 0) + 1
        return ModelBundle(version: version, asOf: a, trainingSnapshots: sets.map(\.asOf), seed: seed, storeCommit: snapshot.commit,
                           featureNames: data.featureNames, isCategorical: data.isCategorical, categoryLevels: data.categoryLevels,
                           boosted: model, calibrator: calibrator, contactTime: contactTime,
                           heldOut: Metrics.summary(calibrator.apply(model.predictProbability(validation)), validation.labels),
                           trainingRows: data.rowCount)
    }
}
