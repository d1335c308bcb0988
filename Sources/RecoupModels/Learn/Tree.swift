/// One regression tree of a boosted model, on raw feature values.
///
/// Internal nodes are 0..<nodeCount; a child reference `c >= 0` is an internal node, `c < 0` is leaf
/// `~c`. A numeric node sends `x <= threshold` left; a categorical node sends the codes in its set
/// left; a missing value (NaN) goes left when `defaultLeft`. A categorical node's missing values and
/// codes outside its set go right. Every node also keeps its expected value (what it would output as
/// a leaf, shrinkage included), which the Saabas contributions need.
public struct RegressionTree: Codable, Sendable, Equatable {
    public var feature: [Int32] = []
    public var threshold: [Float] = []
    public var defaultLeft: [Bool] = []
    /// Index into `categorySets`, or -1 for a numeric split.
    public var categorySet: [Int32] = []
    public var left: [Int32] = []
    public var right: [Int32] = []
    /// Split gain (for importance) and the expected value of each internal node.
    public var gain: [Double] = []
    public var nodeValue: [Double] = []
    /// Rows of the fitting sample that reached each internal node.
    public var nodeCount: [Int32] = []
    public var leafValue: [Double] = []
    /// Bit sets over category codes: code c is in set s when bit c % 64 of word c / 64 is set.
    public var categorySets: [[UInt64]] = []

    public init() {}

    public var internalNodeCount: Int { feature.count }
    public var leafCount: Int { leafValue.count }

    /// Whether `x` goes left at internal node `node`.
    @inline(__always)
    func goesLeft(_ node: Int, _ x: Float) -> Bool {
        if x.isNaN { return defaultLeft[node] }
        let s = Int(categorySet[node])
        if s < 0 { return x <= threshold[node] }
        guard let c = Int(exactly: x), c >= 0 else { return false }
        let words = categorySets[s]
        let w = c >> 6
        return w < words.count && (words[w] >> UInt64(c & 63)) & 1 == 1
    }

    /// The leaf reached by the row whose value for feature f is `value(f)`.
    @inline(__always)
    func leaf(_ value: (Int) -> Float) -> Int {
        if feature.isEmpty { return 0 }
        var node = 0
        while true {
            let next = goesLeft(node, value(Int(feature[node]))) ? left[node] : right[node]
            if next < 0 { return Int(~next) }
            node = Int(next)
        }
    }

    /// The tree's output for one row.
    @inline(__always)
    public func predict(_ value: (Int) -> Float) -> Double { leafValue[leaf(value)] }

    /// Adds each feature's Saabas contribution for one row to `contrib` (one slot per feature) and
    /// returns the root's expected value; the root value plus the added amounts is the row's output.
    @discardableResult
    func addContributions(_ value: (Int) -> Float, into contrib: inout [Double]) -> Double {
        if feature.isEmpty { return leafValue[0] }
        var node = 0
        var parentValue = nodeValue[0]
        while true {
            let f = Int(feature[node])
            let next = goesLeft(node, value(f)) ? left[node] : right[node]
            let childValue = next < 0 ? leafValue[Int(~next)] : nodeValue[Int(next)]
            contrib[f] += childValue - parentValue
            if next < 0 { return nodeValue[0] }
            parentValue = childValue
            node = Int(next)
        }
    }
}
