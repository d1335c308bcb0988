/// `avg(x)`: the mean of the non-null values (money in currency units), as a float.
enum Avg: Aggregate {
    static let name = "avg"
    static let arity = 1...1

    static func run(
        _ args: [Expr], _ f: Frame, ids: [Int32], groups: Int, _ ev: Evaluator, _ span: Span
    ) throws -> Vector {
        let v = try ev.eval(args[0], f)
        guard let x = Arithmetic.asDouble(v) else {
            throw QueryError("RQ311", "`avg` needs numbers or money, got a \(v.type.rawValue)", at: args[0].span)
        }
        var s = [Double](repeating: 0, count: groups), n = [Double](repeating: 0, count: groups)
        for (r, g) in ids.enumerated() where g >= 0 && !x[r].isNaN { s[Int(g)] += x[r]; n[Int(g)] += 1 }
        return .float(zip(s, n).map { $1 == 0 ? .nan : $0 / $1 })
    }
}
