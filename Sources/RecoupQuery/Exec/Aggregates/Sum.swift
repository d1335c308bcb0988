/// `sum(x)`: exact for ints and money (checked: an overflow is RQ305, never a wrapped total), a
/// float sum for floats; null for a group with no non-null value.
enum Sum: Aggregate {
    static let name = "sum"
    static let arity = 1...1

    static func run(
        _ args: [Expr], _ f: Frame, ids: [Int32], groups: Int, _ ev: Evaluator, _ span: Span
    ) throws -> Vector {
        let v = try ev.eval(args[0], f)
        switch v {
        case .int(let x), .money(let x):
            var s = [Int64](repeating: 0, count: groups)
            var any = [Bool](repeating: false, count: groups)
            for (r, g) in ids.enumerated() where g >= 0 && x[r] != Int64.min {
                let (t, o) = s[Int(g)].addingReportingOverflow(x[r])
                if o || t == Int64.min { throw QueryError("RQ305", "the sum overflowed", at: span) }
                s[Int(g)] = t
                any[Int(g)] = true
            }
            let result = zip(s, any).map { $1 ? $0 : Int64.min }
            if case .money = v { return .money(result) }
            return .int(result)
        case .float(let x):
            var s = [Double](repeating: .nan, count: groups)
            for (r, g) in ids.enumerated() where g >= 0 && !x[r].isNaN {
                s[Int(g)] = s[Int(g)].isNaN ? x[r] : s[Int(g)] + x[r]
            }
            return .float(s)
        case .null: return .null(groups)
        default: throw QueryError("RQ311", "`sum` needs numbers or money, got a \(v.type.rawValue)", at: args[0].span)
        }
    }
}
