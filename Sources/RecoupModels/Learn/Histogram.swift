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
    /// Scratch: one histogram per block, and the node's gradients gathered in row order.
    private var blockBuffers: [[Double]]
    private var gatheredG: [Double] = []
    private var gatheredH: [Double] = []

    var size: Int { 3 * binned.offsets[binned.offsets.count - 1] }

    init(binned: BinnedData, threads: Int) {
        self.binned = binned
        self.threads = threads
        let n = 3 * binned.offsets[binned.offsets.count - 1]
        blockBuffers = Array(repeating: [Double](repeating: 0, count: n), count: HistogramBuilder.blockCount)
        gatheredG = [Double](repeating: 0, count: binned.rowCount)
        gatheredH = [Double](repeating: 0, count: binned.rowCount)
    }

    /// Fills `hist` (size `size`) for `features` from the rows `rows`.
    func build(into hist: inout [Double], features: [Int], rows: UnsafeBufferPointer<Int32>,
                        grad: UnsafeBufferPointer<Double>, hess: UnsafeBufferPointer<Double>) {
        let n = rows.count
        // Ordered gradients: the node's g and h side by side in row order, read once per feature.
        gatheredG.withUnsafeMutableBufferPointer { gg in
            gatheredH.withUnsafeMutableBufferPointer { hh in
                for k in 0..<n {
                    let r = Int(rows[k])
                    gg[k] = grad[r]
                    hh[k] = hess[r]
                }
            }
        }
        let blocks = n >= HistogramBuilder.blockThreshold ? HistogramBuilder.blockCount : 1
        if blocks == 1 {
            HistogramBuilder.clear(&hist, features: features, offsets: binned.offsets)
            HistogramBuilder.accumulate(into: &hist, features: features, binned: binned, rows: rows,
                                        range: 0..<n, g: gatheredG, h: gatheredH)
            return
        }
        let binnedData = binned
        let gg = gatheredG, hh = gatheredH
        blockBuffers.withUnsafeMutableBufferPointer { bufs in
            Parallel.forEach(blocks, threads: threads) { b in
                HistogramBuilder.clear(&bufs[b], features: features, offsets: binnedData.offsets)
                let lo = n * b / blocks, hi = n * (b + 1) / blocks
                HistogramBuilder.accumulate(into: &bufs[b], features: features, binned: binnedData, rows: rows,
                                            range: lo..<hi, g: gg, h: hh)
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

    /// Adds rows `rows[range]` (whose gradients are `g[range]`, `h[range]`) into `hist`.
    private static func accumulate(into hist: inout [Double], features: [Int], binned: BinnedData,
                                   rows: UnsafeBufferPointer<Int32>, range: Range<Int>, g: [Double], h: [Double]) {
        hist.withUnsafeMutableBufferPointer { out in
            g.withUnsafeBufferPointer { g in
                h.withUnsafeBufferPointer { h in
                    for f in features {
                        let base = out.baseAddress! + 3 * binned.offsets[f]
                        binned.bins[f].withUnsafeBufferPointer { col in
                            for k in range {
                                let p = base + 3 * Int(col[Int(rows[k])])
                                p[0] += g[k]
                                p[1] += h[k]
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
