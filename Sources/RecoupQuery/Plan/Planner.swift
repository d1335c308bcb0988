import RecoupKPI

/// The plain plan of a bound query: one step per stage, the source read whole. The rules then
/// rewrite it (`Rules.optimize`).
enum Planner {
    static func plain(_ q: Query, _ bound: Binder.Bound, kpi: (KPIParameters, [QueryColumn])?) -> LogicalPlan {
        let source: PlanSource
        switch q.source {
        case .table(let name, let span):
            source = name == "scores" ? .scores(span) : .scan(ScanNode(table: name, span: span, columns: nil))
        case .kpi(let k, let span):
            source = .kpi(k, span, parameters: kpi?.0 ?? KPIParameters(), columns: kpi?.1 ?? [])
        }
        var joins = bound.joins.makeIterator()
        let steps: [PlanStep] = q.stages.map { stage in
            switch stage {
            case .where(let e, let s): .filter(e, s)
            case .derive(let b, let s): .derive(b, s)
            case .select(let b, let s): .select(b, s)
            case .summarize(let a, let by, let s): .aggregate(a, by: by, s)
            case .sort(let k, let s): .sort(k, s)
            case .take(let n, let s): .limit(Int(clamping: n), s)
            case .join(let table, let tableSpan, let left, let on, let onSpan, let span):
                { () -> PlanStep in
                    let j = joins.next() ?? (false, [])
                    return .join(
                        JoinNode(
                            right: ScanNode(table: table, span: tableSpan, columns: nil), left: left, on: on,
                            onSpan: onSpan, span: span, byAccountKey: j.byAccountKey, renamed: j.renamed))
                }()
            }
        }
        return LogicalPlan(source: source, steps: steps, output: bound.output)
    }
}
