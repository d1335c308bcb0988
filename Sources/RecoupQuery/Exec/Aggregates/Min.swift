/// `min(x)`: the smallest non-null value per group, of x's type.
enum Min: Aggregate {
    static let name = "min"
    static let arity = 1...1

    static func run(
        _ args: [Expr], _ f: Frame, ids: [Int32], groups: Int, _ ev: Evaluator, _ span: Span
    ) throws -> Vector {
        let v = try ev.eval(args[0], f)
        return v.gatherOrNull(Extremes.rows(v, ids: ids, groups: groups, largest: false))
    }
}
