import Foundation
import RecoupStore

/// A text column read lazily by segment: `self[row]` decodes the row's segment
/// on first use and keeps it. Thread-safe.
public final class SegmentedText: @unchecked Sendable {
    private let snapshot: Snapshot
    private let table: String
    private let column: String
    private let starts: [Int]
    private var cache: [Int: StringColumn] = [:]
    private let lock = NSLock()

    public init(_ snapshot: Snapshot, table: String, column: String) {
        self.snapshot = snapshot
        self.table = table
        self.column = column
        starts = TableScan(snapshot, table).segmentStarts
    }

    private func segment(of row: Int) -> Int {
        var lo = 0, hi = starts.count - 1
        while hi - lo > 1 {
            let m = (lo + hi) / 2
            if starts[m] <= row { lo = m } else { hi = m }
        }
        return lo
    }

    private func column(_ s: Int) -> StringColumn {
        lock.lock()
        defer { lock.unlock() }
        if let c = cache[s] { return c }
        let c = ((try? snapshot.read(table: table, segment: s, column: column))?.stringValues) ?? StringColumn()
        cache[s] = c
        return c
    }

    public subscript(row: Int) -> String {
        let s = segment(of: row)
        return column(s)[row - starts[s]]
    }

    /// Byte-wise order of rows i and j.
    public func lexicographicallyPrecedes(_ i: Int, _ j: Int) -> Bool {
        self[i].utf8.lexicographicallyPrecedes(self[j].utf8)
    }
}

extension StringColumn {
    /// Byte-wise order of rows i and j.
    public func lexicographicallyPrecedes(_ i: Int, _ j: Int) -> Bool {
        bytes[Int(offsets[i])..<Int(offsets[i + 1])].lexicographicallyPrecedes(
            bytes[Int(offsets[j])..<Int(offsets[j + 1])])
    }
}
