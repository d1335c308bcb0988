import Foundation

/// Reads the CSV files of one table into a `RowBuffer`, validating every
/// value and row against DATA.md and resolving account references.
final class TableImport {
    let schema: TableSchema
    var buffer: RowBuffer
    /// For accounts: the account key of each buffered row.
    var keys: [Int32] = []
    /// Dictionary-stored columns: column index → interner (seeded from the store).
    var dictionaries: [Int: ByteInterner]
    var accountKeys: ByteInterner
    let existing: ExistingRows?
    var newIDs = ByteInterner()
    var bad: [BadRow] = []
    var skippedDuplicates = 0
    var rowsRead = 0
    let keepGoing: Bool
    static let maxErrors = 20

    private let enumWords: [[[UInt8]]]
    private var stagedKey: Int32 = 0

    init(schema: TableSchema, dictionaries: [Int: ByteInterner], accountKeys: ByteInterner, existing: ExistingRows?, keepGoing: Bool) {
        self.schema = schema
        self.buffer = RowBuffer(schema: schema)
        self.dictionaries = dictionaries
        self.accountKeys = accountKeys
        self.existing = existing
        self.keepGoing = keepGoing
        enumWords = schema.columns.map { $0.enumValues.map { Array($0.utf8) } }
    }

    var full: Bool { !keepGoing && bad.count >= Self.maxErrors }

    /// A problem with the file as a whole (header, syntax); never a reject.
    struct FileError: Error { let row: BadRow }

    func read(path: String, name: String) throws {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch let e as CSVReader.SyntaxError {
            throw RecoupError(.noInput, "cannot read \(path): \(e.reason)")
        }
        do {
            guard try reader.next() else {
                throw FileError(row: BadRow(file: name, line: 1, column: 0, columnName: "", value: "", reason: "is empty: expected a header line", record: ""))
            }
            let fileIndex = try mapHeader(reader, name: name)
            let width = reader.fieldCount
            while !full, try reader.next() {
                if reader.fieldCount == 1 && reader.field(0).count == 0 { continue }  // blank line
                rowsRead += 1
                if reader.fieldCount != width {
                    reject(reader, name, 0, "", "", "has \(reader.fieldCount) fields; the header has \(width)")
                    continue
                }
                importRow(reader, name: name, fileIndex: fileIndex)
            }
        } catch let e as CSVReader.SyntaxError {
            throw FileError(row: BadRow(file: name, line: e.line, column: 0, columnName: "", value: "", reason: e.reason, record: ""))
        }
    }

    /// Schema column → field index in the file (-1 when an optional column is absent).
    private func mapHeader(_ r: CSVReader, name: String) throws -> [Int] {
        var index = [Int](repeating: -1, count: schema.columns.count)
        func fail(_ reason: String) -> FileError {
            FileError(row: BadRow(file: name, line: r.line, column: 0, columnName: "", value: "", reason: reason, record: ""))
        }
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
        return index
    }

    private func reject(_ r: CSVReader, _ name: String, _ field: Int, _ column: String, _ value: String, _ reason: String) {
        bad.append(BadRow(file: name, line: r.line, column: field, columnName: column, value: value,
                          reason: reason, record: String(decoding: r.rawRecord, as: UTF8.self)))
    }

    private func importRow(_ r: CSVReader, name: String, fileIndex: [Int]) {
        buffer.beginRow()
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        for (c, spec) in schema.columns.enumerated() {
            let f = fileIndex[c]
            let b = f >= 0 ? r.field(f) : empty
            if let reason = stage(column: c, spec, b) {
                reject(r, name, f + 1, spec.name, String(decoding: b, as: UTF8.self), reason)
                return
            }
        }
        if let (c, reason) = checkRow() {
            let f = fileIndex[c]
            reject(r, name, f + 1, schema.columns[c].name, f >= 0 ? r.fieldString(f) : "", reason)
            return
        }
        if schema.isEvent {
            let id = buffer.stagedString(slot: buffer.slots[0])
            let outcome: String? = id.withUnsafeBytes { idBytes in
                if let existing, let code = existing.ids.find(idBytes) {
                    let same = (0..<schema.columns.count).allSatisfy { existing.value(row: Int(code), column: $0) == buffer.stagedValue(column: $0) }
                    return same ? "skip" : "conflict with the row already stored under this id"
                }
                let (code, isNew) = newIDs.intern(idBytes)
                if isNew { return nil }
                let same = (0..<schema.columns.count).allSatisfy { buffer.value(column: $0, row: Int(code)) == buffer.stagedValue(column: $0) }
                return same ? "skip" : "conflict with an earlier row of this import with the same id"
            }
            switch outcome {
            case nil: break
            case "skip"?: skippedDuplicates += 1; return
            case let reason?:
                reject(r, name, fileIndex[0] + 1, schema.keyColumn, String(decoding: id, as: UTF8.self), reason)
                return
            }
        } else {
            let id = buffer.stagedString(slot: buffer.slots[0])
            keys.append(id.withUnsafeBytes { accountKeys.intern($0).code })
        }
        buffer.commitRow()
    }

    /// Converts one field into the staged row; returns why it is bad, or nil.
    private func stage(column c: Int, _ spec: ColumnSpec, _ b: UnsafeRawBufferPointer) -> String? {
        let s = buffer.slots[c]
        if b.count == 0 && !spec.required {
            switch spec.storage {
            case .dictionary, .date, .accountKey: buffer.stagedI32[s] = Null.int32
            case .int64: buffer.stagedI64[s] = Null.int64
            case .text: buffer.stageString(column: c, b)
            case .enumCode: return "is required"
            }
            if spec.name == "status_date" { buffer.stagedI32[s] = buffer.stagedI32[buffer.slots[schema.index(of: "placed_date")!]] }
            return nil
        }
        if b.count == 0 { return "is required" }
        switch spec.storage {
        case .text:
            if let why = spec.type == .id ? FieldParsers.checkID(b) : FieldParsers.checkText(b) { return why }
            buffer.stageString(column: c, b)
        case .dictionary:
            if let why = spec.type == .id ? FieldParsers.checkID(b) : FieldParsers.checkText(b) { return why }
            if let code = dictionaries[c]!.find(b) {
                buffer.stagedI32[s] = code
            } else {
                if spec.name == "timezone" && TimeZoneCache.shared.table(String(decoding: b, as: UTF8.self)) == nil {
                    return "is not a known IANA time zone (for example America/Chicago)"
                }
                buffer.stagedI32[s] = dictionaries[c]!.intern(b).code
            }
        case .accountKey:
            if let why = FieldParsers.checkID(b) { return why }
            guard let key = accountKeys.find(b) else { return "names an unknown account (neither in the store nor in this import)" }
            buffer.stagedI32[s] = key
        case .date:
            switch FieldParsers.date(b) {
            case .ok(let d): buffer.stagedI32[s] = d
            case .bad(let why): return why
            }
        case .int64:
            let parsed: FieldParsers.Result<Int64>
            switch spec.type {
            case .timestamp: parsed = FieldParsers.timestamp(b)
            case .money: parsed = FieldParsers.money(b)
            default: parsed = FieldParsers.int(b)
            }
            switch parsed {
            case .ok(let v):
                if v == Null.int64 { return "is out of range" }
                buffer.stagedI64[s] = v
            case .bad(let why): return why
            }
        case .enumCode:
            guard let code = FieldParsers.enumCode(b, enumWords[c]) else {
                return "is not one of: " + spec.enumValues.joined(separator: ", ")
            }
            buffer.stagedU8[s] = code
        }
        return nil
    }

    private func i32(_ name: String) -> Int32 { buffer.stagedI32[buffer.slots[schema.index(of: name)!]] }
    private func i64(_ name: String) -> Int64 { buffer.stagedI64[buffer.slots[schema.index(of: name)!]] }
    private func col(_ name: String) -> Int { schema.index(of: name)! }

    /// Rules between values of one row; returns the column to blame and why.
    private func checkRow() -> (Int, String)? {
        switch schema.name {
        case "accounts":
            let opened = i32("opened_date")
            if i32("due_date") < opened { return (col("due_date"), "is before opened_date \(CivilDate.format(opened))") }
            if i32("placed_date") < opened { return (col("placed_date"), "is before opened_date \(CivilDate.format(opened))") }
            if i64("principal") <= 0 { return (col("principal"), "must be greater than 0") }
            let score = i64("credit_score")
            if score != Null.int64 && (score < 300 || score > 850) { return (col("credit_score"), "is outside 300..850") }
        case "contacts":
            let d = i64("duration_s")
            if d != Null.int64 && d < 0 { return (col("duration_s"), "must be ≥ 0") }
        case "payments":
            if i64("amount") == 0 { return (col("amount"), "must not be 0") }
        case "promises":
            let created = i32("created_date")
            if i32("due_date") < created { return (col("due_date"), "is before created_date \(CivilDate.format(created))") }
            if i64("amount") <= 0 { return (col("amount"), "must be greater than 0") }
        default: break
        }
        return nil
    }
}

/// The rows of an event table already in the store, by id, for re-import checks.
final class ExistingRows {
    let snapshot: Snapshot
    let schema: TableSchema
    /// id → global row number (code order = stored order).
    let ids: ByteInterner
    private let segmentStarts: [Int]
    private var cacheSegment = -1
    private var cacheColumns: [ColumnData] = []

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

    func value(row: Int, column: Int) -> StoredValue? {
        var s = segmentStarts.count - 1
        while segmentStarts[s] > row { s -= 1 }
        if s != cacheSegment {
            guard let cols = try? schema.columns.map({ try snapshot.read(table: schema.name, segment: s, column: $0.name) }) else { return nil }
            cacheColumns = cols
            cacheSegment = s
        }
        return StoredValue(cacheColumns[column], row: row - segmentStarts[s])
    }
}
