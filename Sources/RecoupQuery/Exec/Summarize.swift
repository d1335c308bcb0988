import Foundation
import RecoupEngine
import RecoupStore

/// `summarize NAME = AGG(EXPR), … [by KEY [= EXPR], …]`: keys become dense
/// group ids (engine `Grouping`), aggregates accumulate per id, and any
/// arithmetic around aggregates is evaluated on the per-group columns.
enum Summarize {
    static func run(
        _ f: Frame, aggregates: [Binding], by keys: [Binding], _ ev: Evaluator, _ span: Span
    ) throws -> Frame {
        // Group keys.
        var keyVectors: [Vector] = []
        var groupKeys: [GroupKey] = []
        for k in keys {
            let v = try ev.eval(k.expr, f)
            keyVectors.append(v)
            let (codes, cardinality) = denseCodes(v)
            groupKeys.append(GroupKey(codes: codes, cardinality: cardinality))
        }
        let grouping = keys.isEmpty ? nil : Grouping(groupKeys, rows: f.count)
        let ids = grouping?.ids ?? [Int32](repeating: 0, count: f.count)
        let groups = grouping?.count ?? 1
        // One representative row per group, for the key values.
        var representative = [Int32](repeating: 0, count: groups)
        for r in stride(from: f.count - 1, through: 0, by: -1) where ids[r] >= 0 {
            representative[Int(ids[r])] = Int32(r)
        }
        var out = Frame(
            names: keys.map(\.name), columns: keyVectors.map { $0.gather(representative) }, count: groups,
            accountKey: nil)
        for k in keys { out.units[k.name] = Units.of(k.expr, f) }
        // Aggregates become hidden columns of the group frame; the expressions around them are evaluated there.
        var hidden = 0
        for a in aggregates {
            let rewritten = try rewrite(a.expr, f, ids: ids, groups: groups, out: &out, hidden: &hidden, ev)
            let v = try ev.eval(rewritten, out)
            out.set(a.name, v, unit: Units.of(a.expr, f))
        }
        // Drop the hidden columns, keep keys then aggregates in the order written.
        let visible = keys.map(\.name) + aggregates.map(\.name)
        var final = Frame(names: [], columns: [], count: groups, accountKey: nil)
        // Without `by` there is one row even over no rows (count 0, sums null).
        for name in visible where final.index(of: name) == nil {
            final.set(name, out.columns[out.index(of: name)!], unit: out.unit(of: name))
        }
        return final
    }

    /// Replaces aggregate calls with hidden per-group columns.
    private static func rewrite(
        _ e: Expr, _ f: Frame, ids: [Int32], groups: Int, out: inout Frame, hidden: inout Int, _ ev: Evaluator
    ) throws -> Expr {
        switch e {
        case .call(let name, let args, let span) where Aggregates.named(name) != nil:
            let v = try Aggregates.run(Aggregates.named(name)!, args, f, ids: ids, groups: groups, ev, span)
            let col = "\u{1}agg\(hidden)"
            hidden += 1
            out.set(col, v)
            return .column(col, span)
        case .column(let name, let span):
            if out.index(of: name) == nil && f.index(of: name) != nil {
                throw QueryError(
                    "RQ321", "column `\(name)` is neither aggregated nor a `by` key", at: span,
                    help: "wrap it in an aggregate such as sum(\(name)) or max(\(name)), or add it after `by`")
            }
            return e
        case .call(let name, let args, let span):
            return .call(
                name, try args.map { try rewrite($0, f, ids: ids, groups: groups, out: &out, hidden: &hidden, ev) },
                span)
        case .unary(let op, let x, let span):
            return .unary(op, try rewrite(x, f, ids: ids, groups: groups, out: &out, hidden: &hidden, ev), span)
        case .binary(let op, let l, let r, let span):
            return .binary(
                op, try rewrite(l, f, ids: ids, groups: groups, out: &out, hidden: &hidden, ev),
                try rewrite(r, f, ids: ids, groups: groups, out: &out, hidden: &hidden, ev), span)
        default:
            return e
        }
    }

    /// Per-row dense codes of a vector's distinct values (null is a value of its own).
    static func denseCodes(_ v: Vector) -> ([Int32], Int) {
        switch v {
        case .string(let codes, let dict):
            // Dictionaries hold each string once: the codes are the groups already.
            let nullCode = Int32(dict.count)
            return (codes.map { $0 < 0 ? nullCode : $0 }, dict.count + 1)
        case .bool(let b): return (b.map { Int32($0) }, 3)
        case .null(let n): return (Array(repeating: 0, count: n), 1)
        default:
            let keys = valueKeys(v)
            // A small range of values (hours, dates, months, codes): an array maps value → code.
            var lo = Int64.max, hi = Int64.min
            for k in keys where k != Int64.min { lo = min(lo, k); hi = max(hi, k) }
            if lo <= hi, hi.subtractingReportingOverflow(lo).partialValue < 1 << 22, hi - lo >= 0 {
                var slot = [Int32](repeating: -1, count: Int(hi - lo) + 2)  // the last slot is null
                var next: Int32 = 0
                let codes = keys.map { k -> Int32 in
                    let i = k == Int64.min ? slot.count - 1 : Int(k - lo)
                    if slot[i] < 0 { slot[i] = next; next += 1 }
                    return slot[i]
                }
                return (codes, Int(next))
            }
            var index: [Int64: Int32] = [:]
            let codes = keys.map { k -> Int32 in
                if let c = index[k] { return c }
                index[k] = Int32(index.count)
                return Int32(index.count - 1)
            }
            return (codes, index.count)
        }
    }

    /// An Int64 per row that is equal exactly when the values are (numbers, dates).
    static func valueKeys(_ v: Vector) -> [Int64] {
        switch v {
        case .int(let x), .money(let x), .timestamp(let x): x
        case .date(let x): x.map { Int64($0) }
        case .float(let x): x.map { $0.isNaN ? Int64.min : Int64(bitPattern: $0.bitPattern) }
        case .bool(let b): b.map { Int64($0) }
        case .string(let c, _): c.map { Int64($0) }
        case .null(let n): Array(repeating: Int64.min, count: n)
        }
    }
}
