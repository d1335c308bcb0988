/// `quantile(x, q)`: the q-th quantile of each group's non-null values by linear interpolation
/// between the two nearest ranks (money in currency units), as a float.
enum Quantile: Aggregate {
    static let name = "quantile"
    static let arity = 2...2

    static func run(_ args: [Expr], _ f: Frame, ids: [Int32], groups: Int, _ ev: Evaluator, _ span: Span) throws -> Vector {
        let v = try ev.eval(args[0], f)
        let qv = try ev.eval(args[1], f, hint: .float)
        guard let qs = Arithmetic.asDouble(qv), let first = qs.first ?? Optional(0.5), (0...1).contains(first) else {
            throw QueryError("RQ311", "`quantile`'s second argument is a fraction between 0 and 1", at: args[1].span)
        }
        return try interpolated(name, v, args[0].span, q: first, ids: ids, groups: groups)
    }

    static func interpolated(_ name: String, _ v: Vector, _ span: Span, q: Double, ids: [Int32], groups: Int) throws -> Vector {
        guard let x = Arithmetic.asDouble(v) else { throw QueryError("RQ311", "`\(name)` needs numbers or money, got a \(v.type.rawValue)", at: span) }
        var values = [[Double]](repeating: [], count: groups)
        for (r, g) in ids.enumerated() where g >= 0 && !x[r].isNaN { values[Int(g)].append(x[r]) }
        return .float(values.map { vs in
            guard !vs.isEmpty else { return .nan }
            let s = vs.sorted()
            let pos = q * Double(s.count - 1)
            let lo = Int(pos.rounded(.down)), hi = Int(pos.rounded(.up))
            return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
        })
    }
}
