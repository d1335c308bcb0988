/// Trees compared by shape only: every span set to `Span.none`. For tests (round trips
/// through `formatted`), the parser fuzz target and the check that a queue composes as written.
extension Span {
    public static let none = Span(start: 0, end: 0, line: 0, column: 0)
}

extension Query {
    public var withoutSpans: Query { Query(source: source.withoutSpans, stages: stages.map(\.withoutSpans)) }
}

extension Source {
    public var withoutSpans: Source {
        switch self {
        case .table(let name, _):
            return .table(name, .none)
        case .kpi(var k, _):
            k.nameSpan = .none
            k.from = k.from?.withoutSpans
            k.to = k.to?.withoutSpans
            k.asOf = k.asOf?.withoutSpans
            k.by = k.by.map { ($0.0, .none) }
            k.grace = k.grace?.withoutSpans
            k.month = k.month?.withoutSpans
            return .kpi(k, .none)
        }
    }
}

extension Stage {
    public var withoutSpans: Stage {
        switch self {
        case .where(let e, _): .where(e.withoutSpans, .none)
        case .derive(let b, _): .derive(b.map(\.withoutSpans), .none)
        case .select(let b, _): .select(b.map(\.withoutSpans), .none)
        case .summarize(let a, let k, _): .summarize(aggregates: a.map(\.withoutSpans), by: k.map(\.withoutSpans), .none)
        case .sort(let keys, _): .sort(keys.map { SortKey(expr: $0.expr.withoutSpans, descending: $0.descending, span: .none) }, .none)
        case .take(let n, _): .take(n, .none)
        case .join(let table, _, let left, let on, _, _): .join(table: table, tableSpan: .none, left: left, on: on, onSpan: .none, .none)
        }
    }
}

extension Binding {
    public var withoutSpans: Binding { Binding(name: name, expr: expr.withoutSpans, span: .none) }
}

extension Expr {
    public var withoutSpans: Expr {
        switch self {
        case .literal(let l, _): .literal(l, .none)
        case .column(let n, _): .column(n, .none)
        case .parameter(let n, _): .parameter(n, .none)
        case .call(let n, let args, _): .call(n, args.map(\.withoutSpans), .none)
        case .unary(let op, let x, _): .unary(op, x.withoutSpans, .none)
        case .binary(let op, let l, let r, _): .binary(op, l.withoutSpans, r.withoutSpans, .none)
        case .inList(let x, let items, let negated, _): .inList(x.withoutSpans, items.map(\.withoutSpans), negated: negated, .none)
        case .between(let x, let lo, let hi, let negated, _): .between(x.withoutSpans, lo.withoutSpans, hi.withoutSpans, negated: negated, .none)
        case .isNull(let x, let negated, _): .isNull(x.withoutSpans, negated: negated, .none)
        }
    }
}
