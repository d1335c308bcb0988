/// Typed, growable columns for the rows of one table during an import, plus
/// a one-row staging area so a row is appended whole or not at all.
struct RowBuffer {
    let schema: TableSchema
    /// Column index → slot within the arrays of its physical type.
    let slots: [Int]
    var u8: [[UInt8]]
    var i32: [[Int32]]
    var i64: [[Int64]]
    var str: [StringColumn]
    /// The line of each row within its chunk (for errors found after parsing).
    var lines: [Int32] = []
    private(set) var count = 0

    // The staged row.
    var stagedU8: [UInt8]
    var stagedI32: [Int32]
    var stagedI64: [Int64]
    /// Staged strings are copied into one scratch heap.
    var stagedHeap: [UInt8] = []
    var stagedOffsets: [Int]

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
        u8 = Array(repeating: [], count: counts[.uint8, default: 0])
        i32 = Array(repeating: [], count: counts[.int32, default: 0])
        i64 = Array(repeating: [], count: counts[.int64, default: 0])
        str = Array(repeating: StringColumn(), count: counts[.string, default: 0])
        stagedU8 = Array(repeating: 0, count: u8.count)
        stagedI32 = Array(repeating: 0, count: i32.count)
        stagedI64 = Array(repeating: 0, count: i64.count)
        stagedOffsets = Array(repeating: 0, count: str.count + 1)
    }

    mutating func beginRow() {
        stagedHeap.removeAll(keepingCapacity: true)
    }

    mutating func stageString(column c: Int, _ b: UnsafeRawBufferPointer) {
        let s = slots[c]
        stagedOffsets[s] = stagedHeap.count
        stagedHeap.append(contentsOf: b)
        stagedOffsets[s + 1] = stagedHeap.count
    }

    func stagedString(slot s: Int) -> ArraySlice<UInt8> { stagedHeap[stagedOffsets[s]..<stagedOffsets[s + 1]] }

    /// Appends the staged row.
    mutating func commitRow(line: Int) {
        lines.append(Int32(truncatingIfNeeded: line))
        for k in 0..<u8.count { u8[k].append(stagedU8[k]) }
        for k in 0..<i32.count { i32[k].append(stagedI32[k]) }
        for k in 0..<i64.count { i64[k].append(stagedI64[k]) }
        for k in 0..<str.count {
            stagedHeap.withUnsafeBytes { h in
                str[k].append(UnsafeRawBufferPointer(rebasing: h[stagedOffsets[k]..<stagedOffsets[k + 1]]))
            }
        }
        count += 1
    }

    /// Appends `other`'s rows except those in `skip`.
    mutating func append(_ other: RowBuffer, skipping skip: Set<Int>) {
        let keep: [Int]? = skip.isEmpty ? nil : (0..<other.count).filter { !skip.contains($0) }
        func take<T>(_ src: [T]) -> [T] { keep.map { $0.map { src[$0] } } ?? src }
        for k in 0..<u8.count { u8[k] += take(other.u8[k]) }
        for k in 0..<i32.count { i32[k] += take(other.i32[k]) }
        for k in 0..<i64.count { i64[k] += take(other.i64[k]) }
        for k in 0..<str.count {
            let src = other.str[k]
            if let keep {
                src.bytes.withUnsafeBytes { b in
                    for r in keep { str[k].append(UnsafeRawBufferPointer(rebasing: b[Int(src.offsets[r])..<Int(src.offsets[r + 1])])) }
                }
            } else {
                let base = Int32(str[k].bytes.count)
                str[k].bytes += src.bytes
                str[k].offsets += src.offsets.dropFirst().map { $0 + base }
            }
        }
        lines += take(other.lines)
        count += keep?.count ?? other.count
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

    func stagedValue(column c: Int) -> StoredValue {
        let s = slots[c]
        switch schema.columns[c].storage.physical {
        case .uint8: return .int(Int64(stagedU8[s]))
        case .int32: return .int(Int64(stagedI32[s]))
        case .int64: return .int(stagedI64[s])
        case .string: return .bytes(Array(stagedString(slot: s)))
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
