/// How one feature's values map to histogram bins: bin 0 is always "missing", the others hold values.
///
/// Numeric features: up to `maxBins - 1` value bins cut at quantiles of the training values; a value
/// `x` falls in bin `1 + i` for the first `i` with `x <= upperBounds[i]` (the last bound is +∞).
/// When a feature has no more distinct values than bins, each distinct value gets its own bin.
/// Categorical features: one bin per category code, the most frequent first; when there are more
/// categories than bins, the rarest share the last bin ("other"). Codes never seen in training go
/// to the missing bin.
public struct FeatureBins: Codable, Sendable, Equatable {
    public var isCategorical: Bool
    /// Numeric: ascending upper bounds of bins 1, 2, …; the last is +∞.
    public var upperBounds: [Float]
    /// Categorical: the bin of each code (0 for a code seen in no training row).
    public var categoryBins: [UInt8]
    /// Bins including the missing bin.
    public var binCount: Int

    /// Numeric: the bin of `x`. Categorical: the bin of code `x`.
    @inline(__always)
    public func bin(_ x: Float) -> UInt8 {
        if x.isNaN { return 0 }
        if isCategorical {
            let code = Int(exactly: x) ?? -1
            return code >= 0 && code < categoryBins.count ? categoryBins[code] : 0
        }
        // First i with x <= upperBounds[i].
        var lo = 0, hi = upperBounds.count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if x <= upperBounds[mid] { hi = mid } else { lo = mid + 1 }
        }
        return UInt8(truncatingIfNeeded: lo + 1)
    }

    /// Bins for `values` (the training rows' values of one feature).
    public static func fit(values: [Float], categorical: Bool, maxBins: Int = 255) -> FeatureBins {
        precondition(maxBins >= 3 && maxBins <= 255)
        if categorical { return fitCategorical(values, maxBins: maxBins) }
        // At most 200,000 values decide the cuts (evenly spaced rows, as LightGBM samples).
        let stride = max(1, values.count / 200_000)
        var v: [Float] = []
        v.reserveCapacity(values.count / stride + 1)
        var i = 0
        while i < values.count {
            let x = values[i]
            if !x.isNaN { v.append(x) }
            i += stride
        }
        v.sort()
        // Distinct values and their counts.
        var distinct: [Float] = [], counts: [Int] = []
        for x in v {
            if let last = distinct.last, last == x { counts[counts.count - 1] += 1 } else {
                distinct.append(x)
                counts.append(1)
            }
        }
        let valueBins = maxBins - 1
        var bounds: [Float] = []
        if distinct.count <= valueBins {
            for k in 0..<max(0, distinct.count - 1) { bounds.append(cut(distinct[k], distinct[k + 1])) }
        } else {
            // Greedy equal-count bins over distinct values; the target is re-balanced after each cut
            // so that a heavy value early does not leave the tail with too few bins.
            var remaining = v.count
            var acc = 0
            for k in 0..<(distinct.count - 1) {
                acc += counts[k]
                let binsLeft = valueBins - bounds.count
                if binsLeft <= 1 { break }
                let target = Double(remaining) / Double(binsLeft)
                if Double(acc) >= target {
                    bounds.append(cut(distinct[k], distinct[k + 1]))
                    remaining -= acc
                    acc = 0
                }
            }
        }
        bounds.append(.infinity)
        return FeatureBins(isCategorical: false, upperBounds: bounds, categoryBins: [], binCount: bounds.count + 1)
    }

    /// A cut between adjacent distinct values a < b: their midpoint, or `a` when the midpoint rounds to `b`.
    private static func cut(_ a: Float, _ b: Float) -> Float {
        let m = Float((Double(a) + Double(b)) / 2)
        return m < b && m >= a ? m : a
    }

    private static func fitCategorical(_ values: [Float], maxBins: Int) -> FeatureBins {
        var freq: [Int] = []
        for x in values where !x.isNaN {
            guard let c = Int(exactly: x), c >= 0 else { continue }
            if c >= freq.count { freq.append(contentsOf: repeatElement(0, count: c + 1 - freq.count)) }
            freq[c] += 1
        }
        // Most frequent first; ties by code, so the order is fixed.
        let seen = (0..<freq.count).filter { freq[$0] > 0 }.sorted { freq[$0] != freq[$1] ? freq[$0] > freq[$1] : $0 < $1 }
        var map = [UInt8](repeating: 0, count: freq.count)
        let valueBins = maxBins - 1
        for (rank, code) in seen.enumerated() {
            map[code] = UInt8(min(rank, valueBins - 1) + 1)
        }
        return FeatureBins(isCategorical: true, upperBounds: [], categoryBins: map,
                           binCount: 1 + min(seen.count, valueBins))
    }
}

/// A dataset's features as bins, column-major, with each feature's slice of a histogram.
struct BinnedData {
    /// `bins[f][row]`, for partitioning a node by one feature.
    let bins: [[UInt8]]
    /// The same bins row-major, `rowMajor[row * featureCount + f]`, for building histograms.
    let rowMajor: [UInt8]
    let featureCount: Int
    /// `offsets[f]` is where feature f's bins start in a histogram; `offsets[featureCount]` is its size.
    let offsets: [Int]
    let rowCount: Int
    /// Per feature, its most frequent bin (the lowest on ties).
    let frequentBin: [UInt8]
    /// Each row's other bins as histogram slots (`offsets[f] + bin`), row `r`'s at
    /// `sparseSlots[sparseStart[r]..<sparseStart[r + 1]]`: a node's histogram over all features adds
    /// only these and gets each feature's frequent bin as the node's total minus the rest (LightGBM
    /// does the same; on the propensity features ~73 % of values sit in their frequent bin). Nil when
    /// the slots do not fit 16 bits.
    let sparseStart: [Int]
    let sparseSlots: [UInt16]
    var hasSparse: Bool { !sparseStart.isEmpty }

    init(_ data: Dataset, mappers: [FeatureBins], threads: Int) {
        let f = data.featureCount
        var out = [[UInt8]](repeating: [], count: f)
        let columns = data.columns
        out.withUnsafeMutableBufferPointer { outp in
            Parallel.forEach(f, threads: data.rowCount * f > 100_000 ? threads : 1) { j in
                let m = mappers[j]
                outp[j] = columns[j].map { m.bin($0) }
            }
        }
        bins = out
        featureCount = f
        let n = data.rowCount
        var rm = [UInt8](repeating: 0, count: n * f)
        rm.withUnsafeMutableBufferPointer { p in
            for j in 0..<f {
                out[j].withUnsafeBufferPointer { col in
                    for i in 0..<n { p[i * f + j] = col[i] }
                }
            }
        }
        rowMajor = rm
        var off = [0]
        for m in mappers { off.append(off.last! + m.binCount) }
        offsets = off
        rowCount = data.rowCount
        let frequent: [UInt8] = out.map { col in
            var counts = [Int](repeating: 0, count: 256)
            for b in col { counts[Int(b)] += 1 }
            var best = 0
            for b in 1..<256 where counts[b] > counts[best] { best = b }
            return UInt8(best)
        }
        frequentBin = frequent
        guard off.last! <= Int(UInt16.max) + 1 else {
            sparseStart = []
            sparseSlots = []
            return
        }
        // Count each row's entries, then fill, both in row chunks on the threads.
        var start = [Int](repeating: 0, count: n + 1)
        let chunks = max(1, min(64, n / 65_536))
        rm.withUnsafeBufferPointer { p in
            start.withUnsafeMutableBufferPointer { sp in
                Parallel.forEach(chunks, threads: threads) { c in
                    for i in (n * c / chunks)..<(n * (c + 1) / chunks) {
                        var k = 0
                        for j in 0..<f where p[i * f + j] != frequent[j] { k += 1 }
                        sp[i + 1] = k
                    }
                }
            }
        }
        for i in 0..<n { start[i + 1] += start[i] }
        var slots = [UInt16](repeating: 0, count: start[n])
        rm.withUnsafeBufferPointer { p in
            start.withUnsafeBufferPointer { sp in
                slots.withUnsafeMutableBufferPointer { out in
                    Parallel.forEach(chunks, threads: threads) { c in
                        for i in (n * c / chunks)..<(n * (c + 1) / chunks) {
                            var k = sp[i]
                            for j in 0..<f where p[i * f + j] != frequent[j] {
                                out[k] = UInt16(off[j] + Int(p[i * f + j]))
                                k += 1
                            }
                        }
                    }
                }
            }
        }
        sparseStart = start
        sparseSlots = slots
    }
}
