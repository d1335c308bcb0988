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
    /// segments whose zone maps can satisfy `pruning`.
    static func load(_ table: String, snapshot: Snapshot, columns wanted: Set<String>?, pruning: [(String, Int64?, Int64?)]) throws -> Frame {
        guard let schema = Schema.table(table) else { throw QueryError("RQ201", "unknown table `\(table)`") }
        var scan = TableScan(snapshot, table)
        for (c, lo, hi) in pruning { scan = scan.pruned(c, atLeast: lo, atMost: hi) }
        let specs = schema.columns.filter { wanted?.contains($0.name) ?? true }
        var names = specs.map(\.name)
        var physical = specs.map { $0.name }
        let isEvent = schema.isEvent
        // The hidden account key: the account_id column of events, the row number of accounts.
        if isEvent && !physical.contains("account_id") { physical.append("account_id") }
        let data = try scan.read(physical)
        var cols: [Vector] = []
        var key: [Int32]?
        var accountIDs: StringColumn?
        for (i, name) in physical.enumerated() {
            let spec = schema.column(name)!
            if isEvent && name == "account_id" { key = data[i].int32Values }
            guard i < specs.count else { continue }
            switch spec.storage {
            case .text: cols.append(.text(data[i].stringValues, unique: name == schema.keyColumn))
            case .dictionary: cols.append(.dictionary(data[i].int32Values, snapshot.dictionary(table: table, column: name)))
            case .accountKey:
                if accountIDs == nil { accountIDs = try TableScan(snapshot, "accounts").text("account_id") }
                cols.append(.string(codes: data[i].int32Values, dict: accountIDs!.strings))
            case .date: cols.append(.date(data[i].int32Values))
            case .int64:
                switch spec.type {
                case .money: cols.append(.money(data[i].int64Values))
                case .timestamp: cols.append(.timestamp(data[i].int64Values))
                default: cols.append(.int(data[i].int64Values))
                }
            case .enumCode: cols.append(.enumeration(data[i].uint8Values, spec.enumValues))
            }
        }
        let n = data.first?.count ?? scan.rowCount
        if !isEvent {
            // Accounts: the key is the row number, over the kept segments.
            let t = snapshot.table(table)
            var k: [Int32] = []
            k.reserveCapacity(n)
            for s in scan.segments {
                let start = t.segments[..<s].reduce(0) { $0 + $1.rows }
                k += (0..<t.segments[s].rows).map { Int32(start + $0) }
            }
            key = k
        }
        names = Array(names.prefix(cols.count))
        return Frame(names: names, columns: cols, count: n, accountKey: key)
    }

    /// A KPI's rows as a frame (money stays money; rates are floats).
    static func kpi(_ table: KPITable) -> Frame {
        var cols: [Vector] = []
        for (c, _) in table.columns.enumerated() {
            let values = table.rows.map { $0[c] }
            let first = values.first { $0 != .null }
            switch first {
            case .int?: cols.append(.int(values.map { if case .int(let v) = $0 { v } else { Int64.min } }))
            case .money?: cols.append(.money(values.map { if case .money(let v) = $0 { v } else { Int64.min } }))
            case .text?:
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
        return Frame(names: table.columns, columns: cols, count: table.rows.count, accountKey: nil)
    }
}
