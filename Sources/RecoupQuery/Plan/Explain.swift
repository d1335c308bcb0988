import RecoupEngine
import RecoupKPI
import RecoupStore

/// The optimized plan as text (`recoup query --explain`, `.explain` in the REPL): the source,
/// then each step in the order it runs, then the result's columns and the rules that fired. It is
/// read from the manifest only (segment counts come from the zone maps), never from the data.
enum Explain {
    static func text(_ plan: LogicalPlan, rules: [String], snapshot: Snapshot) -> String {
        var lines: [String] = []
        switch plan.source {
        case .scan(let scan): lines += self.scan(scan, snapshot: snapshot, indent: "")
        case .scores: lines.append("scores (the latest score file)")
        case .kpi(let k, _, _, let columns):
            lines.append(
                "kpi \(k.name): computed when run; declared columns " + columns.map(\.name).joined(separator: ", "))
        }
        for step in plan.steps {
            switch step {
            case .filter(let e, _): lines.append("| filter " + expr(e))
            case .derive(let b, _):
                lines.append("| derive " + b.map { QueryPrinter.binding($0, short: false) }.joined(separator: ", "))
            case .select(let b, _):
                lines.append("| select " + b.map { QueryPrinter.binding($0, short: true) }.joined(separator: ", "))
            case .aggregate(let a, let by, _):
                var t = "| summarize " + a.map { QueryPrinter.binding($0, short: false) }.joined(separator: ", ")
                if !by.isEmpty {
                    t += " by " + by.map { QueryPrinter.binding($0, short: true) }.joined(separator: ", ")
                }
                lines.append(t)
            case .sort(let keys, _): lines.append("| sort " + keys.map(key).joined(separator: ", "))
            case .topK(let keys, let n, _):
                lines.append("| top-k \(n) by " + keys.map(key).joined(separator: ", ") + " (bounded heap)")
            case .limit(let n, _): lines.append("| take \(n)")
            case .join(let j):
                lines.append(
                    "| join" + (j.left ? " left " : " ") + j.right.table + " on " + j.on
                        + (j.anti
                            ? " (anti-join by account key: the rows with no match)"
                            : j.byAccountKey ? " (by account key)" : " (hash join)"))
                lines += scan(j.rightScan, snapshot: snapshot, indent: "    ")
            }
        }
        lines.append("→ " + plan.output.map { "\($0.name) \($0.type.rawValue)" }.joined(separator: ", "))
        lines.append("rules: " + (rules.isEmpty ? "none applied" : rules.joined(separator: ", ")))
        return lines.joined(separator: "\n") + "\n"
    }

    static func scan(_ s: ScanNode, snapshot: Snapshot, indent: String) -> [String] {
        let all = Tables.columns(s.table).map(\.name)
        var read = TableScan(snapshot, s.table)
        let total = read.segments.count
        for r in s.ranges { read = read.pruned(r.column, atLeast: r.atLeast, atMost: r.atMost) }
        if let n = s.firstRows, s.filters.isEmpty { read = read.firstRows(n) }
        var lines = [indent + "scan \(s.table): \(read.segments.count) of \(total) segments, \(read.rowCount) rows"]
        let columns = s.columns.map { c in all.filter { c.contains($0) } } ?? all
        if s.filters.isEmpty && s.topKey == nil {
            lines.append(indent + "    columns: " + list(columns))
        } else {
            let first = all.filter { s.earlyColumns.contains($0) }
            if !s.filters.isEmpty {
                lines.append(indent + "    filter: " + s.filters.map(expr).joined(separator: " and "))
            }
            if let (k, n) = s.topKey {
                lines.append(indent + "    top-k candidates: the best \(n) by " + key(k) + ", ties kept")
            }
            if s.late {
                lines.append(indent + "    read first: " + list(first))
                lines.append(
                    indent + "    then, for the kept rows only: " + list(columns.filter { !first.contains($0) }))
            } else {
                lines.append(indent + "    columns: " + list(columns))
            }
        }
        if !s.ranges.isEmpty {
            lines.append(
                indent + "    zone maps: " + s.ranges.map { range($0, table: s.table) }.joined(separator: ", "))
        }
        if let ids = s.accountIDs {
            let shown = ids.sorted().prefix(5).map { "\"\($0)\"" }.joined(separator: ", ") + (ids.count > 5 ? ", …" : "")
            lines.append(indent + "    accounts: " + (ids.isEmpty ? "none" : shown) + " (only the segments holding their rows)")
        }
        if let n = s.firstRows { lines.append(indent + "    first \(n) rows only") }
        return lines
    }

    static func list(_ names: [String]) -> String { names.isEmpty ? "(none)" : names.joined(separator: ", ") }
    static func expr(_ e: Expr) -> String { e.formatted }
    static func key(_ k: SortKey) -> String { expr(k.expr) + (k.descending ? " desc" : "") }

    static func range(_ r: ZoneRange, table: String) -> String {
        let type = Schema.table(table)?.column(r.column)?.type
        // Stored units back to the language's: cents as money, days as dates, seconds as timestamps.
        func shown(_ v: Int64) -> String {
            switch type {
            case .money?: KPIValue.money(v).description
            case .date?: KPIValue.date(Int32(clamping: v)).description
            case .timestamp?: KPIValue.timestamp(v).description
            default: String(v)
            }
        }
        switch (r.atLeast, r.atMost) {
        case (let lo?, let hi?) where lo == hi: return "\(r.column) = \(shown(lo))"
        case (let lo?, let hi?): return "\(shown(lo)) ≤ \(r.column) ≤ \(shown(hi))"
        case (let lo?, nil): return "\(r.column) ≥ \(shown(lo))"
        case (nil, let hi?): return "\(r.column) ≤ \(shown(hi))"
        default: return r.column
        }
    }
}
