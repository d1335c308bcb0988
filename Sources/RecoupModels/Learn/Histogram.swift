/// Gradient histograms: per feature and bin, the sum of gradients, the sum of hessians and the row
/// count of one tree node's rows, stored flat as triples `(g, h, n)` at `3 * (offsets[f] + bin)`.
///
/// A node's histogram is built from its rows, in blocks: nodes of at least `blockThreshold` rows are
/// cut into `blockCount` contiguous row blocks, each summed into its own buffer (in parallel when
/// there are threads), and the buffers are then added in block order. The blocks depend on the row
/// count only, never on the thread count, so one or two threads give bit-identical trees.
final class HistogramBuilder {
    static let blockCount = 2
    static let blockThreshold = 8192

    let binned: BinnedData
    let threads: Int
    /// Scratch: one histogram per block.
    private var blockBuffers: [[Double]]
    /// Per block: the sums of g, h and rows of its rows (for the frequent bins on the sparse path).
    private var blockTotals: [[Double]]

    var size: Int { 3 * binned.offsets[binned.offsets.count - 1] }

    init(binned: BinnedData, threads: Int) {
        self.binned = binned
        self.threads = threads
        let n = 3 * binned.offsets[binned.offsets.count - 1]
        blockBuffers = Array(repeating: [Double](repeating: 0, count: n), count: HistogramBuilder.blockCount)
        blockTotals = Array(repeating: [0, 0, 0], count: HistogramBuilder.blockCount)
    }

    /// Fills `hist` (size `size`) for `features` from the rows `rows`; `gh` holds each row's gradient
    /// and hessian side by side (`gh[2r]`, `gh[2r + 1]`).
    func build(into hist: inout [Double], features: [Int], rows: UnsafeBufferPointer<Int32>,
               gh: UnsafeBufferPointer<Double>) {
        let n = rows.count
        let blocks = n >= HistogramBuilder.blockThreshold ? HistogramBuilder.blockCount : 1
        let sparse = binned.hasSparse && features.count == binned.featureCount
        if blocks == 1 {
            HistogramBuilder.clear(&hist, features: features, offsets: binned.offsets)
            if sparse {
                let t = HistogramBuilder.accumulateSparse(into: &hist, binned: binned, rows: rows, range: 0..<n, gh: gh)
                fillFrequentBins(&hist, features: features, total: t)
            } else {
                HistogramBuilder.accumulate(into: &hist, features: features, binned: binned, rows: rows, range: 0..<n, gh: gh)
            }
            return
        }
        let binnedData = binned
        blockBuffers.withUnsafeMutableBufferPointer { bufs in
            blockTotals.withUnsafeMutableBufferPointer { totals in
                Parallel.forEach(blocks, threads: threads) { b in
                    HistogramBuilder.clear(&bufs[b], features: features, offsets: binnedData.offsets)
                    let lo = n * b / blocks, hi = n * (b + 1) / blocks
                    if sparse {
                        totals[b] = HistogramBuilder.accumulateSparse(into: &bufs[b], binned: binnedData, rows: rows, range: lo..<hi, gh: gh)
                    } else {
                        HistogramBuilder.accumulate(into: &bufs[b], features: features, binned: binnedData, rows: rows,
                                                    range: lo..<hi, gh: gh)
                    }
                }
            }
        }
        // Sum the blocks in block order.
        let offsets = binned.offsets
        hist.withUnsafeMutableBufferPointer { out in
            for f in features {
                let lo = 3 * offsets[f], hi = 3 * offsets[f + 1]
                blockBuffers[0].withUnsafeBufferPointer { b0 in
                    for i in lo..<hi { out[i] = b0[i] }
                }
                for b in 1..<blocks {
                    blockBuffers[b].withUnsafeBufferPointer { bb in
                        for i in lo..<hi { out[i] += bb[i] }
                    }
                }
            }
        }
        if sparse {
            var t = blockTotals[0]
            for b in 1..<blocks { for k in 0..<3 { t[k] += blockTotals[b][k] } }
            fillFrequentBins(&hist, features: features, total: t)
        }
    }

    /// Each feature's frequent bin: the node's total minus the feature's other bins.
    private func fillFrequentBins(_ hist: inout [Double], features: [Int], total: [Double]) {
        let offsets = binned.offsets, frequent = binned.frequentBin
        hist.withUnsafeMutableBufferPointer { p in
            for f in features {
                let slot = 3 * (offsets[f] + Int(frequent[f]))
                var g = total[0], h = total[1], n = total[2]
                for i in stride(from: 3 * offsets[f], to: 3 * offsets[f + 1], by: 3) where i != slot {
                    g -= p[i]; h -= p[i + 1]; n -= p[i + 2]
                }
                p[slot] = g; p[slot + 1] = h; p[slot + 2] = n
            }
        }
    }

    /// Adds rows `rows[range]` into `hist` from their sparse slots (every bin but the frequent ones)
    /// and returns the rows' sums of g, h and count.
    private static func accumulateSparse(into hist: inout [Double], binned: BinnedData, rows: UnsafeBufferPointer<Int32>,
                                         range: Range<Int>, gh: UnsafeBufferPointer<Double>) -> [Double] {
        var tg = 0.0, th = 0.0
        hist.withUnsafeMutableBufferPointer { out in
            binned.sparseStart.withUnsafeBufferPointer { sp in
                binned.sparseSlots.withUnsafeBufferPointer { sl in
                    let h = out.baseAddress!, g = gh.baseAddress!, slots = sl.baseAddress!
                    for k in range {
                        let r = Int(rows[k])
                        let gr = g[2 * r], hr = g[2 * r + 1]
                        tg += gr
                        th += hr
                        for e in sp[r]..<sp[r + 1] {
                            let p = h + 3 * Int(slots[e])
                            p[0] += gr
                            p[1] += hr
                            p[2] += 1
                        }
                    }
                }
            }
        }
        return [tg, th, Double(range.count)]
    }

    private static func clear(_ hist: inout [Double], features: [Int], offsets: [Int]) {
        hist.withUnsafeMutableBufferPointer { p in
            for f in features {
                for i in (3 * offsets[f])..<(3 * offsets[f + 1]) { p[i] = 0 }
            }
        }
    }

    /// Adds rows `rows[range]` into `hist`, row by row: a row's bins for all features sit together
    /// in the row-major copy, so a scattered node costs one cache line per row, not one per feature,
    /// and consecutive updates hit different features' bins (no chain of adds to one bin).
    private static func accumulate(into hist: inout [Double], features: [Int], binned: BinnedData,
                                   rows: UnsafeBufferPointer<Int32>, range: Range<Int>, gh: UnsafeBufferPointer<Double>) {
        let width = binned.featureCount
        // Per selected feature: its column in a row and its first histogram slot.
        let cols = features.map { Int32($0) }
        let bases = features.map { Int32(3 * binned.offsets[$0]) }
        let m = features.count
        hist.withUnsafeMutableBufferPointer { out in
            binned.rowMajor.withUnsafeBufferPointer { rm in
                cols.withUnsafeBufferPointer { cp in
                    bases.withUnsafeBufferPointer { bp in
                        let h = out.baseAddress!, g = gh.baseAddress!, bins = rm.baseAddress!
                        for k in range {
                            let r = Int(rows[k])
                            let gr = g[2 * r], hr = g[2 * r + 1]
                            let rowBins = bins + r * width
                            for j in 0..<m {
                                let p = h + Int(bp[j]) + 3 * Int(rowBins[Int(cp[j])])
                                p[0] += gr
                                p[1] += hr
                                p[2] += 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// `larger = parent - smaller`, over `features`, written into `parent`'s storage.
    static func subtract(_ parent: inout [Double], minus smaller: [Double], features: [Int], offsets: [Int]) {
        parent.withUnsafeMutableBufferPointer { p in
            smaller.withUnsafeBufferPointer { s in
                for f in features {
                    for i in (3 * offsets[f])..<(3 * offsets[f + 1]) { p[i] -= s[i] }
                }
            }
        }
    }
}
