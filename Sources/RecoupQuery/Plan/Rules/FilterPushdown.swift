import RecoupStore

/// The `where` steps right after a table scan run inside it, and their `column op literal`
/// conjuncts on stored numbers and dates become zone-map bounds, so segments that cannot hold a
/// matching row are not read at all.
enum FilterPushdown: PlanRule {
    static let name = "filter pushdown"

    static func apply(_ plan: inout LogicalPlan) -> Bool {
        guard case .scan(var scan) = plan.source else { return false }
        var moved = 0
        while moved < plan.steps.count, case .filter(let e, _) = plan.steps[moved] {
            scan.filters.append(e)
            moved += 1
        }
        guard moved > 0 else { return false }
        plan.steps.removeFirst(moved)
        scan.ranges = ranges(scan.filters, table: scan.table)
        scan.accountIDs = accountIDs(scan.filters)
        plan.source = .scan(scan)
        return true
    }

    /// Zone-map bounds implied by the conjuncts of `filters`, in the table's stored units.
    static func ranges(_ filters: [Expr], table: String) -> [ZoneRange] {
        guard let schema = Schema.table(table) else { return [] }
        var out: [ZoneRange] = []
        for c in filters.flatMap(conjuncts) {
            guard case .binary(let op, .column(let name, _), .literal(let lit, _), _) = c,
                let spec = schema.column(name), let v = stored(lit, for: spec)
            else { continue }
            switch op {
            case .greater, .greaterEqual: out.append(ZoneRange(column: name, atLeast: v, atMost: nil))
            case .less, .lessEqual: out.append(ZoneRange(column: name, atLeast: nil, atMost: v))
            case .equal: out.append(ZoneRange(column: name, atLeast: v, atMost: v))
            default: break
            }
        }
        return out
    }

    /// The account ids a row must have by some conjunct `account_id == "…"` or `account_id in ("…", …)`
    /// (every table's `account_id` is the account key), intersected over the conjuncts; nil when none says.
    static func accountIDs(_ filters: [Expr]) -> Set<String>? {
        var out: Set<String>?
        for c in filters.flatMap(conjuncts) {
            var ids: Set<String>?
            switch c {
            case .binary(.equal, .column("account_id", _), .literal(.string(let v), _), _),
                 .binary(.equal, .literal(.string(let v), _), .column("account_id", _), _):
                ids = [v]
            case .inList(.column("account_id", _), let items, false, _):
                var set = Set<String>()
                for item in items {
                    guard case .literal(.string(let v), _) = item else { set = []; ids = nil; break }
                    set.insert(v)
                }
                if !set.isEmpty { ids = set }
            default: break
            }
            if let ids { out = out.map { $0.intersection(ids) } ?? ids }
        }
        return out
    }

    static func conjuncts(_ e: Expr) -> [Expr] {
        if case .binary(.and, let l, let r, _) = e { return conjuncts(l) + conjuncts(r) }
        return [e]
    }

    /// A literal in a column's stored units, when that is exact.
    static func stored(_ lit: Literal, for spec: ColumnSpec) -> Int64? {
        switch (lit, spec.type) {
        case (.date(let d), .date): return Int64(d)
        case (.date(let d), .timestamp): return Int64(d) * 86400
        case (.int(let v), .int): return v
        case (.int(let v), .money): return v.multipliedReportingOverflow(by: 100).overflow ? nil : v * 100
        default: return nil
        }
    }
}
