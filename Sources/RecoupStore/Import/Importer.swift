import Foundation

/// What an import did, per table.
public struct ImportSummary: Sendable {
    public struct Counts: Sendable {
        public var read = 0
        public var added = 0
        public var updated = 0
        public var skipped = 0
        public var rejected = 0
    }

    /// The new commit, or nil when the import brought nothing new.
    public var commit: Int?
    public var previousCommit: Int
    public var tables: [(name: String, counts: Counts)] = []
    public var rejects: [BadRow] = []
}

/// One import = one transaction (DATA.md): everything commits, or nothing.
public enum Importer {
    /// Rows per segment (row group).
    public static let segmentRows = 122_880
    /// Files are read in parallel ranges of about this size.
    nonisolated(unsafe) static var chunkBytes = 24 << 20

    public static func run(store root: String, paths: [String], rejectsPath: String? = nil) throws -> ImportSummary {
        let sources = try ImportSources.resolve(paths)
        let writer = try StoreWriter(root: root, create: true)
        let base = writer.base
        let keepGoing = rejectsPath != nil

        // Account keys: code = row of the account in the accounts table.
        var accountKeys = ByteInterner(capacity: max(base.rows("accounts"), 1024))
        for col in try base.readAll(table: "accounts", column: "account_id") {
            guard case .string(let s) = col else { throw RecoupError(.dataError, "store is damaged: accounts.account_id is not text") }
            s.bytes.withUnsafeBytes { b in
                for i in 0..<s.count { _ = accountKeys.intern(UnsafeRawBufferPointer(rebasing: b[Int(s.offsets[i])..<Int(s.offsets[i + 1])])) }
            }
        }
        let baseAccounts = accountKeys.count
        Trace.mark("open store, \(baseAccounts) account keys")

        func dictionaries(_ schema: TableSchema) -> [ByteInterner?] {
            schema.columns.map { spec in
                guard spec.storage == .dictionary else { return nil }
                var i = ByteInterner()
                for v in base.dictionary(table: schema.name, column: spec.name) { _ = i.intern(v) }
                return i
            }
        }

        // Headers first (a bad header fails at once), then each file cut into
        // ranges that are read in parallel.
        var plans: [(source: ImportSources.Source, header: FileHeader, ranges: [Range<Int>])] = []
        for src in sources {
            let header: FileHeader
            do { header = try FileHeader.read(path: src.path, name: src.name, schema: src.schema) } catch let e as FileHeader.FileError {
                throw RecoupError(.dataError, e.row.description, details: nothingCommitted(base))
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: src.path)[.size] as? Int) ?? 0
            let parts = max(1, min(64, (size - header.dataOffset) / chunkBytes))
            let points: [Int]
            do { points = try CSVReader.splitPoints(path: src.path, from: header.dataOffset, parts: parts) } catch {
                throw RecoupError(.noInput, "cannot read \(src.path): \(error)")
            }
            let ranges = points.indices.map { i in points[i]..<(i + 1 < points.count ? points[i + 1] : max(size, points[i])) }
            plans.append((src, header, ranges))
        }

        /// Reads the chunks of `schemas`' files in parallel, then merges each table's.
        func load(_ schemas: [TableSchema], keys: ByteInterner) throws -> [ChunkImport] {
            var chunks: [ChunkImport] = []
            for plan in plans where schemas.contains(plan.source.schema) {
                let existing = plan.source.schema.isEvent ? try existingRows(plan.source.schema) : nil
                for r in plan.ranges {
                    chunks.append(ChunkImport(schema: plan.source.schema, name: plan.source.name, path: plan.source.path, range: r,
                                              header: plan.header, dictionaries: dictionaries(plan.source.schema),
                                              accountKeys: keys, existing: existing, keepGoing: keepGoing))
                }
            }
            var failures = [Error?](repeating: nil, count: chunks.count)
            failures.withUnsafeMutableBufferPointer { errs in
                DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
                    do { try chunks[k].read() } catch { errs[k] = error }
                }
            }
            if let e = failures.compactMap({ $0 }).first { throw e }
            var lineBase: [String: Int] = [:]
            for chunk in chunks {
                let lineOffset = lineBase[chunk.path] ?? chunk.header.lines
                if var e = chunk.syntaxError {
                    e.line += lineOffset
                    throw RecoupError(.dataError, e.description, details: nothingCommitted(base))
                }
                lineBase[chunk.path] = lineOffset + chunk.linesRead
            }
            return chunks
        }
        var existingCache: [String: ExistingRows?] = [:]
        func existingRows(_ schema: TableSchema) throws -> ExistingRows? {
            if let e = existingCache[schema.name] { return e }
            let e = try ExistingRows(snapshot: base, schema: schema)
            existingCache[schema.name] = e
            return e
        }

        // Accounts first: events may reference accounts of this import.
        var accounts: TableMerge?
        if sources.contains(where: { !$0.schema.isEvent }) {
            let chunks = try load([Schema.accounts], keys: accountKeys)
            Trace.mark("read accounts (\(chunks.count) chunks)")
            accounts = TableMerge(schema: Schema.accounts, chunks: chunks, accountKeys: &accountKeys)
            Trace.mark("merge accounts")
        }
        let eventSchemas = Schema.tables.filter { s in s.isEvent && sources.contains { $0.schema == s } }
        var events: [TableMerge] = []
        if !eventSchemas.isEmpty && (accounts?.bad.isEmpty ?? true || keepGoing) {
            let chunks = try load(eventSchemas, keys: accountKeys)
            Trace.mark("read events (\(chunks.count) chunks)")
            for schema in eventSchemas {
                var unused = accountKeys
                events.append(TableMerge(schema: schema, chunks: chunks.filter { $0.schema == schema }, accountKeys: &unused))
            }
        }

        Trace.mark("merge events")
        let all = ([accounts] + events.map { Optional($0) }).compactMap { $0 }
        let bad = all.flatMap(\.bad)
        if !bad.isEmpty && !keepGoing {
            var lines = bad.prefix(ChunkImport.maxErrors).dropFirst().map(\.description)
            if bad.count >= ChunkImport.maxErrors { lines.append("(stopped after \(ChunkImport.maxErrors) errors)") }
            lines.append(nothingCommitted(base))
            throw RecoupError(.dataError, bad[0].description, details: lines.joined(separator: "\n"))
        }

        var summary = ImportSummary(commit: nil, previousCommit: base.commit)
        summary.rejects = bad
        if let rejectsPath { try RejectsWriter.write(bad, to: rejectsPath) }

        var tables = base.manifest.tables
        var changed = false
        if let a = accounts {
            var counts = ImportSummary.Counts()
            counts.read = a.rowsRead
            counts.rejected = a.bad.count
            counts.added = accountKeys.count - baseAccounts
            let changes = try accountChanges(a, base: base, baseAccounts: baseAccounts, total: accountKeys.count)
            counts.updated = changes.prefix(baseAccounts).filter { $0 >= 0 }.count
            if changes.contains(where: { $0 >= 0 }) {
                tables["accounts"] = try writeAccounts(a, changes: changes, writer: writer, base: base.table("accounts"), total: accountKeys.count)
                changed = true
            }
            summary.tables.append(("accounts", counts))
        }
        for t in events {
            var counts = ImportSummary.Counts()
            counts.read = t.rowsRead
            counts.rejected = t.bad.count
            counts.skipped = t.skippedDuplicates
            counts.added = t.buffer.count
            if t.buffer.count > 0 {
                tables[t.schema.name] = try writeEvents(t, writer: writer, base: base.table(t.schema.name), accounts: accountKeys.count)
                changed = true
            }
            summary.tables.append((t.schema.name, counts))
        }
        Trace.mark("write segments")
        guard changed else { return summary }
        let message = "import " + sources.map(\.name).joined(separator: ", ")
        summary.commit = try writer.publish(message: message, tables: tables).commit
        return summary
    }

    static func nothingCommitted(_ base: Snapshot) -> String {
        base.commit == 0 ? "nothing was committed; the store is still empty" : "nothing was committed; the store is still at commit \(base.commit)"
    }

    private static func dictionaryManifest(_ t: TableMerge, base: TableManifest) -> [String: [String]] {
        var d = base.dictionaries
        for (c, interner) in t.dictionaries.enumerated() { if let interner { d[t.schema.columns[c].name] = interner.strings } }
        return d
    }

    /// Per account key, the buffered row that replaces or adds it (-1: unchanged):
    /// the last row of this import per key, leaving out rows identical to the stored one.
    private static func accountChanges(_ a: TableMerge, base: Snapshot, baseAccounts: Int, total: Int) throws -> [Int32] {
        var rowOfKey = [Int32](repeating: -1, count: total)
        for (r, k) in a.keys.enumerated() { rowOfKey[Int(k)] = Int32(r) }
        let S = segmentRows
        for s in 0..<((baseAccounts + S - 1) / S) {
            let keys = (s * S)..<min(baseAccounts, (s + 1) * S)
            guard keys.contains(where: { rowOfKey[$0] >= 0 }) else { continue }
            let old = try a.schema.columns.map { try base.read(table: "accounts", segment: s, column: $0.name) }
            for k in keys where rowOfKey[k] >= 0 {
                let same = a.schema.columns.indices.allSatisfy { c in
                    StoredValue(old[c], row: k - s * S) == a.buffer.value(column: c, row: Int(rowOfKey[k]))
                }
                if same { rowOfKey[k] = -1 }
            }
        }
        return rowOfKey
    }

    /// Accounts: row = account key. Rewrites the segments whose keys changed or were added.
    private static func writeAccounts(_ a: TableMerge, changes rowOfKey: [Int32], writer: StoreWriter, base: TableManifest, total: Int) throws -> TableManifest {
        let S = segmentRows
        var out = base
        out.rows = total
        out.dictionaries = dictionaryManifest(a, base: base)
        let affected = (0..<((total + S - 1) / S)).filter { s in ((s * S)..<min(total, (s + 1) * S)).contains { rowOfKey[$0] >= 0 } }
        var segments = [SegmentManifest?](repeating: nil, count: affected.count)
        var failure: Error?
        let lock = NSLock()
        segments.withUnsafeMutableBufferPointer { outSegs in
            DispatchQueue.concurrentPerform(iterations: affected.count) { i in
                let s = affected[i]
                do {
                    let rows = min(total - s * S, S)
                    let old: [ColumnData]? = s < base.segments.count
                        ? try a.schema.columns.map { try writer.base.read(table: "accounts", segment: s, column: $0.name) } : nil
                    // source[pos] = buffered row, or -1 for the stored row.
                    let source = rowOfKey[(s * S)..<(s * S + rows)].map { Int($0) }
                    let cols = a.schema.columns.indices.map { c in merge(old?[c], a.buffer, column: c, source: source) }
                    outSegs[i] = try writer.writeSegment(table: a.schema, index: s, columns: cols)
                } catch {
                    lock.lock(); failure = error; lock.unlock()
                }
            }
        }
        if let failure { throw failure }
        for (i, s) in affected.enumerated() {
            if s < out.segments.count { out.segments[s] = segments[i]! } else { out.segments.append(segments[i]!) }
        }
        return out
    }

    private static func merge(_ old: ColumnData?, _ buffer: RowBuffer, column c: Int, source: [Int]) -> ColumnData {
        let slot = buffer.slots[c]
        switch buffer.schema.columns[c].storage.physical {
        case .uint8:
            let o: [UInt8] = if case .uint8(let v)? = old { v } else { [] }
            let n = buffer.u8[slot]
            return .uint8(source.enumerated().map { $1 >= 0 ? n[$1] : o[$0] })
        case .int32:
            let o: [Int32] = if case .int32(let v)? = old { v } else { [] }
            let n = buffer.i32[slot]
            return .int32(source.enumerated().map { $1 >= 0 ? n[$1] : o[$0] })
        case .int64:
            let o: [Int64] = if case .int64(let v)? = old { v } else { [] }
            let n = buffer.i64[slot]
            return .int64(source.enumerated().map { $1 >= 0 ? n[$1] : o[$0] })
        case .string:
            let o: StringColumn = if case .string(let v)? = old { v } else { StringColumn() }
            let n = buffer.str[slot]
            var out = StringColumn()
            for (pos, r) in source.enumerated() {
                let (col, i) = r >= 0 ? (n, r) : (o, pos)
                col.bytes.withUnsafeBytes { out.append(UnsafeRawBufferPointer(rebasing: $0[Int(col.offsets[i])..<Int(col.offsets[i + 1])])) }
            }
            return .string(out)
        }
    }

    /// Event tables: the new rows clustered by account (then time) in new segments.
    private static func writeEvents(_ t: TableMerge, writer: StoreWriter, base: TableManifest, accounts: Int) throws -> TableManifest {
        let order = clusterOrder(t, accounts: accounts)
        var out = base
        out.rows += t.buffer.count
        out.dictionaries = dictionaryManifest(t, base: base)
        let S = segmentRows
        let n = (order.count + S - 1) / S
        let first = base.segments.count
        var segments = [SegmentManifest?](repeating: nil, count: n)
        var failure: Error?
        let lock = NSLock()
        segments.withUnsafeMutableBufferPointer { outSegs in
            DispatchQueue.concurrentPerform(iterations: n) { k in
                let rows = order[(k * S)..<min(order.count, (k + 1) * S)]
                do {
                    let cols = t.schema.columns.indices.map { t.buffer.column($0, rows: rows) }
                    outSegs[k] = try writer.writeSegment(table: t.schema, index: first + k, columns: cols)
                } catch {
                    lock.lock(); failure = error; lock.unlock()
                }
            }
        }
        if let failure { throw failure }
        out.segments += segments.map { $0! }
        return out
    }

    /// A stable counting sort by account key, then by the table's time column within an account.
    static func clusterOrder(_ t: TableMerge, accounts: Int) -> [Int] {
        let b = t.buffer
        let keyCol = b.i32[b.slots[t.schema.index(of: "account_id")!]]
        var counts = [Int](repeating: 0, count: accounts + 1)
        for k in keyCol { counts[Int(k) + 1] += 1 }
        for i in 0..<accounts { counts[i + 1] += counts[i] }
        var order = [Int](repeating: 0, count: keyCol.count)
        var next = counts
        for (r, k) in keyCol.enumerated() {
            order[next[Int(k)]] = r
            next[Int(k)] += 1
        }
        let timeName = ["contacts": "ts", "payments": "paid_date", "promises": "created_date"][t.schema.name]!
        let tc = t.schema.index(of: timeName)!
        let time: (Int) -> Int64 = t.schema.columns[tc].storage == .int64
            ? { [col = b.i64[b.slots[tc]]] in col[$0] }
            : { [col = b.i32[b.slots[tc]]] in Int64(col[$0]) }
        for a in 0..<accounts where counts[a + 1] - counts[a] > 1 {
            let range = counts[a]..<counts[a + 1]
            var sorted = true
            for i in range.dropFirst() where time(order[i - 1]) > time(order[i]) { sorted = false; break }
            if !sorted { order[range].sort { (time($0), $0) < (time($1), $1) } }
        }
        return order
    }
}
