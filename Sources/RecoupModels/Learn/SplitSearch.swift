/// The best split of one node, found from its histogram.
struct SplitCandidate {
    var feature = -1
    var gain = 0.0
    /// Numeric: value bins 1...thresholdBin go left.
    var thresholdBin = 0
    /// Numeric: whether the missing bin goes left.
    var defaultLeft = false
    /// Categorical: the bins that go left (bit b of word b / 64); everything else goes right.
    var categoryBins: [UInt64]? = nil
    var leftG = 0.0, leftH = 0.0, leftN = 0.0

    var isValid: Bool { feature >= 0 }

    /// Whether a row in `bin` goes left.
    @inline(__always)
    func goesLeft(_ bin: UInt8) -> Bool {
        if let set = categoryBins { return (set[Int(bin) >> 6] >> UInt64(bin & 63)) & 1 == 1 }
        return bin == 0 ? defaultLeft : Int(bin) <= thresholdBin
    }
}

/// Split search over histograms, with LightGBM's gain: for sums G, H of a side,
/// score = G² / (H + λ), and gain = score(left) + score(right) − score(parent).
///
/// Numeric features: every threshold between value bins, with the missing bin tried on each side
/// (so "missing versus the rest" is one of the splits). Categorical features with at most
/// `maxCategoriesOneHot` categories: one category against the rest. With more: LightGBM's
/// many-vs-many split — the categories holding at least `minDataPerCategory` rows are sorted by
/// G / (H + catSmooth), and the prefixes of that order (from either end, at most `maxCatThreshold`
/// categories) are tried as the left side, with λ + catL2 in the gain; missing and rare categories
/// go right.
struct SplitSearch {
    let params: BoostingParameters
    let mappers: [FeatureBins]
    let offsets: [Int]

    func best(_ hist: [Double], features: [Int], g: Double, h: Double, n: Double) -> SplitCandidate {
        var best = SplitCandidate()
        best.gain = max(params.minGainToSplit, 0)
        hist.withUnsafeBufferPointer { hp in
            for f in features {
                let m = mappers[f]
                if m.binCount < 2 { continue }
                let base = UnsafeBufferPointer(rebasing: hp[(3 * offsets[f])..<(3 * offsets[f + 1])])
                if m.isCategorical {
                    categorical(base, feature: f, bins: m.binCount, g: g, h: h, n: n, best: &best)
                } else {
                    numeric(base, feature: f, bins: m.binCount, g: g, h: h, n: n, best: &best)
                }
            }
        }
        return best
    }

    @inline(__always)
    private func score(_ g: Double, _ h: Double, _ lambda: Double) -> Double { g * g / (h + lambda) }

    private func numeric(_ hist: UnsafeBufferPointer<Double>, feature f: Int, bins: Int,
                         g: Double, h: Double, n: Double, best: inout SplitCandidate) {
        let lambda = params.lambda
        let minN = Double(params.minDataInLeaf), minH = params.minSumHessian
        let parent = score(g, h, lambda)
        let missingN = hist[2]
        for missingLeft in [false, true] {
            if missingLeft && missingN == 0 { continue }
            var lg = missingLeft ? hist[0] : 0, lh = missingLeft ? hist[1] : 0, ln = missingLeft ? missingN : 0
            // Missing right: thresholds up to the last value bin (then the right side is the missing rows).
            let last = missingLeft || missingN == 0 ? bins - 2 : bins - 1
            if last < 1 { continue }
            for t in 1...last {
                lg += hist[3 * t]; lh += hist[3 * t + 1]; ln += hist[3 * t + 2]
                if ln < minN || lh < minH { continue }
                let rn = n - ln, rh = h - lh
                if rn < minN || rh < minH { break }
                let gain = score(lg, lh, lambda) + score(g - lg, rh, lambda) - parent
                if gain > best.gain {
                    best = SplitCandidate(feature: f, gain: gain, thresholdBin: t, defaultLeft: missingLeft,
                                          categoryBins: nil, leftG: lg, leftH: lh, leftN: ln)
                }
            }
        }
    }

    private func categorical(_ hist: UnsafeBufferPointer<Double>, feature f: Int, bins: Int,
                             g: Double, h: Double, n: Double, best: inout SplitCandidate) {
        let minN = Double(params.minDataInLeaf), minH = params.minSumHessian
        func consider(_ set: [Int], _ lg: Double, _ lh: Double, _ ln: Double, lambda: Double) {
            if ln < minN || lh < minH { return }
            let rn = n - ln, rh = h - lh
            if rn < minN || rh < minH { return }
            let gain = score(lg, lh, lambda) + score(g - lg, rh, lambda) - score(g, h, lambda)
            if gain > best.gain {
                var words = [UInt64](repeating: 0, count: 4)
                for b in set { words[b >> 6] |= 1 << UInt64(b & 63) }
                best = SplitCandidate(feature: f, gain: gain, thresholdBin: 0, defaultLeft: false,
                                      categoryBins: words, leftG: lg, leftH: lh, leftN: ln)
            }
        }
        if bins - 1 <= params.maxCategoriesOneHot {
            for b in 1..<bins where hist[3 * b + 2] > 0 {
                consider([b], hist[3 * b], hist[3 * b + 1], hist[3 * b + 2], lambda: params.lambda)
            }
            return
        }
        let eligible = (1..<bins).filter { hist[3 * $0 + 2] >= Double(max(1, params.minDataPerCategory)) }
        if eligible.count < 2 { return }
        let smooth = params.catSmooth
        func ratio(_ b: Int) -> Double { hist[3 * b] / (hist[3 * b + 1] + smooth) }
        let order = eligible.sorted { ratio($0) != ratio($1) ? ratio($0) < ratio($1) : $0 < $1 }
        let lambda = params.lambda + params.catL2
        let maxTake = min(params.maxCatThreshold, (order.count + 1) / 2)
        for fromLow in [true, false] {
            var set: [Int] = []
            var lg = 0.0, lh = 0.0, ln = 0.0
            for k in 0..<maxTake {
                let b = fromLow ? order[k] : order[order.count - 1 - k]
                set.append(b)
                lg += hist[3 * b]; lh += hist[3 * b + 1]; ln += hist[3 * b + 2]
                consider(set, lg, lh, ln, lambda: lambda)
            }
        }
    }
}
