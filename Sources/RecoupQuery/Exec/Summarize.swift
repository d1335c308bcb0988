import Foundation
import RecoupEngine
import RecoupStore

/// `summarize NAME = AGG(EXPR), … [by KEY [= EXPR], …]`: keys become dense
/// group ids (engine `Grouping`), aggregates accumulate per id, and any
/// arithmetic around aggregates is evaluated on the per-group columns.
enum Summarize {
    static func run(_ f: Frame, aggregates: [Binding], by keys: [Binding], _ ev: Evaluator, _ span: Span) throws -> Frame {
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
        for r in stride(from: f.count - 1, through: 0, by: -1) where ids[r] >= 0 { representative[Int(ids[r])] = Int32(r) }
        var out = Frame(names: keys.map(\.name), columns: keyVectors.map { $0.gather(representative) }, count: groups, accountKey: nil)
        // Aggregates become hidden columns of the group frame; the expressions around them are evaluated there.
        var hidden = 0
        for a in aggregates {
            let rewritten = try rewrite(a.expr, f, ids: ids, groups: groups, out: &out, hidden: &hidden, ev)
            let v = try ev.eval(rewritten, out)
            out.set(a.name, v)
        }
        // Drop the hidden columns, keep keys then aggregates in the order written.
        let visible = keys.map(\.name) + aggregates.map(\.name)
        var final = Frame(names: [], columns: [], count: groups, accountKey: nil)
        // Without `by` there is one row even over no rows (count 0, sums null).
        for name in visible where final.index(of: name) == nil { final.names.append(name); final.columns.append(out.columns[out.index(of: name)!]) }
        return final
    }

    /// Replaces aggregate calls with hidden per-group columns.
    private static func rewrite(_ e: Expr, _ f: Frame, ids: [Int32], groups: Int, out: inout Frame, hidden: inout Int, _ ev: Evaluator) throws -> Expr {
        switch e {
        case .call(let name, let args, let span) where QueryCatalog.aggregates.contains(name):
            let v = try aggregate(name, args, f, ids: ids, groups: groups, ev, span)
            let col = "\u{1}agg\(hidden)"
            hidden += 1
            out.set(col, v)
            return .column(col, span)
        case .column(let name, let span):
            if out.index(of: name) == nil && f.index(of: name) != nil {
                throw QueryError("RQ321", "column `\(name)` is neither aggregated nor a `by` key", at: span,
                                 help: "wrap it in an aggregate such as sum(\(name)) or max(\(name)), or add it after `by`")
            }
            return e
        case .call(let name, let args, let span):
            return .call(name, try args.map { try rewrite($0, f, ids: ids, groups: groups, out: &out, hidden: &hidden, ev) }, span)
        case .unary(let op, let x, let span):
            return .unary(op, try rewrite(x, f, ids: ids, groups: groups, out: &out, hidden: &hidden, ev), span)
        case .binary(let op, let l, let r, let span):
            return .binary(op, try rewrite(l, f, ids: ids, groups: groups, out: &out, hidden: &hidden, ev),
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

    static func aggregate(_ name: String, _ args: [Expr], _ f: Frame, ids: [Int32], groups: Int, _ ev: Evaluator, _ span: Span) throws -> Vector {
        if name == "count" {
            guard args.count <= 1 else { throw QueryError("RQ310", "`count` takes no argument (rows) or one (non-null values)", at: span) }
            var n = [Int64](repeating: 0, count: groups)
            let v = try args.first.map { try ev.eval($0, f) }
            for (r, g) in ids.enumerated() where g >= 0 && !(v?.isNull(r) ?? false) { n[Int(g)] += 1 }
            return .int(n)
        }
        let expected = name == "quantile" ? 2 : 1
        guard args.count == expected else {
            throw QueryError("RQ310", "`\(name)` takes \(expected) argument\(expected == 1 ? "" : "s"), got \(args.count)", at: span)
        }
        let v = try ev.eval(args[0], f)
        try ev.context.checkTime()
        switch name {
        case "count_distinct":
            var n = [Int64](repeating: 0, count: groups)
            let (codes, cardinality) = denseCodes(v)
            let bits = groups * cardinality
            if bits <= 1 << 30 {
                // A bitmap of (group, value) pairs seen.
                var seen = [UInt64](repeating: 0, count: (bits + 63) / 64)
                for (r, g) in ids.enumerated() where g >= 0 && !v.isNull(r) {
                    let i = Int(g) * cardinality + Int(codes[r])
                    let mask: UInt64 = 1 << UInt64(i & 63)
                    if seen[i >> 6] & mask == 0 {
                        seen[i >> 6] |= mask
                        n[Int(g)] += 1
                    }
                }
                return .int(n)
            }
            var seen = Set<Pair>()
            for (r, g) in ids.enumerated() where g >= 0 && !v.isNull(r) {
                if seen.insert(Pair(g: g, v: Int64(codes[r]))).inserted { n[Int(g)] += 1 }
            }
            return .int(n)
        case "sum":
            switch v {
            case .int(let x), .money(let x):
                var s = [Int64](repeating: 0, count: groups)
                var any = [Bool](repeating: false, count: groups)
                for (r, g) in ids.enumerated() where g >= 0 && x[r] != Int64.min {
                    let (t, o) = s[Int(g)].addingReportingOverflow(x[r])
                    if o { throw QueryError("RQ305", "the sum overflowed", at: span) }
                    s[Int(g)] = t
                    any[Int(g)] = true
                }
                let result = zip(s, any).map { $1 ? $0 : Int64.min }
                if case .money = v { return .money(result) }
                return .int(result)
            case .float(let x):
                var s = [Double](repeating: .nan, count: groups)
                for (r, g) in ids.enumerated() where g >= 0 && !x[r].isNaN { s[Int(g)] = s[Int(g)].isNaN ? x[r] : s[Int(g)] + x[r] }
                return .float(s)
            case .null: return .null(groups)
            default: throw QueryError("RQ311", "`sum` needs numbers or money, got a \(v.type.rawValue)", at: args[0].span)
            }
        case "avg":
            guard let x = Arithmetic.asDouble(v) else { throw QueryError("RQ311", "`avg` needs numbers or money, got a \(v.type.rawValue)", at: args[0].span) }
            var s = [Double](repeating: 0, count: groups), n = [Double](repeating: 0, count: groups)
            for (r, g) in ids.enumerated() where g >= 0 && !x[r].isNaN { s[Int(g)] += x[r]; n[Int(g)] += 1 }
            return .float(zip(s, n).map { $1 == 0 ? .nan : $0 / $1 })
        case "min", "max":
            let wantMax = name == "max"
            let keys = v.type == .string ? [] : valueKeys(v)
            var best = [Int32](repeating: -1, count: groups)
            if case .string(let c, let d) = v {
                for (r, g) in ids.enumerated() where g >= 0 && c[r] >= 0 {
                    let b = best[Int(g)]
                    if b < 0 { best[Int(g)] = Int32(r); continue }
                    let x = Array(d[Int(c[r])].utf8), y = Array(d[Int(c[Int(b)])].utf8)
                    if wantMax ? y.lexicographicallyPrecedes(x) : x.lexicographicallyPrecedes(y) { best[Int(g)] = Int32(r) }
                }
            } else if case .float(let x) = v {
                for (r, g) in ids.enumerated() where g >= 0 && !x[r].isNaN {
                    let b = best[Int(g)]
                    if b < 0 || (wantMax ? x[r] > x[Int(b)] : x[r] < x[Int(b)]) { best[Int(g)] = Int32(r) }
                }
            } else {
                for (r, g) in ids.enumerated() where g >= 0 && !v.isNull(r) {
                    let b = best[Int(g)]
                    if b < 0 || (wantMax ? keys[r] > keys[Int(b)] : keys[r] < keys[Int(b)]) { best[Int(g)] = Int32(r) }
                }
            }
            return v.gatherOrNull(best)
        case "median", "quantile":
            var q = 0.5
            if name == "quantile" {
                let qv = try ev.eval(args[1], f, hint: .float)
                guard let qs = Arithmetic.asDouble(qv), let first = qs.first ?? Optional(0.5), (0...1).contains(first) else {
                    throw QueryError("RQ311", "`quantile`'s second argument is a fraction between 0 and 1", at: args[1].span)
                }
                q = first
            }
            guard let x = Arithmetic.asDouble(v) else { throw QueryError("RQ311", "`\(name)` needs numbers or money, got a \(v.type.rawValue)", at: args[0].span) }
            var values = [[Double]](repeating: [], count: groups)
            for (r, g) in ids.enumerated() where g >= 0 && !x[r].isNaN { values[Int(g)].append(x[r]) }
            return .float(values.map { vs in
                guard !vs.isEmpty else { return .nan }
                let s = vs.sorted()
                let pos = q * Double(s.count - 1)
                let lo = Int(pos.rounded(.down)), hi = Int(pos.rounded(.up))
                return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
            })
        default:
            throw QueryError("RQ202", "unknown aggregate `\(name)`", at: span)
        }
    }

    struct Pair: Hashable {
        let g: Int32
        let v: Int64
    }
}
