/// Trees flattened into one node array for scoring many rows: each node is 16 bytes, rows are read
/// from a row-major `Float` buffer, and nothing is retained or bounds-checked in the walk.
struct PackedForest {
    struct Node {
        var feature: Int32
        var threshold: Float
        /// Child references: ≥ 0 a node of this array, < 0 the leaf `~c` of `leafValues`.
        var left: Int32
        var right: Int32
    }

    private(set) var nodes: [Node] = []
    /// Per node: bit 0 set when missing goes left; the category set's index + 1 above it (0: numeric).
    private(set) var flags: [Int32] = []
    private(set) var leafValues: [Double] = []
    /// Per internal node: its expected value (for Saabas contributions).
    private(set) var nodeValues: [Double] = []
    /// Per tree: its root reference (a leaf reference for a tree without splits).
    private(set) var roots: [Int32] = []
    /// Category sets: `setStart[s]..<setStart[s + 1]` in `setWords`.
    private(set) var setWords: [UInt64] = []
    private(set) var setStart: [Int] = [0]

    init(_ trees: [RegressionTree]) {
        for t in trees { append(t) }
    }

    mutating func append(_ t: RegressionTree) {
        let nodeBase = Int32(nodes.count), leafBase = Int32(leafValues.count)
        func ref(_ c: Int32) -> Int32 { c >= 0 ? c + nodeBase : ~(~c + leafBase) }
        for k in 0..<t.internalNodeCount {
            nodes.append(Node(feature: t.feature[k], threshold: t.threshold[k], left: ref(t.left[k]), right: ref(t.right[k])))
            var flag: Int32 = t.defaultLeft[k] ? 1 : 0
            let s = Int(t.categorySet[k])
            if s >= 0 {
                flag |= Int32(setStart.count) << 1  // index + 1 of the set appended below
                setWords.append(contentsOf: t.categorySets[s])
                setStart.append(setWords.count)
            }
            flags.append(flag)
            nodeValues.append(t.nodeValue[k])
        }
        leafValues.append(contentsOf: t.leafValue)
        roots.append(t.internalNodeCount > 0 ? nodeBase : ~leafBase)
    }

    /// Whether value `x` goes left at `node` with flags `flag` (see `flags`); `sp`/`wp` are the
    /// category sets' starts and words.
    @inline(__always)
    static func goesLeft(_ x: Float, _ node: Node, _ flag: Int32,
                         _ sp: UnsafeBufferPointer<Int>, _ wp: UnsafeBufferPointer<UInt64>) -> Bool {
        if x.isNaN { return flag & 1 == 1 }
        if flag >> 1 == 0 { return x <= node.threshold }
        let set = Int(flag >> 1) - 1
        let lo = sp[set], words = sp[set + 1] - lo
        let code = Int(exactly: x) ?? -1
        return code >= 0 && (code >> 6) < words && (wp[lo + (code >> 6)] >> UInt64(code & 63)) & 1 == 1
    }

    /// The sum of the trees' outputs for `rowCount` rows of `width` values each, added to `scores`.
    func add(rows: UnsafePointer<Float>, rowCount: Int, width: Int, to scores: UnsafeMutablePointer<Double>) {
        nodes.withUnsafeBufferPointer { np in
            flags.withUnsafeBufferPointer { fp in
                leafValues.withUnsafeBufferPointer { lp in
                    setWords.withUnsafeBufferPointer { wp in
                        setStart.withUnsafeBufferPointer { sp in
                            roots.withUnsafeBufferPointer { rp in
                                for i in 0..<rowCount {
                                    let row = rows + i * width
                                    var s = 0.0
                                    for root in rp {
                                        var c = root
                                        while c >= 0 {
                                            let node = np[Int(c)]
                                            c = Self.goesLeft(row[Int(node.feature)], node, fp[Int(c)], sp, wp) ? node.left : node.right
                                        }
                                        s += lp[Int(~c)]
                                    }
                                    scores[i] += s
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension PackedForest {
    /// For `rowCount` rows of `width` values: adds each tree's output to `raw[i]` (in tree order, as
    /// `add` sums them) and each feature's Saabas contribution to `contrib[i * width + f]`; returns
    /// nothing for the bias, which is the same for every row (`bias`). Trees outside, rows inside, so
    /// one tree's nodes stay in the first-level cache while a block of rows walks it.
    func explain(rows: UnsafePointer<Float>, rowCount: Int, width: Int,
                 raw: UnsafeMutablePointer<Double>, contrib: UnsafeMutablePointer<Double>) {
        nodes.withUnsafeBufferPointer { np in
            flags.withUnsafeBufferPointer { fp in
                leafValues.withUnsafeBufferPointer { lp in
                    nodeValues.withUnsafeBufferPointer { vp in
                        setWords.withUnsafeBufferPointer { wp in
                            setStart.withUnsafeBufferPointer { sp in
                                for root in roots {
                                    if root < 0 {
                                        let v = lp[Int(~root)]
                                        for i in 0..<rowCount { raw[i] += v }
                                        continue
                                    }
                                    let rootValue = vp[Int(root)]
                                    for i in 0..<rowCount {
                                        let row = rows + i * width, out = contrib + i * width
                                        var c = root
                                        var parent = rootValue
                                        while c >= 0 {
                                            let node = np[Int(c)]
                                            let f = Int(node.feature)
                                            c = Self.goesLeft(row[f], node, fp[Int(c)], sp, wp) ? node.left : node.right
                                            let child = c >= 0 ? vp[Int(c)] : lp[Int(~c)]
                                            out[f] += child - parent
                                            parent = child
                                        }
                                        raw[i] += parent
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The sum over trees of the root's expected value (a leaf's value for a tree without splits is
    /// added to `raw` by `explain`, not here).
    var rootValueSum: Double {
        var s = 0.0
        for root in roots where root >= 0 { s += nodeValues[Int(root)] }
        return s
    }
}

/// Rows of a dataset copied row-major, in blocks, for `PackedForest`.
extension Dataset {
    /// Rows `range` row-major into `out` (`range.count × featureCount`).
    func copyRows(_ range: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        let w = featureCount
        for f in 0..<w {
            columns[f].withUnsafeBufferPointer { col in
                var k = 0
                for i in range {
                    out[k * w + f] = col[i]
                    k += 1
                }
            }
        }
    }

    /// All rows, row-major.
    var rowMajor: [Float] {
        var out = [Float](repeating: 0, count: rowCount * featureCount)
        out.withUnsafeMutableBufferPointer { copyRows(0..<rowCount, into: $0.baseAddress!) }
        return out
    }
}
