import Foundation
import RecoupEngine
import RecoupKPI
import RecoupStore

/// Binds, plans and runs one parsed query: the binder checks it on zero-row relations, the rules
/// rewrite the plain plan (Plan/Rules), and each step then runs a whole column at a time.
struct Executor {
    let context: QueryContext
    var ev: Evaluator { Evaluator(context: context) }

    init(snapshot: Snapshot, options: QueryOptions, cancel: CancelToken?) {
        context = QueryContext(snapshot: snapshot, options: options, cancel: cancel)
    }

    static let scoreColumns: [QueryColumn] = [
        QueryColumn(name: "account_id", type: .string), QueryColumn(name: "as_of", type: .date),
        QueryColumn(name: "model_version", type: .string), QueryColumn(name: "p_pay_30d", type: .float),
        QueryColumn(name: "expected_value", type: .money), QueryColumn(name: "outstanding", type: .money),
    ]

    /// Binds `q` (every name and type, before any data is read), plans it and applies the rules.
    /// `rules` is every rule but in tests, which compare each rule's plan with the plain one.
    func plan(_ q: Query, rules: [PlanRule.Type] = Rules.all) throws -> (plan: LogicalPlan, rules: [String]) {
        var kpi: (KPIParameters, [QueryColumn])?
        if case .kpi(let k, _) = q.source {
            let p = try kpiParameters(k)
            let fields = try KPIRunner.fields(k.name, parameters: p)
            kpi = (p, fields.map { QueryColumn(name: $0.name, type: Tables.type(of: $0.unit), unit: $0.unit) })
        }
        let bound = try Binder(context: context).bind(q, kpiColumns: kpi?.1 ?? [])
        var plan = Planner.plain(q, bound, kpi: kpi)
        let fired = Rules.optimize(&plan, using: rules)
        return (plan, fired)
    }

    func run(_ q: Query) throws -> QueryResult {
        try execute(plan(q).plan)
    }

    func execute(_ plan: LogicalPlan) throws -> QueryResult {
        var f = try source(plan.source)
        for step in plan.steps {
            try context.checkTime()
            switch step {
            case .filter(let cond, _): f = try Stages.filter(f, cond, ev)
            case .derive(let b, _): f = try Stages.derive(f, b, ev)
            case .select(let b, _): f = try Stages.select(f, b, ev)
            case .aggregate(let aggs, let by, let span): f = try Summarize.run(f, aggregates: aggs, by: by, ev, span)
            case .sort(let keys, _): f = f.gather(try Stages.order(f, keys, limit: nil, ev))
            case .topK(let keys, let n, _):
                let rows = try Stages.order(f, keys, limit: n, ev)
                f = f.gather(rows.count > n ? Array(rows.prefix(n)) : rows)
            case .limit(let n, _):
                if n < f.count { f = f.gather((0..<Int32(n)).map { $0 }) }
            case .join(let j) where j.anti:
                let right = try scan(j.rightScan)
                f = Stages.antiJoin(
                    f, right: right, nulls: EmptyRelation.table(j.right.table), columns: j.right.columns, on: j.on,
                    table: j.right.table, renamed: j.renamed)
            case .join(let j):
                let right = try scan(j.rightScan)
                f = try Stages.join(
                    f, table: j.right.table, left: j.left, on: j.on, right: right, j.span, onSpan: j.onSpan,
                    renamed: j.renamed)
            }
        }
        try context.checkTime()
        if f.count > context.options.rowLimit {
            throw QueryError(
                "RQ902", "the result has \(f.count) rows, more than the limit of \(context.options.rowLimit)",
                help: "summarize, filter or add `| take N` (or raise the limit with --max-rows)")
        }
        let columns = zip(f.names, f.columns).map { QueryColumn(name: $0, type: $1.type, unit: f.unit(of: $0)) }
        let rows = (0..<f.count).map { r in f.columns.map { $0.value(r) } }
        return QueryResult(columns: columns, rows: rows)
    }

    func source(_ s: PlanSource) throws -> Frame {
        switch s {
        case .scores(let span):
            guard let frame = try SavedScores.frame(store: context.snapshot.root) else { throw Binder.noScores(span) }
            return frame
        case .kpi(let k, _, let p, let columns):
            do {
                return Tables.kpi(
                    try KPIRunner.run(k.name, snapshot: context.snapshot, parameters: p), columns: columns)
            } catch let e as RecoupError {
                throw QueryError("RQ207", e.message, at: k.nameSpan, help: e.details)
            }
        case .scan(let node):
            context.sourceColumns = Tables.columns(node.table).map(\.name)
            return try scan(node)
        }
    }

    /// Reads a scan node: zone maps, first rows, the pushed filters and top-k key (late or not).
    func scan(_ node: ScanNode) throws -> Frame {
        let pruning = node.ranges.map { ($0.column, $0.atLeast, $0.atMost) }
        guard !node.filters.isEmpty || node.topKey != nil else {
            return try Tables.load(
                node.table, snapshot: context.snapshot, columns: node.columns, pruning: pruning,
                firstRows: node.firstRows)
        }
        let evaluator = ev
        let filters = node.filters, topKey = node.topKey
        // Filters naming account ids read only the segments of those accounts.
        let accounts = try node.accountIDs.map { try AccountLookup.keys(context.snapshot, ids: $0) }
        if !node.late {
            // Every column first, then the filters (the top-k step does the rest).
            var f = try Tables.load(
                node.table, snapshot: context.snapshot, columns: node.columns, pruning: pruning, accounts: accounts)
            for cond in filters { f = try Stages.filter(f, cond, evaluator) }
            return f
        }
        let prefilter: (columns: Set<String>, rows: (Frame) throws -> [Int32]) = (
            node.earlyColumns,
            { f in
                var keep = [Int32](0..<Int32(f.count))
                var frame = f
                var among: [Int32]?  // the last filter's rows of `frame`, when not gathered
                for (i, cond) in filters.enumerated() {
                    let sel = Stages.selection(try evaluator.bool(evaluator.eval(cond, frame), cond.span))
                    keep = sel.count == keep.count ? keep : sel.map { keep[Int($0)] }
                    guard sel.count < frame.count else { continue }
                    // The next condition is evaluated on the rows kept so far; the top-k key on the
                    // frame as it is, at those rows only.
                    if i + 1 < filters.count { frame = frame.gather(sel) } else if topKey != nil { among = sel }
                }
                if let (key, n) = topKey {
                    let sel = try Stages.candidates(frame, key, count: n, among: among, evaluator)
                    keep = sel.map { keep[Int($0)] }
                }
                return keep
            }
        )
        // The segments' top-k candidates together: the best of them by the same key.
        let refine = topKey.map { key, n in { (f: Frame) throws -> [Int32] in try Stages.candidates(f, key, count: n, evaluator) } }
        return try Tables.load(
            node.table, snapshot: context.snapshot, columns: node.columns, pruning: pruning, prefilter: prefilter,
            accounts: accounts, refine: refine)
    }

    /// A KPI source's parameters, checked as the language checks them.
    func kpiParameters(_ k: KPISource) throws -> KPIParameters {
        do { _ = try KPIParameters.kpiName(k.name) } catch let e as RecoupError {
            // The suggestion goes in the help line under the caret.
            throw QueryError(
                "RQ205", "unknown KPI `\(k.name)`", at: k.nameSpan,
                help: KPIParameters.didYouMean(k.name, in: KPIRunner.names) ?? e.details)
        }
        var p = KPIParameters()
        p.asOf = try k.asOf.map { try date($0) }
        p.from = try k.from.map { try date($0) }
        p.to = try k.to.map { try date($0) }
        p.month = try k.month.map { try date($0) }
        p.summary = k.summary
        if let g = k.grace {
            guard case .int(let v) = try constant(g, hint: .int), let days = try? KPIParameters.grace(Int(clamping: v))
            else {
                throw QueryError(
                    "RQ311",
                    "`grace` is a whole number of days, \(KPIParameters.graceDays.lowerBound) to \(KPIParameters.graceDays.upperBound)",
                    at: g.span)
            }
            p.grace = days
        }
        p.by = try k.by.map { name, span in
            do { return try KPIParameters.dimension(name) } catch let e as RecoupError {
                throw QueryError(
                    "RQ206", "unknown dimension `\(name)`", at: span,
                    help: KPIParameters.didYouMean(name, in: KPIParameters.dimensionNames) ?? e.details)
            }
        }
        return p
    }

    func constant(_ e: Expr, hint: ValueType?) throws -> Scalar {
        let one = Frame(names: [], columns: [], count: 1, accountKey: nil)
        let v = try ev.eval(e, one, hint: hint)
        switch v {
        case .int(let x): return .int(x[0])
        case .date(let x): return .date(x[0])
        case .money(let x): return .money(x[0])
        case .float(let x): return .float(x[0])
        case .string(let c, let d): return c[0] < 0 ? .null : .string(d[Int(c[0])])
        default: return .null
        }
    }

    func date(_ e: Expr) throws -> Int32 {
        guard case .date(let d) = try constant(e, hint: .date) else {
            throw QueryError("RQ311", "expected a date such as @2025-06-30", at: e.span)
        }
        return d
    }
}
