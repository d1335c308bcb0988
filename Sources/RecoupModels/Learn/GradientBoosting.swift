import Foundation

/// Settings of the boosted trees; the defaults follow LightGBM's where it has one.
public struct BoostingParameters: Codable, Sendable, Equatable {
    /// Leaves per tree (leaf-wise growth stops there).
    public var numLeaves = 31
    /// Depth limit; 0 or less means none.
    public var maxDepth = 0
    /// Shrinkage: each tree's leaf values are multiplied by it.
    public var learningRate = 0.05
    /// L2 penalty on leaf values (λ in −G/(H+λ)).
    public var lambda = 1.0
    public var minDataInLeaf = 20
    public var minSumHessian = 1e-3
    public var minGainToSplit = 0.0
    /// Share of the rows each tree sees, drawn anew per tree without replacement (1 = all).
    public var baggingFraction = 1.0
    /// Share of the features each tree may split on, drawn anew per tree (1 = all).
    public var featureFraction = 1.0
    public var maxRounds = 1000
    /// Stop when the validation log loss has not improved for this many rounds (0 = never).
    public var earlyStoppingRounds = 50
    /// When `train` is given no validation table: the share of the rows held out for early stopping.
    public var validationFraction = 0.1
    /// Bins per feature, the missing bin included (at most 255).
    public var maxBins = 255
    /// Categorical splits (see `SplitSearch`).
    public var maxCategoriesOneHot = 4
    public var minDataPerCategory = 50
    public var catSmooth = 10.0
    public var catL2 = 10.0
    public var maxCatThreshold = 32
    public var seed: UInt64 = 0
    /// Threads for histograms, binning and prediction; the result does not depend on it.
    public var threads = 2

    public init() {}
}

/// A trained boosted-tree model: log-odds = `baseScore` + the sum of the trees' outputs.
public struct GradientBoostedModel: Codable, Sendable {
    public var featureNames: [String]
    public var isCategorical: [Bool]
    /// The log-odds of the training rows' positive share (LightGBM's boost from average).
    public var baseScore: Double
    public var trees: [RegressionTree]
    public var parameters: BoostingParameters
    /// Validation log loss after each round trained (empty without early stopping).
    public var validationLoss: [Double]
    /// Rounds trained before early stopping ended the boosting (≥ `trees.count`).
    public var roundsTrained: Int

    /// Log-odds for one row (one value per feature, NaN missing).
    public func rawScore(_ row: [Float]) -> Double {
        precondition(row.count == featureNames.count, "one value per feature")
        // Summed as `rawScores` sums, so the two agree to the last bit.
        var s = 0.0
        for t in trees { s += t.predict { row[$0] } }
        return baseScore + s
    }

    /// Log-odds for every row of `data` (same features, same order as training).
    public func rawScores(_ data: Dataset) -> [Double] {
        precondition(data.featureCount == featureNames.count, "the table has \(data.featureCount) features, the model \(featureNames.count)")
        let n = data.rowCount
        var out = [Double](repeating: baseScore, count: n)
        let forest = PackedForest(trees)
        let block = 1024, blocks = (n + block - 1) / block, width = data.featureCount
        out.withUnsafeMutableBufferPointer { o in
            Parallel.forEach(blocks, threads: n >= 4096 ? parameters.threads : 1) { b in
                let lo = b * block, hi = min(n, lo + block)
                withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, (hi - lo) * width)) { buf in
                    data.copyRows(lo..<hi, into: buf.baseAddress!)
                    forest.add(rows: buf.baseAddress!, rowCount: hi - lo, width: width, to: o.baseAddress! + lo)
                }
            }
        }
        return out
    }

    /// Probabilities (the logistic function of the raw scores), uncalibrated.
    public func predictProbability(_ data: Dataset) -> [Double] { rawScores(data).map(sigmoid) }

    /// Total split gain per feature, by feature index.
    public func gainImportance() -> [Double] {
        var imp = [Double](repeating: 0, count: featureNames.count)
        for t in trees { for (k, f) in t.feature.enumerated() { imp[Int(f)] += t.gain[k] } }
        return imp
    }
}

@inline(__always)
func sigmoid(_ x: Double) -> Double { x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }

/// Histogram-based gradient boosting of regression trees on the logistic loss (see docs/MODELS.md).
public enum GradientBoosting {
    /// Trains on `data`. Early stopping watches `validation` when given; otherwise, when
    /// `earlyStoppingRounds > 0`, a seeded `validationFraction` of `data`'s rows is held out for it
    /// (and not fitted). The model keeps the trees up to the round with the lowest validation loss.
    public static func train(_ data: Dataset, _ params: BoostingParameters = BoostingParameters(),
                             validation: Dataset? = nil) -> GradientBoostedModel {
        precondition(data.labels.count == data.rowCount && data.rowCount > 0, "training needs labelled rows")
        var train = data
        var valid = validation
        if valid == nil && params.earlyStoppingRounds > 0 && params.validationFraction > 0 {
            let split = RowSplit.make(rowCount: data.rowCount, validationFraction: params.validationFraction,
                                      calibrationFraction: 0, seed: params.seed)
            if !split.validation.isEmpty && !split.fit.isEmpty {
                train = data.subset(split.fit)
                valid = data.subset(split.validation)
            }
        }
        if let v = valid { precondition(v.featureCount == data.featureCount && v.labels.count == v.rowCount) }

        let n = train.rowCount, fCount = train.featureCount
        var mappers = [FeatureBins](repeating: FeatureBins(isCategorical: false, upperBounds: [.infinity],
                                                           categoryBins: [], binCount: 2), count: fCount)
        mappers.withUnsafeMutableBufferPointer { mp in
            Parallel.forEach(fCount, threads: params.threads) { f in
                mp[f] = FeatureBins.fit(values: train.columns[f], categorical: train.isCategorical[f],
                                        maxBins: params.maxBins)
            }
        }
        let binned = BinnedData(train, mappers: mappers, threads: params.threads)
        let builder = TreeBuilder(params: params, binned: binned, mappers: mappers)

        let positives = train.labels.reduce(0) { $0 + Int($1) }
        let prior = min(max(Double(positives) / Double(n), 1e-6), 1 - 1e-6)
        let base = log(prior / (1 - prior))
        let y = train.labels.map { Double($0) }
        var score = [Double](repeating: base, count: n)
        var gh = [Double](repeating: 0, count: 2 * n)
        let vy = valid?.labels.map { Double($0) } ?? []
        var vscore = [Double](repeating: base, count: valid?.rowCount ?? 0)

        let root = SplitRandom(seed: params.seed)
        var bagRng = root.split(2), featureRng = root.split(3)
        var trees: [RegressionTree] = []
        var losses: [Double] = []
        var bestLoss = Double.infinity, bestRound = -1
        let allRows = (0..<n).map { Int32($0) }
        // Row-major copies for scoring whole tables per tree: the validation rows, and with bagging
        // the training rows (whose out-of-bag part no leaf range covers).
        let validRows = valid?.rowMajor ?? []
        let trainRows = params.baggingFraction < 1 ? train.rowMajor : []
        let allFeatures = Array(0..<fCount)
        var rounds = 0

        for round in 0..<max(0, params.maxRounds) {
            // Gradient and hessian of the log loss, interleaved; two fixed halves.
            score.withUnsafeBufferPointer { sp in
                gh.withUnsafeMutableBufferPointer { ghp in
                    Parallel.forEach(2, threads: n >= 20_000 ? params.threads : 1) { b in
                        for i in (n * b / 2)..<(n * (b + 1) / 2) {
                            let p = sigmoid(sp[i])
                            ghp[2 * i] = p - y[i]
                            ghp[2 * i + 1] = max(p * (1 - p), 1e-16)
                        }
                    }
                }
            }
            let bagged = params.baggingFraction < 1
            let rows = bagged
                ? bagRng.sample(max(1, Int((Double(n) * params.baggingFraction).rounded())), of: n).map { Int32($0) }
                : allRows
            let features = params.featureFraction < 1
                ? featureRng.sample(max(1, Int((Double(fCount) * params.featureFraction).rounded(.up))), of: fCount)
                : allFeatures
            let (tree, leafRows) = builder.grow(rows: rows, features: features, gh: gh)
            rounds = round + 1
            if tree.internalNodeCount == 0 && round > 0 { break }  // nothing left to split
            trees.append(tree)

            if bagged {
                // Out-of-bag rows are in no leaf range: score every row from its values.
                trainRows.withUnsafeBufferPointer { rp in
                    score.withUnsafeMutableBufferPointer { sp in
                        PackedForest([tree]).add(rows: rp.baseAddress!, rowCount: n, width: fCount, to: sp.baseAddress!)
                    }
                }
            } else {
                // Leaves own disjoint rows: half the leaves per thread.
                builder.indices.withUnsafeBufferPointer { ix in
                    score.withUnsafeMutableBufferPointer { sp in
                        let leaves = leafRows.count
                        Parallel.forEach(2, threads: n >= 20_000 ? params.threads : 1) { half in
                            for leaf in (leaves * half / 2)..<(leaves * (half + 1) / 2) {
                                let v = tree.leafValue[leaf]
                                for k in leafRows[leaf] { sp[Int(ix[k])] += v }
                            }
                        }
                    }
                }
            }
            if valid != nil {
                // Two fixed halves, summed in order: the loss does not depend on the thread count.
                let nv = vscore.count
                let forest = PackedForest([tree])
                var halves = [0.0, 0.0]
                validRows.withUnsafeBufferPointer { rp in
                    vscore.withUnsafeMutableBufferPointer { sp in
                        halves.withUnsafeMutableBufferPointer { hp in
                            Parallel.forEach(2, threads: nv >= 20_000 ? params.threads : 1) { half in
                                let lo = nv * half / 2, hi = nv * (half + 1) / 2
                                guard hi > lo else { return }
                                forest.add(rows: rp.baseAddress! + lo * fCount, rowCount: hi - lo, width: fCount, to: sp.baseAddress! + lo)
                                var part = 0.0
                                for i in lo..<hi { part += logLossTerm(score: sp[i], label: vy[i]) }
                                hp[half] = part
                            }
                        }
                    }
                }
                let loss = (halves[0] + halves[1]) / Double(max(1, nv))
                losses.append(loss)
                if loss < bestLoss {
                    bestLoss = loss
                    bestRound = round
                } else if params.earlyStoppingRounds > 0 && round - bestRound >= params.earlyStoppingRounds {
                    break
                }
            }
        }
        if valid != nil && bestRound >= 0 { trees = Array(trees.prefix(bestRound + 1)) }
        return GradientBoostedModel(featureNames: data.featureNames, isCategorical: data.isCategorical,
                                    baseScore: base, trees: trees, parameters: params,
                                    validationLoss: losses, roundsTrained: rounds)
    }

    /// −log p(label) for log-odds `score`, computed without overflow.
    @inline(__always)
    static func logLossTerm(score s: Double, label y: Double) -> Double {
        // log(1 + e^s) − y·s
        let softplus = s > 0 ? s + log1p(exp(-s)) : log1p(exp(s))
        return softplus - y * s
    }
}
