/// The row of each group's smallest or largest non-null value (strings by code point), shared by
/// `min` and `max`; -1 for a group with none.
enum Extremes {
    static func rows(_ v: Vector, ids: [Int32], groups: Int, largest: Bool) -> [Int32] {
        var best = [Int32](repeating: -1, count: groups)
        switch v {
        case .string(let c, let d):
            for (r, g) in ids.enumerated() where g >= 0 && c[r] >= 0 {
                let b = best[Int(g)]
                if b < 0 { best[Int(g)] = Int32(r); continue }
                let x = d[Int(c[r])].utf8, y = d[Int(c[Int(b)])].utf8
                if largest ? y.lexicographicallyPrecedes(x) : x.lexicographicallyPrecedes(y) { best[Int(g)] = Int32(r) }
            }
        case .float(let x):
            for (r, g) in ids.enumerated() where g >= 0 && !x[r].isNaN {
                let b = best[Int(g)]
                if b < 0 || (largest ? x[r] > x[Int(b)] : x[r] < x[Int(b)]) { best[Int(g)] = Int32(r) }
            }
        default:
            let keys = Summarize.valueKeys(v)
            for (r, g) in ids.enumerated() where g >= 0 && !v.isNull(r) {
                let b = best[Int(g)]
                if b < 0 || (largest ? keys[r] > keys[Int(b)] : keys[r] < keys[Int(b)]) { best[Int(g)] = Int32(r) }
            }
        }
        return best
    }
}
