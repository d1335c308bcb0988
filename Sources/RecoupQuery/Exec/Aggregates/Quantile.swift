import Foundation

/// `quantile(x, q)`: the q-th quantile of each group's non-null values by linear interpolation
/// between the two nearest ranks (money in currency units), as a float.
enum Quantile: Aggregate {
    static let name = "quantile"
    static let arity = 2...2

    static func run(
        _ args: [Expr], _ f: Frame, ids: [Int32], groups: Int, _ ev: Evaluator, _ span: Span
    ) throws -> Vector {
        let v = try ev.eval(args[0], f)
        let qv = try ev.eval(args[1], f, hint: .float)
        guard let qs = Arithmetic.asDouble(qv), let first = qs.first ?? Optional(0.5), (0...1).contains(first) else {
            throw QueryError("RQ311", "`quantile`'s second argument is a fraction between 0 and 1", at: args[1].span)
        }
        return try interpolated(name, v, args[0].span, q: first, ids: ids, groups: groups)
    }

    static func interpolated(
        _ name: String, _ v: Vector, _ span: Span, q: Double, ids: [Int32], groups: Int
    ) throws -> Vector {
        guard let x = Arithmetic.asDouble(v) else {
            throw QueryError("RQ311", "`\(name)` needs numbers or money, got a \(v.type.rawValue)", at: span)
        }
        // The groups' values side by side in one array (a counting sort by group), then each group's
        // two ranks around q found by selection, O(n) on average, not by sorting the group.
        var start = [Int](repeating: 0, count: groups + 1)
        for (r, g) in ids.enumerated() where g >= 0 && !x[r].isNaN { start[Int(g) + 1] += 1 }
        for g in 0..<groups { start[g + 1] += start[g] }
        var next = start
        var flat = [Double](repeating: 0, count: start[groups])
        for (r, g) in ids.enumerated() where g >= 0 && !x[r].isNaN {
            flat[next[Int(g)]] = x[r]
            next[Int(g)] += 1
        }
        var out = [Double](repeating: .nan, count: groups)
        flat.withUnsafeMutableBufferPointer { all in
            out.withUnsafeMutableBufferPointer { result in
                // Groups are disjoint slices: selected on both cores at once.
                DispatchQueue.concurrentPerform(iterations: groups) { g in
                    guard start[g + 1] > start[g] else { return }
                    let values = UnsafeMutableBufferPointer(rebasing: all[start[g]..<start[g + 1]])
                    let pos = q * Double(values.count - 1)
                    let lo = Int(pos.rounded(.down)), hi = Int(pos.rounded(.up))
                    let a = Selection.select(values, rank: lo)
                    // After selection everything past `lo` is at least values[lo]: the next rank is their minimum.
                    let b = hi == lo ? a : values[(lo + 1)...].min()!
                    result[g] = a + (b - a) * (pos - Double(lo))
                }
            }
        }
        return .float(out)
    }
}
