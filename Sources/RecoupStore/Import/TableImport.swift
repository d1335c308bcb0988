import Foundation

/// The header of one CSV file, mapped onto its table's schema.
struct FileHeader {
    /// Schema column → field index in the file (-1 when an optional column is absent).
    let fieldIndex: [Int]
    let width: Int
    /// Where the first record after the header starts, and how many lines the header took.
    let dataOffset: Int
    let lines: Int

    /// A problem with the file as a whole (header, syntax); never a reject.
    struct FileError: Error { let row: BadRow }

    static func read(path: String, name: String, schema: TableSchema) throws -> FileHeader {
        let r: CSVReader
        do { r = try CSVReader(path: path, bufferSize: 1 << 16) } catch let e as CSVReader.SyntaxError {
            throw RecoupError(.noInput, "cannot read \(path): \(e.reason)")
        }
        func fail(_ reason: String, line: Int = 1) -> FileError {
            FileError(row: BadRow(file: name, line: line, column: 0, columnName: "", value: "", reason: reason, record: ""))
        }
        do {
            guard try r.next() else { throw fail("is empty: expected a header line") }
        } catch let e as CSVReader.SyntaxError {
            throw fail(e.reason, line: e.line)
        }
        var index = [Int](repeating: -1, count: schema.columns.count)
        for f in 0..<r.fieldCount {
            let h = r.fieldString(f).trimmingCharacters(in: .whitespaces)
            guard let c = schema.index(of: h) else {
                let known = schema.columns.map(\.name)
                let hint = Suggest.closest(h, in: known).map { "; did you mean `\($0)`?" } ?? ""
                throw fail("unknown column `\(h)` in the header\(hint) (\(schema.fileName) has: \(known.joined(separator: ", ")))")
            }
            if index[c] >= 0 { throw fail("duplicate column `\(h)` in the header") }
            index[c] = f
        }
        for (c, spec) in schema.columns.enumerated() where spec.required && index[c] < 0 {
            throw fail("missing required column `\(spec.name)` in the header")
        }
        return FileHeader(fieldIndex: index, width: r.fieldCount, dataOffset: r.offset, lines: r.linesRead)
    }
}

/// Reads one byte range of one CSV file into a `RowBuffer`, validating every
/// value and row against DATA.md and resolving account references. Chunks of
/// a file are read in parallel, then merged in order by `TableMerge`.
final class ChunkImport {
    let schema: TableSchema
    let name: String
    let path: String
    let range: Range<Int>
    let header: FileHeader
    var buffer: RowBuffer
    /// Dictionary-stored columns: column index → interner, seeded with the
    /// store's dictionary; codes past the seed are local to this chunk.
    var dictionaries: [ByteInterner?]
    let dictionarySeed: [Int]
    let accountKeys: ByteInterner
    let existing: ExistingRows?
    var bad: [BadRow] = []
    var skippedDuplicates = 0
    var rowsRead = 0
    var linesRead = 0
    let keepGoing: Bool
    static let maxErrors = 20

    private let enumWords: [[[UInt8]]]
    private let storage: [StorageKind]
    private let types: [LogicalType]
    private let required: [Bool]
    private let isEvent: Bool
    /// Whether every id so far was greater (bytewise) than the one before:
    /// then this chunk holds no duplicate ids (the common case of exports sorted by id).
    var idsAscending = true
    var firstID: [UInt8] = []
    var lastID: [UInt8] = []
    private let statusDate: Int
    private let placedDate: Int
    private let timezone: Int
    private let rowRule: RowRule

    init(schema: TableSchema, name: String, path: String, range: Range<Int>, header: FileHeader,
         dictionaries: [ByteInterner?], accountKeys: ByteInterner, existing: ExistingRows?, keepGoing: Bool) {
        self.schema = schema
        self.name = name
        self.path = path
        self.range = range
        self.header = header
        self.buffer = RowBuffer(schema: schema)
        self.dictionaries = dictionaries
        self.dictionarySeed = dictionaries.map { $0?.count ?? 0 }
        self.accountKeys = accountKeys
        self.existing = existing
        self.keepGoing = keepGoing
        enumWords = schema.columns.map { $0.enumValues.map { Array($0.utf8) } }
        storage = schema.columns.map(\.storage)
        types = schema.columns.map(\.type)
        required = schema.columns.map(\.required)
        isEvent = schema.isEvent
        statusDate = schema.index(of: "status_date") ?? -1
        placedDate = schema.index(of: "placed_date") ?? -1
        timezone = schema.index(of: "timezone") ?? -1
        rowRule = RowRule(schema)
    }

    var full: Bool { !keepGoing && bad.count >= Self.maxErrors }

    func read() throws {
        let reader: CSVReader
        do { reader = try CSVReader(path: path, range: range) } catch let e as CSVReader.SyntaxError {
            throw RecoupError(.noInput, "cannot read \(path): \(e.reason)")
        }
        do {
            // The rows go into a local buffer (moved out of self, so appends never copy).
            var buf = buffer
            buffer = RowBuffer(schema: schema)
            defer { buffer = buf }
            let width = header.width
            while !full, try reader.next() {
                if reader.fieldCount == 1 && reader.field(0).count == 0 { continue }  // blank line
                rowsRead += 1
                if reader.fieldCount != width {
                    reject(reader, 0, "", "", "has \(reader.fieldCount) fields; the header has \(width)")
                    continue
                }
                importRow(reader, &buf)
            }
            linesRead = reader.linesRead
        } catch let e as CSVReader.SyntaxError {
            syntaxError = BadRow(file: name, line: e.line, column: 0, columnName: "", value: "", reason: e.reason, record: "")
        }
    }

    /// A syntax error ends the chunk; its line is relative to the chunk's start.
    var syntaxError: BadRow?

    private func reject(_ r: CSVReader, _ field: Int, _ column: String, _ value: String, _ reason: String) {
        bad.append(BadRow(file: name, line: r.line, column: field, columnName: column, value: value,
                          reason: reason, record: String(decoding: r.rawRecord, as: UTF8.self)))
    }

    private func importRow(_ r: CSVReader, _ buffer: inout RowBuffer) {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        let fieldIndex = header.fieldIndex
        let n = storage.count
        for c in 0..<n {
            let f = fieldIndex[c]
            let b = f >= 0 ? r.field(f) : empty
            if let reason = stage(column: c, storage[c], b, &buffer) {
                buffer.rollback(columns: c)
                reject(r, f + 1, schema.columns[c].name, String(decoding: b, as: UTF8.self), reason)
                return
            }
        }
        if let (c, reason) = rowRule.check(&buffer) {
            buffer.rollback(columns: n)
            let f = fieldIndex[c]
            reject(r, f + 1, schema.columns[c].name, f >= 0 ? r.fieldString(f) : "", reason)
            return
        }
        if isEvent, let existing {
            let stored: Int32? = buffer.withPendingText(buffer.slots[0]) { existing.ids.find($0) }
            if let stored {
                let same = existing.matches(row: Int(stored), buffer, pendingRow: buffer.count)
                let id = buffer.withPendingText(buffer.slots[0]) { String(decoding: $0, as: UTF8.self) }
                buffer.rollback(columns: n)
                if same {
                    skippedDuplicates += 1
                } else {
                    reject(r, fieldIndex[0] + 1, schema.keyColumn, id, "conflict with the row already stored under this id")
                }
                return
            }
        }
        if isEvent && idsAscending {
            let first = buffer.count == 0
            buffer.withPendingText(buffer.slots[0]) { id in
                if first {
                    firstID = Array(id)
                } else if !lastID.lexicographicallyPrecedes(id) {
                    idsAscending = false
                }
                lastID.removeAll(keepingCapacity: true)
                lastID.append(contentsOf: id)
            }
        }
        buffer.commitRow(line: r.line)
    }

    /// Converts one field and appends it to the pending row; returns why it is bad (appending nothing), or nil.
    @inline(__always)
    private func stage(column c: Int, _ kind: StorageKind, _ b: UnsafeRawBufferPointer, _ buffer: inout RowBuffer) -> String? {
        let s = buffer.slots[c]
        if b.count == 0 {
            if required[c] { return "is required" }
            switch kind {
            case .dictionary, .accountKey: buffer.push(s, Null.int32)
            case .date:
                // DATA.md: an empty status_date means placed_date.
                buffer.push(s, c == statusDate ? buffer.pendingI32(buffer.slots[placedDate]) : Null.int32)
            case .int64: buffer.push(s, Null.int64)
            case .text: buffer.push(s, b)
            case .enumCode: return "is required"
            }
            return nil
        }
        switch kind {
        case .text:
            if let why = types[c] == .id ? FieldParsers.checkID(b) : FieldParsers.checkText(b) { return why }
            buffer.push(s, b)
        case .dictionary:
            if let code = dictionaries[c]!.find(b) {
                buffer.push(s, code)
            } else {
                if let why = types[c] == .id ? FieldParsers.checkID(b) : FieldParsers.checkText(b) { return why }
                if c == timezone && TimeZoneCache.shared.table(String(decoding: b, as: UTF8.self)) == nil {
                    return "is not a known IANA time zone (for example America/Chicago)"
                }
                buffer.push(s, dictionaries[c]!.intern(b).code)
            }
        case .accountKey:
            guard let key = accountKeys.find(b) else {
                return FieldParsers.checkID(b) ?? "names an unknown account (neither in the store nor in this import)"
            }
            buffer.push(s, key)
        case .date:
            switch FieldParsers.date(b) {
            case .ok(let d): buffer.push(s, d)
            case .bad(let why): return why
            }
        case .int64:
            let parsed: FieldParsers.Result<Int64>
            switch types[c] {
            case .timestamp: parsed = FieldParsers.timestamp(b)
            case .money: parsed = FieldParsers.money(b)
            default: parsed = FieldParsers.int(b)
            }
            switch parsed {
            case .ok(let v):
                if v == Null.int64 { return "is out of range" }
                buffer.push(s, v)
            case .bad(let why): return why
            }
        case .enumCode:
            guard let code = FieldParsers.enumCode(b, enumWords[c]) else {
                return "is not one of: " + schema.columns[c].enumValues.joined(separator: ", ")
            }
            buffer.push(s, code)
        }
        return nil
    }
}

/// Rules between the values of one row (DATA.md), with column slots resolved once.
struct RowRule {
    enum Kind { case accounts, contacts, payments, promises }
    let kind: Kind
    let a: Int, b: Int, c: Int, d: Int, e: Int  // column indexes, meaning by kind
    let sa: Int, sb: Int, sc: Int, sd: Int, se: Int  // their slots

    init(_ schema: TableSchema) {
        let buffer = RowBuffer(schema: schema)
        func ix(_ n: String) -> Int { schema.index(of: n)! }
        let cols: [Int]
        switch schema.name {
        case "accounts":
            kind = .accounts
            cols = [ix("opened_date"), ix("due_date"), ix("placed_date"), ix("principal"), ix("credit_score")]
        case "contacts":
            kind = .contacts
            cols = [ix("duration_s"), 0, 0, 0, 0]
        case "payments":
            kind = .payments
            cols = [ix("amount"), 0, 0, 0, 0]
        default:
            kind = .promises
            cols = [ix("created_date"), ix("due_date"), ix("amount"), 0, 0]
        }
        (a, b, c, d, e) = (cols[0], cols[1], cols[2], cols[3], cols[4])
        (sa, sb, sc, sd, se) = (buffer.slots[a], buffer.slots[b], buffer.slots[c], buffer.slots[d], buffer.slots[e])
    }

    /// The column to blame and why, or nil when the staged row is consistent.
    func check(_ r: inout RowBuffer) -> (Int, String)? {
        switch kind {
        case .accounts:
            let opened = r.pendingI32(sa)
            if r.pendingI32(sb) < opened { return (b, "is before opened_date \(CivilDate.format(opened))") }
            if r.pendingI32(sc) < opened { return (c, "is before opened_date \(CivilDate.format(opened))") }
            if r.pendingI64(sd) <= 0 { return (d, "must be greater than 0") }
            let score = r.pendingI64(se)
            if score != Null.int64 && (score < 300 || score > 850) { return (e, "is outside 300..850") }
        case .contacts:
            let v = r.pendingI64(sa)
            if v != Null.int64 && v < 0 { return (a, "must be ≥ 0") }
        case .payments:
            if r.pendingI64(sa) == 0 { return (a, "must not be 0") }
        case .promises:
            let created = r.pendingI32(sa)
            if r.pendingI32(sb) < created { return (b, "is before created_date \(CivilDate.format(created))") }
            if r.pendingI64(sc) <= 0 { return (c, "must be greater than 0") }
        }
        return nil
    }
}

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
