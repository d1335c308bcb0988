import Foundation
import RecoupStore

/// Reads columns of one table: only the columns asked for, only the segments
/// whose zone maps can hold matching rows, decoded in parallel across segments.
public struct TableScan: Sendable {
    public let snapshot: Snapshot
    public let table: String
    public private(set) var segments: [Int]

    public init(_ snapshot: Snapshot, _ table: String) {
        self.snapshot = snapshot
        self.table = table
        segments = Array(snapshot.table(table).segments.indices)
    }

    public var rowCount: Int { segments.reduce(0) { $0 + snapshot.table(table).segments[$1].rows } }

    /// The first row of each kept segment within the scan's rows, plus the total at the end.
    public var segmentStarts: [Int] {
        var starts = [0]
        for s in segments { starts.append(starts.last! + snapshot.table(table).segments[s].rows) }
        return starts
    }

    /// Keeps only segments whose zone map for `column` overlaps `[lo, hi]` (either side open when nil).
    public func pruned(_ column: String, atLeast lo: Int64? = nil, atMost hi: Int64? = nil) -> TableScan {
        var s = self
        let t = snapshot.table(table)
        s.segments = segments.filter { i in
            guard let b = t.segments[i].columns.first(where: { $0.column == column }) else { return true }
            guard let mn = b.min, let mx = b.max else { return b.nulls < t.segments[i].rows }
            if let lo, mx < lo { return false }
            if let hi, mn > hi { return false }
            return true
        }
        return s
    }

    /// Keeps only the leading kept segments that hold the first `n` rows (at least one segment when
    /// there are any): what `take N` with nothing before it needs to read.
    public func firstRows(_ n: Int) -> TableScan {
        var s = self
        let t = snapshot.table(table)
        var rows = 0, keep = 0
        while keep < segments.count && (keep == 0 || rows < n) {
            rows += t.segments[segments[keep]].rows
            keep += 1
        }
        s.segments = Array(segments.prefix(keep))
        return s
    }

    /// Keeps only the segments that can hold rows of the accounts `keys` (ascending): of `accounts`,
    /// the segments whose rows are those accounts; of an event table, those whose `account_id` zone
    /// map covers one of them.
    public func holding(accounts keys: [Int32]) -> TableScan {
        var s = self
        let t = snapshot.table(table)
        var start = [Int](repeating: 0, count: t.segments.count + 1)
        for (i, seg) in t.segments.enumerated() { start[i + 1] = start[i] + seg.rows }
        func any(in lo: Int64, _ hi: Int64) -> Bool {
            // The first key ≥ lo, by binary search; is it ≤ hi?
            var a = 0, b = keys.count
            while a < b { let m = (a + b) / 2; if Int64(keys[m]) < lo { a = m + 1 } else { b = m } }
            return a < keys.count && Int64(keys[a]) <= hi
        }
        s.segments = segments.filter { i in
            if table == "accounts" { return any(in: Int64(start[i]), Int64(start[i + 1] - 1)) }
            guard let b = t.segments[i].columns.first(where: { $0.column == "account_id" }), let mn = b.min, let mx = b.max else {
                return t.segments[i].rows > 0
            }
            return any(in: mn, mx)
        }
        return s
    }

    /// Only the kept segments at `positions` (0, 1, … in scan order), in that order.
    public func segments(at positions: [Int]) -> TableScan {
        var s = self
        s.segments = positions.map { segments[$0] }
        return s
    }

    /// The named columns over the kept segments, each concatenated in segment order.
    public func read(_ columns: [String]) throws -> [ColumnData] {
        let n = segments.count * columns.count
        var parts = [ColumnData?](repeating: nil, count: n)
        var failure: Error?
        let lock = NSLock()
        parts.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: n) { k in
                let (s, c) = (k / columns.count, k % columns.count)
                do {
                    out[k] = try snapshot.read(table: table, segment: segments[s], column: columns[c])
                } catch {
                    lock.lock(); failure = error; lock.unlock()
                }
            }
        }
        if let failure { throw failure }
        return (0..<columns.count).map { c in Concat.join((0..<segments.count).map { parts[$0 * columns.count + c]! }) }
    }

    /// Runs `body` on each kept segment's columns, segments in parallel (one
    /// task per segment), and returns the results in segment order. Memory
    /// stays at a few segments' worth, whatever the table's size.
    public func map<T>(_ columns: [String], _ body: @escaping ([ColumnData]) throws -> T) throws -> [T] {
        try mapSegments(columns) { _, cols in try body(cols) }
    }

    /// As `map`, also telling the body which kept segment (0, 1, … in scan order) it has.
    public func mapSegments<T>(_ columns: [String], _ body: @escaping (Int, [ColumnData]) throws -> T) throws -> [T] {
        var results = [T?](repeating: nil, count: segments.count)
        var failure: Error?
        let lock = NSLock()
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: segments.count) { k in
                do {
                    let cols = try columns.map { try snapshot.read(table: table, segment: segments[k], column: $0) }
                    out[k] = try body(k, cols)
                } catch {
                    lock.lock(); failure = error; lock.unlock()
                }
            }
        }
        if let failure { throw failure }
        return results.map { $0! }
    }

    /// Typed reads: a column the schema does not list, or of another physical type, is an error,
    /// never an empty array.
    public func int32(_ column: String) throws -> [Int32] { try typed(column, .int32).int32Values }
    public func int64(_ column: String) throws -> [Int64] { try typed(column, .int64).int64Values }
    public func uint8(_ column: String) throws -> [UInt8] { try typed(column, .uint8).uint8Values }
    public func text(_ column: String) throws -> StringColumn { try typed(column, .string).stringValues }

    func typed(_ column: String, _ type: PhysicalType) throws -> ColumnData {
        guard let spec = Schema.table(table)?.column(column) else {
            throw RecoupError(.internal, "table \(table) has no column \(column)")
        }
        guard spec.storage.physical == type else {
            throw RecoupError(.internal, "\(table).\(column) is stored as \(spec.storage.physical), not \(type)")
        }
        let c = try read([column])[0]
        // No segment at all: an empty column of the asked type.
        return c.count == 0 && c.type != type ? Self.empty(type) : c
    }

    static func empty(_ type: PhysicalType) -> ColumnData {
        switch type {
        case .uint8: .uint8([])
        case .int32: .int32([])
        case .int64: .int64([])
        case .string: .string(StringColumn())
        }
    }
}

public enum Concat {
    public static func flatten<T>(_ parts: [[T]]) -> [T] {
        var out: [T] = []
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for p in parts { out.append(contentsOf: p) }
        return out
    }

    public static func join(_ parts: [ColumnData]) -> ColumnData {
        guard let first = parts.first else { return .int64([]) }
        if parts.count == 1 { return first }
        switch first {
        case .uint8: return .uint8(flatten(parts.map(\.uint8Values)))
        case .int32: return .int32(flatten(parts.map(\.int32Values)))
        case .int64: return .int64(flatten(parts.map(\.int64Values)))
        case .string:
            var out = StringColumn()
            out.bytes.reserveCapacity(parts.reduce(0) { $0 + $1.stringValues.bytes.count })
            for p in parts {
                let s = p.stringValues
                let base = Int32(out.bytes.count)
                out.bytes += s.bytes
                out.offsets += s.offsets.dropFirst().map { $0 + base }
            }
            return .string(out)
        }
    }
}

extension ColumnData {
    public var int32Values: [Int32] { if case .int32(let v) = self { v } else { [] } }
    public var int64Values: [Int64] { if case .int64(let v) = self { v } else { [] } }
    public var uint8Values: [UInt8] { if case .uint8(let v) = self { v } else { [] } }
    public var stringValues: StringColumn { if case .string(let v) = self { v } else { StringColumn() } }
}
