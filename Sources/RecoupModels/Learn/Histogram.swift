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

    var size: Int { 3 * binned.offsets[binned.offsets.count - 1] }

    init(binned: BinnedData, threads: Int) {
        self.binned = binned
        self.threads = threads
        let n = 3 * binned.offsets[binned.offsets.count - 1]
        blockBuffers = Array(repeating: [Double](repeating: 0, count: n), count: HistogramBuilder.blockCount)
    }

    /// Fills `hist` (size `size`) for `features` from the rows `rows`; `gh` holds each row's gradient
    /// and hessian side by side (`gh[2r]`, `gh[2r + 1]`).
    func build(into hist: inout [Double], features: [Int], rows: UnsafeBufferPointer<Int32>,
               gh: UnsafeBufferPointer<Double>) {
        let n = rows.count
        let blocks = n >= HistogramBuilder.blockThreshold ? HistogramBuilder.blockCount : 1
        if blocks == 1 {
            HistogramBuilder.clear(&hist, features: features, offsets: binned.offsets)
            HistogramBuilder.accumulate(into: &hist, features: features, binned: binned, rows: rows, range: 0..<n, gh: gh)
            return
        }
        let binnedData = binned
        blockBuffers.withUnsafeMutableBufferPointer { bufs in
            Parallel.forEach(blocks, threads: threads) { b in
                HistogramBuilder.clear(&bufs[b], features: features, offsets: binnedData.offsets)
                let lo = n * b / blocks, hi = n * (b + 1) / blocks
                HistogramBuilder.accumulate(into: &bufs[b], features: features, binned: binnedData, rows: rows,
                                            range: lo..<hi, gh: gh)
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
