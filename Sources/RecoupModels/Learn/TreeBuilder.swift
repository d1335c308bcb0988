/// Grows one tree leaf-wise (best-first, as LightGBM): repeatedly splits the leaf whose best split
/// gains most, until `numLeaves` leaves, `maxDepth`, or no split gains anything.
///
/// The rows of the tree's sample live in one index array; each leaf owns a contiguous range of it,
/// kept in increasing row order (splits partition stably), so every sum runs in a fixed order.
/// When a leaf splits, only the smaller child's histogram is built from rows; the larger child's is
/// the parent's minus the smaller's.
final class TreeBuilder {
    let params: BoostingParameters
    let binned: BinnedData
    let mappers: [FeatureBins]
    private let histograms: HistogramBuilder
    private let search: SplitSearch
    /// The sample's rows, partitioned by leaf.
    private(set) var indices: [Int32] = []
    private var scratch: [Int32] = []
    /// Histogram buffers for reuse across leaves and trees (a fresh one per leaf cost page faults and
    /// zeroing; `HistogramBuilder.build` clears the slots it fills).
    private var pool: [[Double]] = []

    private struct Leaf {
        var begin: Int, end: Int
        var g: Double, h: Double, n: Double
        var depth: Int
        /// The internal node whose child this leaf is, and on which side; -1 for the root.
        var parent: Int
        var isLeftChild: Bool
        var hist: [Double]?
        var split: SplitCandidate
    }

    init(params: BoostingParameters, binned: BinnedData, mappers: [FeatureBins]) {
        self.params = params
        self.binned = binned
        self.mappers = mappers
        histograms = HistogramBuilder(binned: binned, threads: params.threads)
        search = SplitSearch(params: params, mappers: mappers, offsets: binned.offsets)
    }

    /// Grows a tree on `rows` (increasing) with the features `features`. Returns the tree and, per
    /// leaf, its rows (as a range of `indices`).
    func grow(rows: [Int32], features: [Int], gh: [Double]) -> (RegressionTree, [Range<Int>]) {
        indices = rows
        if scratch.count < rows.count { scratch = [Int32](repeating: 0, count: rows.count) }
        let lambda = params.lambda, shrink = params.learningRate
        func value(_ g: Double, _ h: Double) -> Double { -g / (h + lambda) * shrink }

        var g0 = 0.0, h0 = 0.0
        for r in rows {
            g0 += gh[2 * Int(r)]
            h0 += gh[2 * Int(r) + 1]
        }
        var leaves = [Leaf(begin: 0, end: rows.count, g: g0, h: h0, n: Double(rows.count), depth: 0,
                           parent: -1, isLeftChild: false, hist: nil, split: SplitCandidate())]
        var tree = RegressionTree()
        let histSize = histograms.size

        gh.withUnsafeBufferPointer { ghp in
            func canSplit(_ l: Leaf) -> Bool {
                (params.maxDepth <= 0 || l.depth < params.maxDepth) && l.n >= Double(2 * params.minDataInLeaf)
                    && params.numLeaves > 1
            }
            func buildHist(_ l: Leaf) -> [Double] {
                var hist = pool.popLast() ?? [Double](repeating: 0, count: histSize)
                indices.withUnsafeBufferPointer { ip in
                    histograms.build(into: &hist, features: features,
                                     rows: UnsafeBufferPointer(rebasing: ip[l.begin..<l.end]), gh: ghp)
                }
                return hist
            }
            if canSplit(leaves[0]) {
                let hist = buildHist(leaves[0])
                leaves[0].split = search.best(hist, features: features, g: g0, h: h0, n: Double(rows.count))
                leaves[0].hist = hist
            }

            while leaves.count < params.numLeaves {
                // The leaf with the largest gain; the lowest index on ties.
                var pick = -1
                for (i, l) in leaves.enumerated() where l.split.isValid {
                    if pick < 0 || l.split.gain > leaves[pick].split.gain { pick = i }
                }
                if pick < 0 { break }
                var parentHist = leaves[pick].hist
                leaves[pick].hist = nil
                let parent = leaves[pick]
                let s = parent.split
                let mid = partition(parent.begin, parent.end, split: s)

                // Record the internal node.
                let node = tree.feature.count
                tree.feature.append(Int32(s.feature))
                tree.defaultLeft.append(s.categoryBins == nil ? s.defaultLeft : false)
                if let set = s.categoryBins {
                    tree.threshold.append(0)
                    tree.categorySet.append(Int32(tree.categorySets.count))
                    tree.categorySets.append(codeSet(feature: s.feature, bins: set))
                } else {
                    tree.threshold.append(mappers[s.feature].upperBounds[s.thresholdBin - 1])
                    tree.categorySet.append(-1)
                }
                tree.gain.append(s.gain)
                tree.nodeValue.append(value(parent.g, parent.h))
                tree.nodeCount.append(Int32(parent.n))
                let newLeaf = leaves.count
                tree.left.append(Int32(~pick))
                tree.right.append(Int32(~newLeaf))
                if parent.parent >= 0 {
                    if parent.isLeftChild { tree.left[parent.parent] = Int32(node) } else { tree.right[parent.parent] = Int32(node) }
                }

                var l = Leaf(begin: parent.begin, end: mid, g: s.leftG, h: s.leftH, n: s.leftN,
                             depth: parent.depth + 1, parent: node, isLeftChild: true, hist: nil, split: SplitCandidate())
                var r = Leaf(begin: mid, end: parent.end, g: parent.g - s.leftG, h: parent.h - s.leftH,
                             n: parent.n - s.leftN, depth: parent.depth + 1, parent: node, isLeftChild: false,
                             hist: nil, split: SplitCandidate())
                // The partition's counts are exact; the histogram's must agree.
                assert(Double(mid - parent.begin) == s.leftN)
                let room = leaves.count + 1 < params.numLeaves
                let splitL = room && canSplit(l), splitR = room && canSplit(r)
                if splitL || splitR {
                    let leftSmaller = (l.end - l.begin) <= (r.end - r.begin)
                    let smallHist = buildHist(leftSmaller ? l : r)
                    let bigNeeded = leftSmaller ? splitR : splitL
                    var bigHist: [Double]? = nil
                    if bigNeeded, parentHist != nil {
                        HistogramBuilder.subtract(&parentHist!, minus: smallHist, features: features,
                                                  offsets: binned.offsets)
                        bigHist = parentHist
                        parentHist = nil
                    }
                    if leftSmaller { l.hist = smallHist; r.hist = bigHist } else { r.hist = smallHist; l.hist = bigHist }
                    if splitL, let lh = l.hist { l.split = search.best(lh, features: features, g: l.g, h: l.h, n: l.n) }
                    if splitR, let rh = r.hist { r.split = search.best(rh, features: features, g: r.g, h: r.h, n: r.n) }
                    if !l.split.isValid, let h = l.hist { pool.append(h); l.hist = nil }
                    if !r.split.isValid, let h = r.hist { pool.append(h); r.hist = nil }
                }
                if let h = parentHist { pool.append(h); parentHist = nil }
                leaves[pick] = l
                leaves.append(r)
            }
        }
        for l in leaves { if let h = l.hist { pool.append(h) } }
        tree.leafValue = leaves.map { value($0.g, $0.h) }
        return (tree, leaves.map { $0.begin..<$0.end })
    }

    /// Stable partition of `indices[begin..<end]` by the split; returns where the right side starts.
    /// A large range is cut in two halves partitioned on the threads, then joined (left parts in
    /// order, then right parts in order), which keeps the order stable.
    private func partition(_ begin: Int, _ end: Int, split s: SplitCandidate) -> Int {
        let n = end - begin
        let halves = n >= 65_536 && params.threads > 1 ? 2 : 1
        var lefts = [Int](repeating: 0, count: halves), rights = lefts
        binned.bins[s.feature].withUnsafeBufferPointer { col in
            indices.withUnsafeMutableBufferPointer { ix in
                scratch.withUnsafeMutableBufferPointer { tmp in
                    lefts.withUnsafeMutableBufferPointer { lp in
                        rights.withUnsafeMutableBufferPointer { rp in
                            Parallel.forEach(halves, threads: halves) { h in
                                // Each half: its lefts in place at its start, its rights in scratch at its start.
                                let lo = begin + n * h / halves, hi = begin + n * (h + 1) / halves
                                var w = lo, r = lo
                                for k in lo..<hi {
                                    let row = ix[k]
                                    if s.goesLeft(col[Int(row)]) { ix[w] = row; w += 1 } else { tmp[r] = row; r += 1 }
                                }
                                lp[h] = w - lo
                                rp[h] = r - lo
                            }
                        }
                    }
                    // Join: half 1's lefts move down after half 0's, then the rights follow in order.
                    var w = begin + lefts[0]
                    if halves == 2 {
                        let lo1 = begin + n / 2
                        for k in 0..<lefts[1] { ix[w + k] = ix[lo1 + k] }
                        w += lefts[1]
                    }
                    for h in 0..<halves {
                        let lo = begin + n * h / halves
                        for k in 0..<rights[h] { ix[w + k] = tmp[lo + k] }
                        w += rights[h]
                    }
                }
            }
        }
        return begin + lefts.reduce(0, +)
    }

    /// The category codes whose bins are in `bins`.
    private func codeSet(feature f: Int, bins: [UInt64]) -> [UInt64] {
        let map = mappers[f].categoryBins
        var words = [UInt64](repeating: 0, count: (map.count + 63) / 64)
        for (code, b) in map.enumerated() where b != 0 && (bins[Int(b) >> 6] >> UInt64(b & 63)) & 1 == 1 {
            words[code >> 6] |= 1 << UInt64(code & 63)
        }
        return words
    }
}
