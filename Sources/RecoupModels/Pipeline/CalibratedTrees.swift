import Foundation

/// Boosted trees fitted and calibrated on one labelled table, the one way `recoup train`, `recoup
/// evaluate` and `recoup fit` all do it: rows shuffled with the seed, 10 % calibrate (isotonic; Platt
/// under 1,000 rows), 10 % decide early stopping, 80 % fit.
public struct CalibratedTrees: Sendable {
    public var model: GradientBoostedModel
    public var calibrator: Calibrator
    /// Which rows fitted, stopped and calibrated the trees.
    public var split: RowSplit
    /// Seconds to fit the trees (with early stopping) and to calibrate them.
    public var boostSeconds: Double
    public var calibrationSeconds: Double

    public static func fit(_ data: Dataset, _ params: BoostingParameters) -> CalibratedTrees {
        let split = RowSplit.make(rowCount: data.rowCount, validationFraction: 0.1, calibrationFraction: 0.1, seed: params.seed)
        var clock = Date()
        let model = GradientBoosting.train(data.subset(split.fit), params, validation: data.subset(split.validation))
        let boostSeconds = Date().timeIntervalSince(clock)
        clock = Date()
        let cal = data.subset(split.calibration)
        let raw = model.predictProbability(cal)
        let calibrator = cal.rowCount >= 1000 ? Calibrator.fitIsotonic(probabilities: raw, labels: cal.labels)
                                              : Calibrator.fitPlatt(probabilities: raw, labels: cal.labels)
        return CalibratedTrees(model: model, calibrator: calibrator, split: split, boostSeconds: boostSeconds,
                               calibrationSeconds: Date().timeIntervalSince(clock))
    }
}
