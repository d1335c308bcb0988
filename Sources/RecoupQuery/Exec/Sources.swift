import Foundation
import RecoupEngine
import RecoupKPI
import RecoupStore

/// The tables a query can start from, with the type each column has in the language.
enum Tables {
    static func type(of spec: ColumnSpec) -> ValueType {
        switch spec.type {
        case .id, .string, .enumeration: .string
        case .date: .date
        case .timestamp: .timestamp
        case .money: .money
        case .int: .int
        }
    }

    static func columns(_ table: String) -> [QueryColumn] {
        guard let schema = Schema.table(table) else { return [] }
        return schema.columns.map { QueryColumn(name: $0.name, type: type(of: $0)) }
    }

    /// Loads the named columns (all when nil) of `table`, keeping only the
    /// segments whose zone maps can satisfy `pruning`. With `prefilter`, the
    /// columns it names are read first and it chooses the rows; the other
    /// columns are then read and cut to those rows before any string is made
    /// (late materialization).
    /// With `accounts` (keys, ascending), only the segments that can hold those accounts' rows.
    /// `refine` chooses once more among the rows the segments chose, on the early columns.
    /// With `firstRows`, only the leading segments that hold that many rows are read (the caller
    /// keeps the first rows of the result, which are the same rows in the same order).
    static func load(
        _ table: String, snapshot: Snapshot, columns wanted: Set<String>?, pruning: [(String, Int64?, Int64?)],
        prefilter: (columns: Set<String>, rows: (Frame) throws -> [Int32])? = nil, firstRows: Int? = nil,
        accounts: [Int32]? = nil, refine: ((Frame) throws -> [Int32])? = nil
    ) throws -> Frame {
        guard let schema = Schema.table(table) else { throw QueryError("RQ201", "unknown table `\(table)`") }
        var scan = TableScan(snapshot, table)
        for (c, lo, hi) in pruning { scan = scan.pruned(c, atLeast: lo, atMost: hi) }
        if let accounts { scan = scan.holding(accounts: accounts) }
        if let firstRows, prefilter == nil { scan = scan.firstRows(firstRows) }
        let specs = schema.columns.filter { wanted?.contains($0.name) ?? true }
        let isEvent = schema.isEvent

        // The hidden account key: the account_id column of events, the row number of accounts.
        func keys() throws -> [Int32] {
            if isEvent { return try scan.read(["account_id"])[0].int32Values }
            let t = snapshot.table(table)
            var key: [Int32] = []
            for s in scan.segments {
                let start = t.segments[..<s].reduce(0) { $0 + $1.rows }
                key += (0..<t.segments[s].rows).map { Int32(start + $0) }
            }
            return key
        }
        var key: [Int32] = []
        var n = 0
        var rows: [Int32]?
        var early: [String: Vector] = [:]
        if let prefilter {
            let first = specs.filter { prefilter.columns.contains($0.name) }
            if first.allSatisfy({ $0.storage != .text && $0.storage != .accountKey }) {
                // Segment by segment, in parallel: decode the early columns, choose the rows, keep only
                // those; no full-length copy of any column is made.
                let part = try segmentwise(
                    scan, first, table: table, snapshot: snapshot, isEvent: isEvent, prefilter.rows)
                (rows, key, early) = (part.rows, part.keys, part.early)
                // Each segment chose on its own (its own top-k candidates): choose once more over all of
                // them before the other columns are read.
                if let refine, let kept = rows {
                    let names = first.map(\.name)
                    let f = Frame(names: names, columns: names.map { early[$0]! }, count: kept.count, accountKey: key)
                    let again = try refine(f)
                    if again.count < kept.count {
                        rows = again.map { kept[Int($0)] }
                        key = again.map { key[Int($0)] }
                        for name in names { early[name] = early[name]!.gather(again) }
                    }
                }
            } else {
                key = try keys()
                n = key.count
                let data = try scan.read(first.map(\.name))
                var f = Frame(names: [], columns: [], count: n, accountKey: key)
                for (spec, d) in zip(first, data) {
                    f.set(spec.name, try vector(spec, d, table: table, snapshot: snapshot))
                }
                let kept = try prefilter.rows(f)
                rows = kept
                for (i, name) in f.names.enumerated() { early[name] = f.columns[i].gather(kept) }
                key = kept.map { key[Int($0)] }
            }
        } else {
            key = try keys()
            n = key.count
        }
        let late = specs.filter { early[$0.name] == nil }
        let data: [ColumnData]
        if let rows {
            // Cut each segment to its kept rows as it is decoded: no full-length copy of the other columns.
            let starts = scan.segmentStarts
            var bounds = [Int](repeating: rows.count, count: starts.count)
            var i = 0
            for k in 0..<starts.count {
                while i < rows.count && Int(rows[i]) < starts[k] { i += 1 }
                bounds[k] = i
            }
            // Segments with no kept row are not decoded at all.
            let holding = (0..<starts.count - 1).filter { bounds[$0] < bounds[$0 + 1] }
            let parts = try scan.segments(at: holding).mapSegments(late.map(\.name)) { j, cols -> [ColumnData] in
                let k = holding[j]
                let local = rows[bounds[k]..<bounds[k + 1]].map { $0 - Int32(starts[k]) }
                return cols.map { gather($0, local) }
            }
            data = late.indices.map { c in Concat.join(parts.map { $0[c] }) }
        } else {
            data = try scan.read(late.map(\.name))
        }
        var lateVectors: [String: Vector] = [:]
        for (spec, d) in zip(late, data) {
            lateVectors[spec.name] = try vector(spec, d, table: table, snapshot: snapshot)
        }
        let cols = specs.map { early[$0.name] ?? lateVectors[$0.name]! }
        return Frame(names: specs.map(\.name), columns: cols, count: rows?.count ?? n, accountKey: key)
    }

    /// The prefilter run on each kept segment of `scan` on its own (segments in parallel): the kept
    /// rows (positions in the whole scan, ascending), their account keys, and the early columns cut to
    /// them. Early columns here are numbers, dates, enums and dictionary strings, whose vectors need no
    /// table-wide dictionary.
    static func segmentwise(
        _ scan: TableScan, _ first: [ColumnSpec], table: String, snapshot: Snapshot, isEvent: Bool,
        _ choose: @escaping (Frame) throws -> [Int32]
    ) throws -> (rows: [Int32], keys: [Int32], early: [String: Vector]) {
        let t = snapshot.table(table)
        let starts = scan.segmentStarts
        let names = first.map(\.name) + (isEvent ? ["account_id"] : [])
        let parts = try scan.mapSegments(names) { k, cols -> ([Int32], [Int32], [Vector]) in
            let segment = scan.segments[k]
            let count = t.segments[segment].rows
            let keySlice: [Int32]
            if isEvent {
                keySlice = cols[first.count].int32Values
            } else {
                let base = t.segments[..<segment].reduce(0) { $0 + $1.rows }
                keySlice = (0..<count).map { Int32(base + $0) }
            }
            var f = Frame(names: [], columns: [], count: count, accountKey: keySlice)
            for (spec, d) in zip(first, cols) {
                f.set(spec.name, try vector(spec, d, table: table, snapshot: snapshot))
            }
            let kept = try choose(f)
            let offset = Int32(starts[k])
            return (kept.map { $0 + offset }, kept.map { keySlice[Int($0)] }, f.columns.map { $0.gather(kept) })
        }
        var early: [String: Vector] = [:]
        for (i, spec) in first.enumerated() {
            early[spec.name] = Vector.concatenate(parts.map { $0.2[i] }, empty: spec)
        }
        return (Concat.flatten(parts.map(\.0)), Concat.flatten(parts.map(\.1)), early)
    }

    /// Stored column data at `rows`.
    static func gather(_ d: ColumnData, _ rows: [Int32]) -> ColumnData {
        switch d {
        case .uint8(let v): return .uint8(rows.map { v[Int($0)] })
        case .int32(let v): return .int32(rows.map { v[Int($0)] })
        case .int64(let v): return .int64(rows.map { v[Int($0)] })
        case .string(let s):
            var out = StringColumn()
            out.offsets.reserveCapacity(rows.count + 1)
            s.bytes.withUnsafeBytes { b in
                for r in rows {
                    out.append(UnsafeRawBufferPointer(rebasing: b[Int(s.offsets[Int(r)])..<Int(s.offsets[Int(r) + 1])]))
                }
            }
            return .string(out)
        }
    }

    /// A stored column as a language vector.
    static func vector(_ spec: ColumnSpec, _ d: ColumnData, table: String, snapshot: Snapshot) throws -> Vector {
        switch spec.storage {
        case .text: return .text(d.stringValues, unique: spec.name == Schema.table(table)!.keyColumn)
        case .dictionary: return .dictionary(d.int32Values, snapshot.dictionary(table: table, column: spec.name))
        case .accountKey:
            let keys = d.int32Values
            let accounts = snapshot.rows("accounts")
            if keys.count * 4 >= accounts { return .string(codes: keys, dict: try AccountIDs.shared(snapshot)) }
            // Few rows: make strings only for the accounts they name.
            var local = [Int32](repeating: -1, count: accounts)
            var wanted: [Int32] = []
            let codes = keys.map { k -> Int32 in
                if local[Int(k)] < 0 { local[Int(k)] = Int32(wanted.count); wanted.append(k) }
                return local[Int(k)]
            }
            // Decode the ids segment by segment and keep only the wanted ones.
            let all = TableScan(snapshot, "accounts")
            let allStarts = all.segmentStarts
            let order = wanted.indices.sorted { wanted[$0] < wanted[$1] }
            // Only the segments that hold a wanted account are decoded.
            let scan = all.holding(accounts: order.map { wanted[$0] })
            let starts = scan.segments.map { allStarts[$0] }
            let ends = scan.segments.map { allStarts[$0 + 1] }
            var names = [String](repeating: "", count: wanted.count)
            let perSegment = try scan.mapSegments(["account_id"]) { k, cols -> [(Int, String)] in
                let ids = cols[0].stringValues
                var out: [(Int, String)] = []
                var lo = 0, hi = order.count
                while lo < hi {
                    let m = (lo + hi) / 2; if Int(wanted[order[m]]) < starts[k] { lo = m + 1 } else { hi = m }
                }
                var j = lo
                while j < order.count && Int(wanted[order[j]]) < ends[k] {
                    out.append((order[j], ids[Int(wanted[order[j]]) - starts[k]]))
                    j += 1
                }
                return out
            }
            for part in perSegment { for (i, name) in part { names[i] = name } }
            return .string(codes: codes, dict: names)
        case .date: return .date(d.int32Values)
        case .int64:
            switch spec.type {
            case .money: return .money(d.int64Values)
            case .timestamp: return .timestamp(d.int64Values)
            default: return .int(d.int64Values)
            }
        case .enumCode: return .enumeration(d.uint8Values, spec.enumValues)
        }
    }

    /// The query type of a KPI unit.
    static func type(of unit: KPIUnit) -> ValueType {
        switch unit {
        case .count, .integer: .int
        case .money: .money
        case .rate, .points, .percent, .days: .float
        case .text: .string
        }
    }

    /// The declared units of columns, by name.
    static func units(_ columns: [QueryColumn]) -> [String: KPIUnit] {
        var out: [String: KPIUnit] = [:]
        for c in columns { out[c.name] = c.unit }
        return out
    }

    /// A KPI's rows as a frame, typed by its declared columns (an all-null column keeps its type).
    static func kpi(_ table: KPITable, columns: [QueryColumn]) -> Frame {
        var cols: [Vector] = []
        for (c, column) in columns.enumerated() {
            let values = table.rows.map { $0[c] }
            switch column.type {
            case .int: cols.append(.int(values.map { if case .int(let v) = $0 { v } else { Int64.min } }))
            case .money: cols.append(.money(values.map { if case .money(let v) = $0 { v } else { Int64.min } }))
            case .string:
                var dict: [String] = [], index: [String: Int32] = [:]
                let codes = values.map { v -> Int32 in
                    guard case .text(let s) = v else { return -1 }
                    if let c = index[s] { return c }
                    index[s] = Int32(dict.count)
                    dict.append(s)
                    return Int32(dict.count - 1)
                }
                cols.append(.string(codes: codes, dict: dict))
            default: cols.append(.float(values.map { if case .decimal(let v) = $0 { v } else { .nan } }))
            }
        }
        return Frame(
            names: columns.map(\.name), columns: cols, count: table.rows.count, accountKey: nil, units: units(columns))
    }
}

/// The account ids of a snapshot as strings, made once per snapshot and shared.
final class AccountIDs: @unchecked Sendable {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: (root: String, commit: Int, ids: [String])?

    static func shared(_ snapshot: Snapshot) throws -> [String] {
        lock.lock()
        defer { lock.unlock() }
        if let c = cache, c.root == snapshot.root, c.commit == snapshot.commit { return c.ids }
        let ids = try TableScan(snapshot, "accounts").text("account_id").strings
        cache = (snapshot.root, snapshot.commit, ids)
        return ids
    }
}
