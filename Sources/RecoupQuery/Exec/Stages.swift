import Foundation
import RecoupEngine
import RecoupStore

/// The row stages: where, derive, select, sort (with top-k when a take
/// follows), take and join.
enum Stages {
    static func filter(_ f: Frame, _ cond: Expr, _ ev: Evaluator) throws -> Frame {
        let rows = selection(try ev.bool(ev.eval(cond, f), cond.span))
        return rows.count == f.count ? f : f.gather(rows)
    }

    /// The rows where a condition is true (not false, not null), in order: a selection vector.
    static func selection(_ b: [UInt8]) -> [Int32] {
        var rows: [Int32] = []
        rows.reserveCapacity(b.count / 4)
        b.withUnsafeBufferPointer { p in
            for r in 0..<p.count where p[r] == 1 { rows.append(Int32(r)) }
        }
        return rows
    }

    static func derive(_ f: Frame, _ bindings: [Binding], _ ev: Evaluator) throws -> Frame {
        var out = f
        for b in bindings { out.set(b.name, try ev.eval(b.expr, out), unit: Units.of(b.expr, out)) }
        return out
    }

    static func select(_ f: Frame, _ bindings: [Binding], _ ev: Evaluator) throws -> Frame {
        var out = Frame(names: [], columns: [], count: f.count, accountKey: f.accountKey)
        for b in bindings { out.set(b.name, try ev.eval(b.expr, f), unit: Units.of(b.expr, f)) }
        return out
    }

    /// The row order of `keys`; with `limit`, only the first `limit` rows (a bounded heap, not a full sort).
    static func order(_ f: Frame, _ keys: [SortKey], limit: Int?, _ ev: Evaluator) throws -> [Int32] {
        let vectors = try keys.map { try ev.eval($0.expr, f) }
        let comparators: [(Int, Int) -> Int] = vectors.enumerated().map { i, v in
            let desc = keys[i].descending
            let base = comparator(v)
            return desc ? { -base($0, $1) } : base
        }
        let less: (Int32, Int32) -> Bool = { a, b in
            for c in comparators {
                let r = c(Int(a), Int(b))
                if r != 0 { return r < 0 }
            }
            return a < b
        }
        if let limit, limit < f.count / 8 {
            var heap = BoundedHeap(capacity: limit, less: less)
            for r in 0..<f.count { heap.offer(Int32(r)) }
            return heap.sorted()
        }
        var rows = (0..<Int32(f.count)).map { $0 }
        rows.sort(by: less)
        return rows
    }

    /// The rows that can be among the first `count` by `key` alone: the best `count` rows by a
    /// bounded heap, and every row not worse than the last of them (ties kept for the later keys).
    /// With `among`, only those rows of `f` compete (the rows a filter kept, not gathered) and the
    /// answer is positions in `among`. In order.
    static func candidates(
        _ f: Frame, _ key: SortKey, count: Int, among: [Int32]? = nil, _ ev: Evaluator
    ) throws -> [Int32] {
        let n = among?.count ?? f.count
        guard count < n else { return (0..<Int32(n)).map { $0 } }
        guard count > 0 else { return [] }
        let v = try ev.eval(key.expr, f)
        let row: (Int) -> Int = among.map { rows in { Int(rows[$0]) } } ?? { $0 }
        if let ranks = orderKeys(v, descending: key.descending, rows: among) {
            // Whole numbers, money, dates, timestamps: the count-th smallest rank by selection, then
            // one pass keeps every row at or below it.
            var copy = ranks
            let limit = copy.withUnsafeMutableBufferPointer { Selection.select($0, rank: count - 1) }
            var out: [Int32] = []
            out.reserveCapacity(count)
            for (i, k) in ranks.enumerated() where k <= limit { out.append(Int32(i)) }
            return out
        }
        let base = comparator(v)
        let cmp: (Int, Int) -> Int = key.descending ? { -base(row($0), row($1)) } : { base(row($0), row($1)) }
        var heap = BoundedHeap(
            capacity: count,
            less: { a, b in
                let r = cmp(Int(a), Int(b))
                return r != 0 ? r < 0 : a < b
            })
        for i in 0..<n { heap.offer(Int32(i)) }
        let last = Int(heap.items[0])  // the root: the worst of the best `count`
        return (0..<n).filter { cmp($0, last) <= 0 }.map { Int32($0) }
    }

    /// Per row an Int64 whose ascending order is the sort order of `v` (null first ascending, last
    /// descending), for the types that have one; nil for floats, strings and booleans.
    /// With `rows`, only at those rows, in that order.
    static func orderKeys(_ v: Vector, descending: Bool, rows: [Int32]? = nil) -> [Int64]? {
        // Null is Int64.min: already first ascending; descending, negate the rest and put null last.
        @inline(__always) func rank(_ x: Int64) -> Int64 { descending ? (x == Int64.min ? Int64.max : -x) : x }
        switch v {
        case .int(let a), .money(let a), .timestamp(let a):
            if let rows { return rows.map { rank(a[Int($0)]) } }
            return descending ? a.map(rank) : a
        case .date(let d):
            let wide: (Int32) -> Int64 = { $0 == Int32.min ? Int64.min : Int64($0) }
            if let rows { return rows.map { rank(wide(d[Int($0)])) } }
            return d.map { rank(wide($0)) }
        default: return nil
        }
    }

    /// Three-way comparison of two rows of a vector; null sorts first.
    static func comparator(_ v: Vector) -> (Int, Int) -> Int {
        func cmp<T: Comparable>(_ x: [T], null: @escaping (T) -> Bool) -> (Int, Int) -> Int {
            { a, b in
                let na = null(x[a]), nb = null(x[b])
                if na || nb { return na == nb ? 0 : (na ? -1 : 1) }
                return x[a] < x[b] ? -1 : (x[a] == x[b] ? 0 : 1)
            }
        }
        switch v {
        case .int(let x), .money(let x), .timestamp(let x): return cmp(x) { $0 == Int64.min }
        case .float(let x): return cmp(x) { $0.isNaN }
        case .date(let x): return cmp(x) { $0 == Int32.min }
        case .bool(let x): return cmp(x) { $0 == 2 }
        case .string(let c, let d) where d.count > 4 * 65536:
            // A large dictionary (ids): compare the two strings only when asked (ties of earlier keys are rare).
            return { a, b in
                let x = c[a], y = c[b]
                if x < 0 || y < 0 { return x == y ? 0 : (x < 0 ? -1 : 1) }
                if x == y { return 0 }
                return d[Int(x)].utf8.lexicographicallyPrecedes(d[Int(y)].utf8) ? -1 : 1
            }
        case .string(let c, let d):
            // Rank the dictionary once by code point order, then compare ranks.
            let order = d.indices.sorted { d[$0].utf8.lexicographicallyPrecedes(d[$1].utf8) }
            var rank = [Int32](repeating: 0, count: d.count)
            var prev: String?
            var r: Int32 = -1
            for i in order {
                if d[i] != prev { r += 1; prev = d[i] }
                rank[i] = r
            }
            let ranks = c.map { $0 < 0 ? Int32.min : rank[Int($0)] }
            return cmp(ranks) { $0 == Int32.min }
        case .null: return { _, _ in 0 }
        }
    }

    /// `join [left] TABLE on COLUMN`.
    /// `renamed`: the right columns that come out as TABLE_name, decided on the whole relations when
    /// the query was bound (the scans read only some columns; the names must not depend on which).
    /// Without it, a right column is renamed when the rows so far have a column of that name.
    static func join(
        _ f: Frame, table: String, left: Bool, on column: String, right: Frame, _ span: Span, onSpan: Span,
        renamed: Set<String>? = nil
    ) throws -> Frame {
        let keyJoin = column == "account_id" && f.accountKey != nil && right.accountKey != nil
        guard keyJoin || f.index(of: column) != nil else {
            throw QueryError(
                "RQ203", "the rows so far have no column `\(column)` to join on", at: onSpan,
                help: Suggest.closest(column, in: f.names).map { "did you mean `\($0)`?" })
        }
        guard right.index(of: column) != nil || (column == "account_id" && right.accountKey != nil) else {
            throw QueryError("RQ203", "`\(table)` has no column `\(column)` to join on", at: onSpan)
        }
        var leftRows: [Int32] = [], rightRows: [Int32] = []
        if keyJoin, let lk = f.accountKey, let rk = right.accountKey {
            // Both sides carry account keys: accounts are indexed by key; events through a per-account index.
            let accounts = (rk.max().map { Int($0) + 1 } ?? 0)
            let index = AccountIndex(keys: rk, accounts: max(accounts, (lk.max().map { Int($0) + 1 } ?? 0)))
            for (r, k) in lk.enumerated() {
                let matches = index.rows(of: Int(k))
                if matches.isEmpty {
                    if left { leftRows.append(Int32(r)); rightRows.append(-1) }
                    continue
                }
                for m in matches { leftRows.append(Int32(r)); rightRows.append(m) }
            }
        } else {
            let lv = f.columns[f.index(of: column)!], rv = right.columns[right.index(of: column)!]
            let (lkeys, rkeys) = try joinKeys(lv, rv, span: onSpan)
            var index: [Int64: [Int32]] = [:]
            for (r, k) in rkeys.enumerated() where k != Int64.min { index[k, default: []].append(Int32(r)) }
            for (r, k) in lkeys.enumerated() {
                let matches = k == Int64.min ? [] : index[k] ?? []
                if matches.isEmpty {
                    if left { leftRows.append(Int32(r)); rightRows.append(-1) }
                    continue
                }
                for m in matches { leftRows.append(Int32(r)); rightRows.append(m) }
            }
        }
        var out = f.gather(leftRows)
        for (i, name) in right.names.enumerated() where name != column {
            let clash = renamed.map { $0.contains(name) } ?? (out.index(of: name) != nil)
            let target = clash ? table + "_" + name : name
            out.set(target, right.columns[i].gatherOrNull(rightRows), unit: right.unit(of: name))
        }
        return out
    }

    /// The rows of `f` whose account has no row in `right` (both carry account keys), with the right
    /// table's `columns` (all when nil, named as `join` names them) added as nulls: what
    /// `join left … | where KEY is null` gives, without pairing any rows.
    static func antiJoin(
        _ f: Frame, right: Frame, nulls: Frame, columns: Set<String>?, on column: String, table: String,
        renamed: Set<String>
    ) -> Frame {
        let lk = f.accountKey ?? [], rk = right.accountKey ?? []
        let accounts = max(lk.max().map { Int($0) + 1 } ?? 0, rk.max().map { Int($0) + 1 } ?? 0)
        var has = [Bool](repeating: false, count: accounts)
        for k in rk where k >= 0 { has[Int(k)] = true }
        var rows: [Int32] = []
        for (r, k) in lk.enumerated() where !has[Int(k)] { rows.append(Int32(r)) }
        var out = f.gather(rows)
        let none = [Int32](repeating: -1, count: rows.count)
        for (i, name) in nulls.names.enumerated() where name != column && columns?.contains(name) ?? true {
            out.set(renamed.contains(name) ? table + "_" + name : name, nulls.columns[i].gatherOrNull(none))
        }
        return out
    }

    /// Comparable Int64 keys for both sides of a join (strings through one shared dictionary).
    static func joinKeys(_ l: Vector, _ r: Vector, span: Span) throws -> ([Int64], [Int64]) {
        switch (l, r) {
        case (.string(let lc, let ld), .string(let rc, let rd)):
            var index: [String: Int64] = [:]
            let lmap = ld.map { s -> Int64 in
                index[s]
                    ?? {
                        index[s] = Int64(index.count); return Int64(index.count - 1)
                    }()
            }
            let rmap = rd.map { s -> Int64 in index[s] ?? -2 }
            return (lc.map { $0 < 0 ? Int64.min : lmap[Int($0)] }, rc.map { $0 < 0 ? Int64.min : rmap[Int($0)] })
        default:
            guard l.type == r.type, l.type != .float else {
                throw QueryError(
                    "RQ304", "cannot join a \(l.type.rawValue) column with a \(r.type.rawValue) column", at: span)
            }
            return (Summarize.valueKeys(l), Summarize.valueKeys(r))
        }
    }
}

/// The `capacity` smallest rows seen, by `less`.
struct BoundedHeap {
    let capacity: Int
    let less: (Int32, Int32) -> Bool
    var items: [Int32] = []

    init(capacity: Int, less: @escaping (Int32, Int32) -> Bool) {
        self.capacity = capacity
        self.less = less
        items.reserveCapacity(capacity + 1)
    }

    /// A max-heap on `less`: the root is the worst kept row.
    mutating func offer(_ x: Int32) {
        if capacity == 0 { return }
        if items.count < capacity {
            items.append(x)
            var i = items.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                if less(items[p], items[i]) { items.swapAt(p, i); i = p } else { break }
            }
        } else if less(x, items[0]) {
            items[0] = x
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && less(items[m], items[l]) { m = l }
                if r < items.count && less(items[m], items[r]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
    }

    func sorted() -> [Int32] { items.sorted(by: less) }
}
