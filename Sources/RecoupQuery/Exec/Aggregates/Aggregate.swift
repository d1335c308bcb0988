/// One aggregate of `summarize`: its name, the arguments it takes, and how it folds each group's
/// rows into one value. Rows come with their dense group id (`ids[r]`, -1 for none); the result has
/// one value per group.
protocol Aggregate {
    static var name: String { get }
    /// How many arguments it takes.
    static var arity: ClosedRange<Int> { get }
    /// The error when the count is wrong, if it says more than "takes N arguments".
    static var usage: String? { get }
    static func run(
        _ args: [Expr], _ f: Frame, ids: [Int32], groups: Int, _ ev: Evaluator, _ span: Span
    ) throws -> Vector
}

extension Aggregate {
    static var usage: String? { nil }
}

/// The aggregates of the language, each in its own file. The names the language knows are read from
/// here (a listed name always has an implementation; a test checks the names are unique).
enum Aggregates {
    static let all: [Aggregate.Type] = [
        Count.self, CountDistinct.self, Sum.self, Avg.self, Min.self, Max.self,
        Median.self, Quantile.self,
    ]

    static let names: [String] = all.map { $0.name }

    static func named(_ name: String) -> Aggregate.Type? { all.first { $0.name == name } }

    /// Checks the argument count, then runs the aggregate.
    static func run(
        _ a: Aggregate.Type, _ args: [Expr], _ f: Frame, ids: [Int32], groups: Int, _ ev: Evaluator, _ span: Span
    ) throws -> Vector {
        guard a.arity.contains(args.count) else {
            let n = a.arity.lowerBound
            throw QueryError(
                "RQ310", a.usage ?? "`\(a.name)` takes \(n) argument\(n == 1 ? "" : "s"), got \(args.count)", at: span)
        }
        if a.arity.lowerBound > 0 { try ev.context.checkTime() }
        return try a.run(args, f, ids: ids, groups: groups, ev, span)
    }
}
