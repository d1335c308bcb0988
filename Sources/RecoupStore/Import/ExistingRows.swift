import Foundation

/// The rows of an event table already in the store, by id, for re-import checks.
final class ExistingRows: @unchecked Sendable {
    let snapshot: Snapshot
    let schema: TableSchema
    /// id → global row number (code order = stored order).
    let ids: ByteInterner
    private let segmentStarts: [Int]
    private var cacheSegment = -1
    private var cacheColumns: [ColumnData] = []
    private let lock = NSLock()

    init?(snapshot: Snapshot, schema: TableSchema) throws {
        let t = snapshot.table(schema.name)
        guard t.rows > 0 else { return nil }
        self.snapshot = snapshot
        self.schema = schema
        var ids = ByteInterner(capacity: t.rows)
        var starts: [Int] = []
        var n = 0
        for s in 0..<t.segments.count {
            starts.append(n)
            guard case .string(let col) = try snapshot.read(table: schema.name, segment: s, column: schema.keyColumn) else {
                throw RecoupError(.dataError, "store is damaged: \(schema.name).\(schema.keyColumn) is not text")
            }
            col.bytes.withUnsafeBytes { b in
                for i in 0..<col.count {
                    _ = ids.intern(UnsafeRawBufferPointer(rebasing: b[Int(col.offsets[i])..<Int(col.offsets[i + 1])]))
                }
            }
            n += col.count
        }
        self.ids = ids
        segmentStarts = starts
    }

    /// Whether stored row `row` equals row `pendingRow` of `buffer`.
    func matches(row: Int, _ buffer: borrowing RowBuffer, pendingRow: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        var s = segmentStarts.count - 1
        while segmentStarts[s] > row { s -= 1 }
        if s != cacheSegment {
            guard let cols = try? schema.columns.map({ try snapshot.read(table: schema.name, segment: s, column: $0.name) }) else { return false }
            cacheColumns = cols
            cacheSegment = s
        }
        return schema.columns.indices.allSatisfy { StoredValue(cacheColumns[$0], row: row - segmentStarts[s]) == buffer.value(column: $0, row: pendingRow) }
    }
}
