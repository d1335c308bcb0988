/// `count()`: rows per group; `count(x)`: rows where x is not null.
enum Count: Aggregate {
    static let name = "count"
    static let arity = 0...1
    static let usage: String? = "`count` takes no argument (rows) or one (non-null values)"

    static func run(
        _ args: [Expr], _ f: Frame, ids: [Int32], groups: Int, _ ev: Evaluator, _ span: Span
    ) throws -> Vector {
        var n = [Int64](repeating: 0, count: groups)
        let v = try args.first.map { try ev.eval($0, f) }
        for (r, g) in ids.enumerated() where g >= 0 && !(v?.isNull(r) ?? false) { n[Int(g)] += 1 }
        return .int(n)
    }
}
