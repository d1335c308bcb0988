import RecoupEngine
import RecoupStore

/// A materialized relation: named columns of equal length. `accountKey`
/// (hidden) is the account of each row when the rows come from a table,
/// so joins to accounts and local-time functions need no lookup. `units`
/// says what a column's numbers mean where that is known (a KPI's declared
/// fields, and what the stages derive from them: `Units`).
struct Frame {
    var names: [String]
    var columns: [Vector]
    var count: Int
    var accountKey: [Int32]?
    var units: [String: ColumnUnit] = [:]

    func index(of name: String) -> Int? { names.lastIndex(of: name) }

    func unit(of name: String) -> ColumnUnit? { units[name] }

    mutating func set(_ name: String, _ v: Vector, unit: ColumnUnit? = nil) {
        if let i = index(of: name) { columns[i] = v } else { names.append(name); columns.append(v) }
        units[name] = unit
    }

    /// The rows in `rows`, in that order.
    func gather(_ rows: [Int32]) -> Frame {
        Frame(names: names, columns: columns.map { $0.gather(rows) }, count: rows.count,
              accountKey: accountKey.map { k in rows.map { k[Int($0)] } }, units: units)
    }
}
