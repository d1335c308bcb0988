/// A training or scoring table for the learners: column-major `Float` features with NaN as missing,
/// feature names, which features are categorical, and 0/1 labels.
///
/// A categorical feature holds integer codes 0, 1, 2… as `Float` (exact up to 2^24); `categoryLevels`
/// names them when the table came from text (the code is the index). The learners never look at
/// `categoryLevels`: it is there to print reason codes and to encode a test table like its train table.
public struct Dataset: Sendable {
    public var featureNames: [String]
    public var isCategorical: [Bool]
    /// `columns[f][row]`; NaN is missing.
    public var columns: [[Float]]
    /// 0 or 1 per row; empty for a table without labels (scoring).
    public var labels: [UInt8]
    /// Per feature: the category names by code (empty for a numeric feature).
    public var categoryLevels: [[String]]

    public var featureCount: Int { columns.count }
    public var rowCount: Int { columns.first?.count ?? labels.count }

    public init(featureNames: [String], columns: [[Float]], labels: [UInt8],
                isCategorical: [Bool]? = nil, categoryLevels: [[String]]? = nil) {
        precondition(featureNames.count == columns.count, "one name per column")
        let n = columns.first?.count ?? labels.count
        precondition(columns.allSatisfy { $0.count == n }, "columns of unequal length")
        precondition(labels.isEmpty || labels.count == n, "one label per row")
        precondition(labels.allSatisfy { $0 <= 1 }, "labels are 0 or 1")
        self.featureNames = featureNames
        self.columns = columns
        self.labels = labels
        self.isCategorical = isCategorical ?? Array(repeating: false, count: columns.count)
        self.categoryLevels = categoryLevels ?? Array(repeating: [], count: columns.count)
        precondition(self.isCategorical.count == columns.count && self.categoryLevels.count == columns.count)
    }

    /// The rows at `rows`, in that order.
    public func subset(_ rows: [Int]) -> Dataset {
        var d = self
        d.columns = columns.map { c in rows.map { c[$0] } }
        d.labels = labels.isEmpty ? [] : rows.map { labels[$0] }
        return d
    }

    /// Row `i` as one value per feature.
    public func row(_ i: Int) -> [Float] { columns.map { $0[i] } }

    /// The labels as Doubles, for the metrics.
    public var labelValues: [Double] { labels.map { Double($0) } }
}

/// Which rows of a table fit a model, which stop its boosting early and which calibrate it.
public struct RowSplit: Sendable, Equatable {
    public var fit: [Int]
    public var validation: [Int]
    public var calibration: [Int]

    /// A seeded permutation of 0..<rowCount (Fisher–Yates with `SplitRandom(seed).split(1)`): its first
    /// `calibrationFraction` (rounded down) are the calibration rows, the next `validationFraction` the
    /// early-stopping rows, the rest the fitting rows. Each part is returned in increasing row order.
    public static func make(rowCount: Int, validationFraction: Double, calibrationFraction: Double,
                            seed: UInt64) -> RowSplit {
        var perm = Array(0..<rowCount)
        var rng = SplitRandom(seed: seed).split(1)
        rng.shuffle(&perm)
        let nc = Int(Double(rowCount) * calibrationFraction)
        let nv = Int(Double(rowCount) * validationFraction)
        return RowSplit(fit: perm[(nc + nv)...].sorted(),
                        validation: perm[nc..<(nc + nv)].sorted(),
                        calibration: perm[0..<nc].sorted())
    }
}
