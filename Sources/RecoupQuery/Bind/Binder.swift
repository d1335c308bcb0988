import RecoupStore

/// Checks every name and type of a query before any data is read, and finds the result's columns.
///
/// The binder runs the query's own operators on zero-row relations that have the source's columns
/// and types (the idea of Dask's `meta`): each operator checks its operands' types once per vector,
/// never per row, so on empty vectors the same code reports the same errors, with the same spans and
/// suggestions, in the same order, and yields the output columns. There is one set of type rules,
/// the operators', and a binder that cannot disagree with them. Errors that depend on values
/// (overflow, the row limit) can only come from the run.
struct Binder {
    let context: QueryContext

    struct Bound {
        /// The result's columns and types.
        var output: [QueryColumn]
        /// Per `join` stage in order: whether it matches through the rows' account keys, and which
        /// right columns come out as TABLE_name (their name is taken on the left).
        var joins: [(byAccountKey: Bool, renamed: Set<String>)]
    }

    /// Binds `q`. `kpiColumns` are the declared columns of a KPI source (KPIRunner.fields).
    func bind(_ q: Query, kpiColumns: [QueryColumn] = []) throws -> Bound {
        let ev = Evaluator(context: context)
        var f: Frame
        switch q.source {
        case .table(let name, let span):
            if name == "scores" {
                guard ScoreFiles.latest(context.snapshot.root) != nil else { throw Self.noScores(span) }
                f = EmptyRelation.scores
            } else {
                guard Schema.table(name) != nil else { throw Self.unknownTable(name, span) }
                f = EmptyRelation.table(name)
            }
        case .kpi:
            f = Frame(
                names: kpiColumns.map(\.name), columns: kpiColumns.map { EmptyRelation.vector($0.type) }, count: 0,
                accountKey: nil, units: Tables.units(kpiColumns))
        }
        var joins: [(byAccountKey: Bool, renamed: Set<String>)] = []
        for stage in q.stages {
            switch stage {
            case .where(let cond, _): f = try Stages.filter(f, cond, ev)
            case .derive(let b, _): f = try Stages.derive(f, b, ev)
            case .select(let b, _): f = try Stages.select(f, b, ev)
            case .summarize(let aggs, let by, let span): f = try Summarize.run(f, aggregates: aggs, by: by, ev, span)
            case .sort(let keys, _): f = f.gather(try Stages.order(f, keys, limit: nil, ev))
            case .take(let n, let span): if n < 0 { throw Self.negativeTake(span) }
            case .join(let table, let tableSpan, let left, let on, let onSpan, let span):
                guard Schema.table(table) != nil else { throw Self.unknownTable(table, tableSpan) }
                let byKey = on == "account_id" && f.accountKey != nil
                let right = EmptyRelation.table(table)
                joins.append((byKey, Set(right.names.filter { $0 != on && f.index(of: $0) != nil })))
                f = try Stages.join(f, table: table, left: left, on: on, right: right, span, onSpan: onSpan)
            }
        }
        let output = zip(f.names, f.columns).map { QueryColumn(name: $0, type: $1.type, unit: f.unit(of: $0)) }
        return Bound(output: output, joins: joins)
    }

    static func unknownTable(_ name: String, _ span: Span) -> QueryError {
        let hint =
            Suggest.closest(name, in: QueryCatalog.tables).map { "did you mean `\($0)`?" }
            ?? "sources: " + QueryCatalog.tables.joined(separator: ", ") + ", kpi NAME"
        return QueryError("RQ201", "unknown table `\(name)`", at: span, help: hint)
    }

    static func noScores(_ span: Span) -> QueryError {
        QueryError(
            "RQ204", "no scores yet: the models have not scored this store", at: span,
            help: "run `recoup train` and `recoup score` first")
    }

    static func negativeTake(_ span: Span) -> QueryError {
        QueryError("RQ330", "`take` needs a count of 0 or more", at: span)
    }
}
