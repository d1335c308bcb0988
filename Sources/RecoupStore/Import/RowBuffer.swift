import Foundation

/// Typed, growable columns for the rows of one table during an import. A
/// row is appended column by column straight into the columns (the pending
/// row, at index `count`), then either committed or rolled back, so a bad row
/// leaves nothing behind and a good one is never copied twice.
struct RowBuffer {
    let schema: TableSchema
    /// Column index → slot within the arrays of its physical type.
    let slots: [Int]
    let physical: [PhysicalType]
    var u8: [[UInt8]]
    var i32: [[Int32]]
    var i64: [[Int64]]
    var str: [StringColumn]
    /// The line of each row within its chunk (for errors found after parsing).
    var lines: [Int32] = []
    fileprivate(set) var count = 0

    init(schema: TableSchema) {
        self.schema = schema
        var counts: [PhysicalType: Int] = [:]
        var slots: [Int] = []
        for c in schema.columns {
            let p = c.storage.physical
            slots.append(counts[p, default: 0])
            counts[p, default: 0] += 1
        }
        self.slots = slots
        physical = schema.columns.map(\.storage.physical)
        u8 = Array(repeating: [], count: counts[.uint8, default: 0])
        i32 = Array(repeating: [], count: counts[.int32, default: 0])
        i64 = Array(repeating: [], count: counts[.int64, default: 0])
        str = Array(repeating: StringColumn(), count: counts[.string, default: 0])
    }

    @inline(__always) mutating func push(_ slot: Int, _ v: UInt8) { u8[slot].append(v) }
    @inline(__always) mutating func push(_ slot: Int, _ v: Int32) { i32[slot].append(v) }
    @inline(__always) mutating func push(_ slot: Int, _ v: Int64) { i64[slot].append(v) }
    @inline(__always) mutating func push(_ slot: Int, _ b: UnsafeRawBufferPointer) { str[slot].append(b) }

    /// Values of the pending row.
    @inline(__always) func pendingI32(_ slot: Int) -> Int32 { i32[slot][count] }
    @inline(__always) func pendingI64(_ slot: Int) -> Int64 { i64[slot][count] }
    func withPendingText<R>(_ slot: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R { withText(slot: slot, row: count, body) }

    /// Drops the pending values of the first `columns` columns (schema order).
    mutating func rollback(columns: Int) {
        for c in 0..<columns {
            let s = slots[c]
            switch physical[c] {
            case .uint8: u8[s].removeLast()
            case .int32: i32[s].removeLast()
            case .int64: i64[s].removeLast()
            case .string:
                str[s].offsets.removeLast()
                str[s].bytes.removeSubrange(Int(str[s].offsets.last!)...)
            }
        }
    }

    /// Makes the pending row a row.
    @inline(__always) mutating func commitRow(line: Int) {
        lines.append(Int32(truncatingIfNeeded: line))
        count += 1
    }

    /// The rows of `parts` in order, except those in `skip[k]` of part k; each column is joined on its own core.
    static func concatenate(_ parts: [RowBuffer], skipping skip: [Set<Int>], schema: TableSchema) -> RowBuffer {
        var out = RowBuffer(schema: schema)
        guard !parts.isEmpty else { return out }
        let keep: [[Int]?] = parts.indices.map { k in skip[k].isEmpty ? nil : (0..<parts[k].count).filter { !skip[k].contains($0) } }
        func join<T>(_ arrays: [[T]]) -> [T] {
            var r: [T] = []
            r.reserveCapacity(arrays.reduce(0) { $0 + $1.count })
            for (k, a) in arrays.enumerated() {
                if let kk = keep[k] { r += kk.map { a[$0] } } else { r += a }
            }
            return r
        }
        let (nu8, ni32, ni64, nstr) = (out.u8.count, out.i32.count, out.i64.count, out.str.count)
        let jobs = nu8 + ni32 + ni64 + nstr + 1
        var u8 = out.u8, i32 = out.i32, i64 = out.i64, str = out.str, lines = out.lines
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: jobs) { j in
            switch j {
            case ..<nu8:
                let v = join(parts.map { $0.u8[j] }); lock.lock(); u8[j] = v; lock.unlock()
            case ..<(nu8 + ni32):
                let v = join(parts.map { $0.i32[j - nu8] }); lock.lock(); i32[j - nu8] = v; lock.unlock()
            case ..<(nu8 + ni32 + ni64):
                let v = join(parts.map { $0.i64[j - nu8 - ni32] }); lock.lock(); i64[j - nu8 - ni32] = v; lock.unlock()
            case ..<(jobs - 1):
                let s = j - nu8 - ni32 - ni64
                var col = StringColumn()
                col.bytes.reserveCapacity(parts.reduce(0) { $0 + $1.str[s].bytes.count })
                col.offsets.reserveCapacity(parts.reduce(0) { $0 + $1.count } + 1)
                for (k, p) in parts.enumerated() {
                    let src = p.str[s]
                    if let kk = keep[k] {
                        src.bytes.withUnsafeBytes { b in
                            for r in kk { col.append(UnsafeRawBufferPointer(rebasing: b[Int(src.offsets[r])..<Int(src.offsets[r + 1])])) }
                        }
                    } else {
                        let base = Int32(col.bytes.count)
                        col.bytes += src.bytes
                        col.offsets += src.offsets.dropFirst().map { $0 + base }
                    }
                }
                lock.lock(); str[s] = col; lock.unlock()
            default:
                let v = join(parts.map(\.lines)); lock.lock(); lines = v; lock.unlock()
            }
        }
        out.u8 = u8
        out.i32 = i32
        out.i64 = i64
        out.str = str
        out.lines = lines
        out.count = lines.count
        return out
    }

    /// The bytes of text column slot `s`, row `r`.
    func withText<R>(slot s: Int, row r: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let col = str[s]
        return col.bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[Int(col.offsets[r])..<Int(col.offsets[r + 1])])) }
    }

    func value(column c: Int, row r: Int) -> StoredValue {
        let s = slots[c]
        switch schema.columns[c].storage.physical {
        case .uint8: return .int(Int64(u8[s][r]))
        case .int32: return .int(Int64(i32[s][r]))
        case .int64: return .int(i64[s][r])
        case .string: return .bytes(Array(str[s].bytes[Int(str[s].offsets[r])..<Int(str[s].offsets[r + 1])]))
        }
    }

    /// The column's data for rows in `order` (a permutation or subset of row indexes).
    func column(_ c: Int, rows order: ArraySlice<Int>) -> ColumnData {
        let s = slots[c]
        switch schema.columns[c].storage.physical {
        case .uint8:
            let src = u8[s]
            return .uint8(order.map { src[$0] })
        case .int32:
            let src = i32[s]
            return .int32(order.map { src[$0] })
        case .int64:
            let src = i64[s]
            return .int64(order.map { src[$0] })
        case .string:
            let src = str[s]
            var out = StringColumn()
            out.offsets.reserveCapacity(order.count + 1)
            src.bytes.withUnsafeBytes { b in
                for r in order {
                    out.append(UnsafeRawBufferPointer(rebasing: b[Int(src.offsets[r])..<Int(src.offsets[r + 1])]))
                }
            }
            return .string(out)
        }
    }
}

/// One cell's value in a form that compares across staged, buffered and stored rows.
enum StoredValue: Equatable {
    case int(Int64)
    case bytes([UInt8])

    init(_ data: ColumnData, row r: Int) {
        switch data {
        case .uint8(let v): self = .int(Int64(v[r]))
        case .int32(let v): self = .int(Int64(v[r]))
        case .int64(let v): self = .int(v[r])
        case .string(let s): self = .bytes(Array(s.bytes[Int(s.offsets[r])..<Int(s.offsets[r + 1])]))
        }
    }
}
