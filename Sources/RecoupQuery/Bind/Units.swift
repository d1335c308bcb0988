import RecoupEngine

/// The unit of an expression's value over a frame: a column keeps its unit; `a / b` of two counts
/// (or two amounts of money) is a rate; `a ± b` of one unit keeps it (a difference of rates is in
/// points); `round`, `abs`, `coalesce` and `if` keep their argument's; `count` and `count_distinct`
/// give a count; `sum`, `min`, `max`, `avg`, `median` and `quantile` keep their argument's. Anything
/// else (a literal, a comparison, arithmetic that changes the meaning) has none, and is shown as a
/// plain number unless a report says otherwise.
enum Units {
    static func of(_ e: Expr, _ f: Frame) -> ColumnUnit? {
        switch e {
        case .column(let name, _): return f.unit(of: name)
        case .binary(.divide, let l, let r, _): return ColumnUnit.quotient(of(l, f), of(r, f))
        case .binary(.add, let l, let r, _): return ColumnUnit.sum(of(l, f), of(r, f), subtracting: false)
        case .binary(.subtract, let l, let r, _): return ColumnUnit.sum(of(l, f), of(r, f), subtracting: true)
        case .unary(.negate, let x, _): return of(x, f)
        case .call(let name, let args, _):
            switch name {
            case "count", "count_distinct": return .count
            case "sum", "min", "max", "avg", "median", "quantile", "round", "abs":
                return args.first.flatMap { of($0, f) }
            case "coalesce":
                let units = args.map { of($0, f) }
                return units.allSatisfy { $0 == units.first } ? units.first ?? nil : nil
            case "if":
                guard args.count == 3 else { return nil }
                let (a, b) = (of(args[1], f), of(args[2], f))
                return a == b ? a : nil
            default: return nil
            }
        default: return nil
        }
    }
}
