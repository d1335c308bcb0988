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

/// Raw scores and reason codes for every row of a table, from one walk of the trees per row.
public struct ExplainedScores: Sendable {
    /// Log-odds per row, equal to `rawScores` to the bit.
    public var raw: [Double]
    /// Reason codes per row: `k` slots for the features that raised the score most (descending),
    /// then `k` for those that lowered it most (most negative first); feature −1 marks an empty slot.
    public var k: Int
    public var feature: [Int16]
    public var effect: [Double]

    /// Row `i`'s reason codes, raised then lowered, without empty slots.
    public func reasons(row i: Int) -> [(feature: Int, effect: Double)] {
        (0..<(2 * k)).compactMap { j in
            let f = feature[i * 2 * k + j]
            return f >= 0 ? (Int(f), effect[i * 2 * k + j]) : nil
        }
    }
}

extension GradientBoostedModel {
    /// Log-odds and the `k` raising and `k` lowering reason codes of every row of `data`, in blocks
    /// of rows on `parameters.threads` threads; the same as `rawScores` and `reasonCodes(contributions)`.
    public func explain(_ data: Dataset, k: Int = 3) -> ExplainedScores {
        precondition(data.featureCount == featureNames.count, "the table has \(data.featureCount) features, the model \(featureNames.count)")
        let n = data.rowCount, width = data.featureCount
        var raw = [Double](repeating: 0, count: n)
        var feature = [Int16](repeating: -1, count: n * 2 * k), effect = [Double](repeating: 0, count: n * 2 * k)
        let forest = PackedForest(trees)
        let block = 256, blocks = (n + block - 1) / block
        raw.withUnsafeMutableBufferPointer { rp in
            feature.withUnsafeMutableBufferPointer { fp in
                effect.withUnsafeMutableBufferPointer { ep in
                    Parallel.forEach(blocks, threads: n >= 4096 ? parameters.threads : 1) { b in
                        let lo = b * block, hi = min(n, lo + block), m = hi - lo
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, m * width)) { rows in
                            withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, m * width)) { contrib in
                                contrib.initialize(repeating: 0)
                                data.copyRows(lo..<hi, into: rows.baseAddress!)
                                forest.explain(rows: rows.baseAddress!, rowCount: m, width: width,
                                               raw: rp.baseAddress! + lo, contrib: contrib.baseAddress!)
                                for i in 0..<m {
                                    let c = contrib.baseAddress! + i * width
                                    let slot = (lo + i) * 2 * k
                                    Self.topK(c, width, k, raised: true, feature: fp.baseAddress! + slot, effect: ep.baseAddress! + slot)
                                    Self.topK(c, width, k, raised: false, feature: fp.baseAddress! + slot + k, effect: ep.baseAddress! + slot + k)
                                }
                            }
                        }
                    }
                }
            }
            for i in 0..<n { rp[i] = baseScore + rp[i] }
        }
        return ExplainedScores(raw: raw, k: k, feature: feature, effect: effect)
    }

    /// The `k` largest positive (or most negative) of `width` contributions, in `reasonCodes`' order:
    /// by size; ties by feature index, ascending for raised and descending for lowered.
    static func topK(_ c: UnsafePointer<Double>, _ width: Int, _ k: Int, raised: Bool,
                     feature: UnsafeMutablePointer<Int16>, effect: UnsafeMutablePointer<Double>) {
        var filled = 0
        for f in 0..<width {
            let v = c[f]
            guard raised ? v > 0 : v < 0 else { continue }
            // Insertion into the sorted slots; features come in ascending order, so a tie stays behind
            // (raised) or moves ahead (lowered).
            @inline(__always) func ahead(_ e: Double) -> Bool { raised ? v > e : v <= e }
            var j = filled < k ? filled : k
            if j == k && (k == 0 || !ahead(effect[k - 1])) { continue }
            if filled < k { filled += 1 }
            while j > 0 && ahead(effect[j - 1]) {
                if j < k { feature[j] = feature[j - 1]; effect[j] = effect[j - 1] }
                j -= 1
            }
            feature[j] = Int16(f)
            effect[j] = v
        }
    }
}
