/// The propensity-to-pay table as of a date A (MODELS.md): one row per account in the population at A
/// (placed_date ≤ A and outstanding(a, A) > 0), in increasing account key order.
public struct FeatureSet: Sendable {
    /// The snapshot date A (days since 1970-01-01).
    public let asOf: Int32
    /// Per row, the account's key (its row in the accounts table).
    public let accountKeys: [Int32]
    /// The features (`FeatureBuilder.featureNames` order); labels 0/1 when built with labels, else empty.
    public let dataset: Dataset
    /// Per row, outstanding(a, A) in cents.
    public let outstanding: [Int64]

    public init(asOf: Int32, accountKeys: [Int32], dataset: Dataset, outstanding: [Int64]) {
        precondition(accountKeys.count == dataset.rowCount && outstanding.count == dataset.rowCount, "one key and balance per row")
        self.asOf = asOf
        self.accountKeys = accountKeys
        self.dataset = dataset
        self.outstanding = outstanding
    }

    /// The same rows with categorical codes re-expressed in `reference`'s levels (a category the reference
    /// lacks becomes missing), so a table built at a later date can be scored by a model trained on an earlier
    /// one. The reference must have the same feature names.
    public func encoded(like reference: Dataset) -> FeatureSet {
        FeatureSet(asOf: asOf, accountKeys: accountKeys, dataset: FeatureSet.recode(dataset, to: reference.categoryLevels,
                                                                                    names: reference.featureNames),
                   outstanding: outstanding)
    }

    /// Several tables (for example month-end snapshots) as one training table: rows in the order given,
    /// each categorical feature's levels the union of theirs in code-point order. Labels are kept only when
    /// every table has them.
    public static func stack(_ sets: [FeatureSet]) -> Dataset {
        precondition(!sets.isEmpty, "nothing to stack")
        let first = sets[0].dataset
        var levels = first.categoryLevels
        for s in sets.dropFirst() {
            precondition(s.dataset.featureNames == first.featureNames, "tables with different features")
            for f in levels.indices where first.isCategorical[f] { levels[f] += s.dataset.categoryLevels[f] }
        }
        for f in levels.indices where first.isCategorical[f] {
            levels[f] = Array(Set(levels[f])).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
        let parts = sets.map { recode($0.dataset, to: levels, names: first.featureNames) }
        var columns = [[Float]](repeating: [], count: first.featureCount)
        for f in columns.indices {
            columns[f].reserveCapacity(parts.reduce(0) { $0 + $1.rowCount })
            for p in parts { columns[f] += p.columns[f] }
        }
        let labelled = parts.allSatisfy { $0.labels.count == $0.rowCount }
        return Dataset(featureNames: first.featureNames, columns: columns,
                       labels: labelled ? parts.flatMap(\.labels) : [],
                       isCategorical: first.isCategorical, categoryLevels: levels)
    }

    static func recode(_ data: Dataset, to levels: [[String]], names: [String]) -> Dataset {
        precondition(data.featureNames == names, "tables with different features")
        var out = data
        for f in data.columns.indices where data.isCategorical[f] {
            var index: [String: Int] = [:]
            for (c, s) in levels[f].enumerated() { index[s] = c }
            let map: [Float] = data.categoryLevels[f].map { s in index[s].map { Float($0) } ?? .nan }
            out.columns[f] = data.columns[f].map { v in
                guard !v.isNaN, let c = Int(exactly: v), c >= 0, c < map.count else { return .nan }
                return map[c]
            }
            out.categoryLevels[f] = levels[f]
        }
        return out
    }
}
