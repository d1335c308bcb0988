/// `count_distinct(x)`: the distinct non-null values per group. A bitmap of (group, value) pairs
/// when it fits in 2^30 bits, else a hash set of the pairs.
enum CountDistinct: Aggregate {
    static let name = "count_distinct"
    static let arity = 1...1

    struct Pair: Hashable {
        let g: Int32
        let v: Int64
    }

    static func run(
        _ args: [Expr], _ f: Frame, ids: [Int32], groups: Int, _ ev: Evaluator, _ span: Span
    ) throws -> Vector {
        let v = try ev.eval(args[0], f)
        var n = [Int64](repeating: 0, count: groups)
        let (codes, cardinality) = Summarize.denseCodes(v)
        if groups * cardinality <= bitmapLimit {
            var seen = [UInt64](repeating: 0, count: (groups * cardinality + 63) / 64)
            for (r, g) in ids.enumerated() where g >= 0 && !v.isNull(r) {
                let i = Int(g) * cardinality + Int(codes[r])
                let mask: UInt64 = 1 << UInt64(i & 63)
                if seen[i >> 6] & mask == 0 {
                    seen[i >> 6] |= mask
                    n[Int(g)] += 1
                }
            }
            return .int(n)
        }
        var seen = Set<Pair>()
        for (r, g) in ids.enumerated() where g >= 0 && !v.isNull(r) {
            if seen.insert(Pair(g: g, v: Int64(codes[r]))).inserted { n[Int(g)] += 1 }
        }
        return .int(n)
    }

    /// The most (group, value) bits the bitmap path uses; tests lower it to compare the two paths.
    nonisolated(unsafe) static var bitmapLimit = 1 << 30
}
