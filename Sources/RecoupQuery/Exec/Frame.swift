import RecoupStore

/// A materialized relation: named columns of equal length. `accountKey`
/// (hidden) is the account of each row when the rows come from a table,
/// so joins to accounts and local-time functions need no lookup.
struct Frame {
    var names: [String]
    var columns: [Vector]
    var count: Int
    var accountKey: [Int32]?

    func index(of name: String) -> Int? { names.lastIndex(of: name) }

    mutating func set(_ name: String, _ v: Vector) {
        if let i = index(of: name) { columns[i] = v } else { names.append(name); columns.append(v) }
    }

    /// The rows in `rows`, in that order.
    func gather(_ rows: [Int32]) -> Frame {
        Frame(names: names, columns: columns.map { $0.gather(rows) }, count: rows.count,
              accountKey: accountKey.map { k in rows.map { k[Int($0)] } })
    }
}
