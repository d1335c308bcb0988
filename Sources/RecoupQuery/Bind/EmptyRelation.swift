import RecoupStore

/// Zero-row relations with the columns and types of a source: what the binder runs the query on.
enum EmptyRelation {
    static func vector(_ type: ValueType) -> Vector {
        switch type {
        case .int: .int([])
        case .money: .money([])
        case .float: .float([])
        case .date: .date([])
        case .timestamp: .timestamp([])
        case .bool: .bool([])
        case .string: .string(codes: [], dict: [])
        case .null: .null(0)
        }
    }

    /// A stored table: its rows carry account keys (the hidden key joins and local time use).
    static func table(_ name: String) -> Frame {
        let columns = Tables.columns(name)
        return Frame(names: columns.map(\.name), columns: columns.map { vector($0.type) }, count: 0, accountKey: [])
    }

    /// The score file's columns.
    static var scores: Frame {
        Frame(
            names: Executor.scoreColumns.map(\.name), columns: Executor.scoreColumns.map { vector($0.type) },
            count: 0, accountKey: nil)
    }
}
