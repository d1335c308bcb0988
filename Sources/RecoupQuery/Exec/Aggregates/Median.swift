/// `median(x)`: `quantile(x, 0.5)`.
enum Median: Aggregate {
    static let name = "median"
    static let arity = 1...1

    static func run(
        _ args: [Expr], _ f: Frame, ids: [Int32], groups: Int, _ ev: Evaluator, _ span: Span
    ) throws -> Vector {
        try Quantile.interpolated(name, ev.eval(args[0], f), args[0].span, q: 0.5, ids: ids, groups: groups)
    }
}
