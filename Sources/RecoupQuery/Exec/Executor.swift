import Foundation
import RecoupKPI
import RecoupStore

/// Plans and runs one parsed query: the source reads only the columns the
/// query names and skips segments that leading `where` stages rule out by
/// their zone maps; each stage then runs a whole column at a time.
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

    func run(_ q: Query) throws -> QueryResult {
        var f = try source(q)
        var i = 0
        if case .table(let name, _) = q.source, name != "scores" {
            // The source applied the leading `where` stages already.
            while i < q.stages.count, case .where = q.stages[i] { i += 1 }
        }
        while i < q.stages.count {
            try context.checkTime()
            let stage = q.stages[i]
            switch stage {
            case .where(let cond, _): f = try Stages.filter(f, cond, ev)
            case .derive(let b, _): f = try Stages.derive(f, b, ev)
            case .select(let b, _): f = try Stages.select(f, b, ev)
            case .summarize(let aggs, let by, let span): f = try Summarize.run(f, aggregates: aggs, by: by, ev, span)
            case .sort(let keys, _):
                // sort | take N: keep only the first N with a bounded heap.
                var limit: Int?
                if i + 1 < q.stages.count, case .take(let n, _) = q.stages[i + 1] { limit = Int(max(0, n)) }
                f = f.gather(try Stages.order(f, keys, limit: limit, ev))
            case .take(let n, let span):
                guard n >= 0 else { throw QueryError("RQ330", "`take` needs a count of 0 or more", at: span) }
                if Int(n) < f.count { f = f.gather((0..<Int32(n)).map { $0 }) }
            case .join(let table, let tableSpan, let left, let on, let onSpan, let span):
                guard Schema.table(table) != nil else { throw unknownTable(table, tableSpan) }
                let needsAll = Self.outputsSourceColumns(q)
                // Joining on account_id goes through the rows' account keys: the column itself is not read unless named elsewhere.
                let keyJoin = on == "account_id" && f.accountKey != nil
                let right = try Tables.load(table, snapshot: context.snapshot,
                                            columns: needsAll ? nil : Self.identifiers(q, exceptJoins: keyJoin).union(keyJoin ? [] : [on]), pruning: [])
                f = try Stages.join(f, table: table, left: left, on: on, right: right, span, onSpan: onSpan)
            }
            i += 1
        }
        try context.checkTime()
        if f.count > context.options.rowLimit {
            throw QueryError("RQ902", "the result has \(f.count) rows, more than the limit of \(context.options.rowLimit)",
                             help: "summarize, filter or add `| take N` (or raise the limit with --max-rows)")
        }
        let columns = zip(f.names, f.columns).map { QueryColumn(name: $0, type: $1.type) }
        let rows = (0..<f.count).map { r in f.columns.map { $0.value(r) } }
        return QueryResult(columns: columns, rows: rows)
    }

    func unknownTable(_ name: String, _ span: Span) -> QueryError {
        let hint = Suggest.closest(name, in: QueryCatalog.tables).map { "did you mean `\($0)`?" }
            ?? "sources: " + QueryCatalog.tables.joined(separator: ", ") + ", kpi NAME"
        return QueryError("RQ201", "unknown table `\(name)`", at: span, help: hint)
    }

    func source(_ q: Query) throws -> Frame {
        switch q.source {
        case .table(let name, let span):
            if name == "scores" {
                guard let frame = try SavedScores.frame(store: context.snapshot.root) else {
                    throw QueryError("RQ204", "no scores yet: the models have not scored this store", at: span, help: "run `recoup train` and `recoup score` first")
                }
                return frame
            }
            guard let schema = Schema.table(name) else { throw unknownTable(name, span) }
            context.sourceColumns = schema.columns.map(\.name)
            let needsAll = Self.outputsSourceColumns(q)
            let wanted: Set<String>? = needsAll ? nil : Self.identifiers(q, exceptJoins: true)
            // The leading `where` stages run inside the scan, on just the columns they name.
            let leading = q.stages.prefix { if case .where = $0 { true } else { false } }
            var prefilter: (columns: Set<String>, rows: (Frame) throws -> [Int32])?
            if !leading.isEmpty {
                let cols = Self.identifiers(Query(source: q.source, stages: Array(leading)))
                let evaluator = ev
                prefilter = (cols, { f in
                    var keep = [Int32](0..<Int32(f.count))
                    var frame = f
                    for case .where(let cond, _) in leading {
                        let b = try evaluator.bool(evaluator.eval(cond, frame), cond.span)
                        let sel = (0..<frame.count).filter { b[$0] == 1 }.map { Int32($0) }
                        keep = sel.map { keep[Int($0)] }
                        frame = frame.gather(sel)
                    }
                    return keep
                })
            }
            return try Tables.load(name, snapshot: context.snapshot, columns: wanted, pruning: pruning(q, table: name), prefilter: prefilter,
                                   firstRows: leading.isEmpty ? Self.rowsKept(q) : nil)
        case .kpi(let k, _):
            do { _ = try KPIParameters.kpiName(k.name) } catch let e as RecoupError {
                // The suggestion goes in the help line under the caret.
                throw QueryError("RQ205", "unknown KPI `\(k.name)`", at: k.nameSpan,
                                 help: KPIParameters.didYouMean(k.name, in: KPIRunner.names) ?? e.details)
            }
            var p = KPIParameters()
            p.asOf = try k.asOf.map { try date($0) }
            p.from = try k.from.map { try date($0) }
            p.to = try k.to.map { try date($0) }
            p.month = try k.month.map { try date($0) }
            p.summary = k.summary
            if let g = k.grace {
                guard case .int(let v) = try constant(g, hint: .int), let days = try? KPIParameters.grace(Int(clamping: v)) else {
                    throw QueryError("RQ311", "`grace` is a whole number of days, \(KPIParameters.graceDays.lowerBound) to \(KPIParameters.graceDays.upperBound)", at: g.span)
                }
                p.grace = days
            }
            p.by = try k.by.map { name, span in
                do { return try KPIParameters.dimension(name) } catch let e as RecoupError {
                    throw QueryError("RQ206", "unknown dimension `\(name)`", at: span,
                                     help: KPIParameters.didYouMean(name, in: KPIParameters.dimensionNames) ?? e.details)
                }
            }
            do {
                return Tables.kpi(try KPIRunner.run(k.name, snapshot: context.snapshot, parameters: p))
            } catch let e as RecoupError {
                throw QueryError("RQ207", e.message, at: k.nameSpan, help: e.details)
            }
        }
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
        guard case .date(let d) = try constant(e, hint: .date) else { throw QueryError("RQ311", "expected a date such as @2025-06-30", at: e.span) }
        return d
    }

    /// N when the query keeps only its source's first N rows whatever they hold: `take N` after nothing
    /// but row-by-row `derive` and `select` stages (no filter, sort, summary or join before it).
    static func rowsKept(_ q: Query) -> Int? {
        for s in q.stages {
            switch s {
            case .derive, .select: continue
            case .take(let n, _): return n >= 0 ? Int(n) : nil
            default: return nil
            }
        }
        return nil
    }

    /// Whether the result shows every column of the sources (no `select` or `summarize` narrows it).
    static func outputsSourceColumns(_ q: Query) -> Bool {
        !q.stages.contains { if case .select = $0 { true } else if case .summarize = $0 { true } else { false } }
    }

    /// Every name the query refers to (columns, keys, join columns).
    static func identifiers(_ q: Query, exceptJoins: Bool = false) -> Set<String> {
        var names = Set<String>()
        func visit(_ e: Expr) {
            switch e {
            case .column(let n, _): names.insert(n)
            case .call(_, let args, _): args.forEach(visit)
            case .unary(_, let x, _): visit(x)
            case .binary(_, let l, let r, _): visit(l); visit(r)
            case .inList(let x, let items, _, _): visit(x); items.forEach(visit)
            case .between(let x, let a, let b, _, _): visit(x); visit(a); visit(b)
            case .isNull(let x, _, _): visit(x)
            case .literal, .parameter: break
            }
        }
        for s in q.stages {
            switch s {
            case .where(let e, _): visit(e)
            case .derive(let b, _), .select(let b, _): b.forEach { visit($0.expr) }
            case .summarize(let a, let by, _): (a + by).forEach { visit($0.expr) }
            case .sort(let keys, _): keys.forEach { visit($0.expr) }
            case .join(_, _, _, let on, _, _): if !exceptJoins { names.insert(on) }
            case .take: break
            }
        }
        return names
    }

    /// Zone-map ranges from the leading `where` stages: `column op literal` conjuncts on stored numbers and dates.
    func pruning(_ q: Query, table: String) -> [(String, Int64?, Int64?)] {
        guard let schema = Schema.table(table) else { return [] }
        var out: [(String, Int64?, Int64?)] = []
        func conjuncts(_ e: Expr) -> [Expr] {
            if case .binary(.and, let l, let r, _) = e { return conjuncts(l) + conjuncts(r) }
            return [e]
        }
        func stored(_ lit: Literal, for spec: ColumnSpec) -> Int64? {
            switch (lit, spec.type) {
            case (.date(let d), .date): return Int64(d)
            case (.date(let d), .timestamp): return Int64(d) * 86400
            case (.int(let v), .int): return v
            case (.int(let v), .money): return v.multipliedReportingOverflow(by: 100).overflow ? nil : v * 100
            default: return nil
            }
        }
        for s in q.stages {
            guard case .where(let cond, _) = s else { break }
            for c in conjuncts(cond) {
                guard case .binary(let op, .column(let name, _), .literal(let lit, _), _) = c,
                      let spec = schema.column(name), let v = stored(lit, for: spec) else { continue }
                switch op {
                case .greater, .greaterEqual: out.append((name, v, nil))
                case .less, .lessEqual: out.append((name, nil, v))
                case .equal: out.append((name, v, v))
                default: break
                }
            }
        }
        return out
    }
}
