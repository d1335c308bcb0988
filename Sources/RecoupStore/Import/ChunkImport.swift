import Foundation

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
