/// Per-row feature contributions to a boosted model's log-odds (Saabas): along each tree's path, the
/// change of the expected value at each split is credited to the split's feature, and the root's
/// expected value (plus the model's base score) to the bias. For every row,
/// `bias + values.sum()` equals the row's raw score up to floating-point rounding.
public struct FeatureContributions: Sendable, Equatable {
    /// One value per feature, in the model's feature order.
    public var values: [Double]
    public var bias: Double

    public var total: Double { bias + values.reduce(0, +) }
}

/// A feature's share of one row's score, for reason codes.
public struct ReasonCode: Sendable, Equatable {
    public var feature: String
    public var contribution: Double
}

extension GradientBoostedModel {
    /// The contributions for one row (one value per feature, NaN missing).
    public func contributions(_ row: [Float]) -> FeatureContributions {
        precondition(row.count == featureNames.count, "one value per feature")
        var values = [Double](repeating: 0, count: featureNames.count)
        var bias = baseScore
        for t in trees { bias += t.addContributions({ row[$0] }, into: &values) }
        return FeatureContributions(values: values, bias: bias)
    }

    /// The contributions for row `i` of `data`.
    public func contributions(_ data: Dataset, row i: Int) -> FeatureContributions {
        let columns = data.columns
        var values = [Double](repeating: 0, count: featureNames.count)
        var bias = baseScore
        for t in trees { bias += t.addContributions({ columns[$0][i] }, into: &values) }
        return FeatureContributions(values: values, bias: bias)
    }

    /// The `k` features that raised the row's score most (largest positive contributions, descending)
    /// and the `k` that lowered it most (most negative first). Zero contributions are left out.
    public func reasonCodes(_ c: FeatureContributions, k: Int = 3) -> (raised: [ReasonCode], lowered: [ReasonCode]) {
        let order = c.values.indices.sorted { c.values[$0] != c.values[$1] ? c.values[$0] > c.values[$1] : $0 < $1 }
        let raised = order.prefix { c.values[$0] > 0 }.prefix(k)
            .map { ReasonCode(feature: featureNames[$0], contribution: c.values[$0]) }
        let lowered = order.reversed().prefix { c.values[$0] < 0 }.prefix(k)
            .map { ReasonCode(feature: featureNames[$0], contribution: c.values[$0]) }
        return (Array(raised), Array(lowered))
    }
}
