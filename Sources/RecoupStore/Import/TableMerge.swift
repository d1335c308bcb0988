import Foundation

/// Joins the chunks of one table, in file order, into one buffer: line
/// numbers made absolute, chunk-local dictionary codes mapped to the table's,
/// duplicate event ids found (hash-partitioned across cores), and account
/// keys assigned in order.
final class TableMerge {
    let schema: TableSchema
    var buffer: RowBuffer
    var dictionaries: [ByteInterner?]
    var bad: [BadRow] = []
    var skippedDuplicates = 0
    var rowsRead = 0
    /// Accounts: the account key of each row.
    var keys: [Int32] = []

    init(schema: TableSchema, chunks: [ChunkImport], accountKeys: inout ByteInterner) {
        self.schema = schema
        buffer = RowBuffer(schema: schema)
        dictionaries = chunks.first?.dictionaries ?? []
        guard !chunks.isEmpty else { return }

        // Absolute line numbers.
        var lineBase: [String: Int] = [:]
        for chunk in chunks {
            let base = lineBase[chunk.path] ?? chunk.header.lines
            for i in chunk.bad.indices { chunk.bad[i].line += base }
            if base != 0 { chunk.buffer.lines = chunk.buffer.lines.map { $0 + Int32(base) } }
            lineBase[chunk.path] = base + chunk.linesRead
            rowsRead += chunk.rowsRead
            skippedDuplicates += chunk.skippedDuplicates
            bad += chunk.bad
        }

        // One dictionary per column: the first chunk's, extended by the others' new values.
        for (c, spec) in schema.columns.enumerated() where spec.storage == .dictionary {
            let slot = buffer.slots[c]
            for (k, chunk) in chunks.enumerated() where k > 0 {
                let local = chunk.dictionaries[c]!
                let seed = chunk.dictionarySeed[c]
                guard local.count > seed else { continue }
                let map: [Int32] = (seed..<local.count).map { code in local.withBytes(Int32(code)) { dictionaries[c]!.intern($0).code } }
                chunk.buffer.i32[slot] = chunk.buffer.i32[slot].map { v in v >= Int32(seed) ? map[Int(v) - seed] : v }
            }
        }

        var drop = [Set<Int>](repeating: [], count: chunks.count)
        // Ids ascending within and across chunks cannot repeat; otherwise look for repeats.
        let ascending = chunks.allSatisfy(\.idsAscending) && zip(chunks, chunks.dropFirst()).allSatisfy { a, b in
            a.buffer.count == 0 || b.buffer.count == 0 || a.lastID.lexicographicallyPrecedes(b.firstID)
        }
        if schema.isEvent && !ascending { findDuplicates(chunks, drop: &drop) }

        buffer = chunks.count == 1 && drop[0].isEmpty
            ? chunks[0].buffer : RowBuffer.concatenate(chunks.map(\.buffer), skipping: drop, schema: schema)
        for chunk in chunks { chunk.buffer = RowBuffer(schema: schema) }
        if !schema.isEvent {
            let idSlot = buffer.slots[0]
            keys.reserveCapacity(buffer.count)
            for r in 0..<buffer.count {
                keys.append(buffer.withText(slot: idSlot, row: r) { accountKeys.intern($0).code })
            }
        }
        // In file order, then line order (conflicts were found after the rest).
        var filePosition: [String: Int] = [:]
        for c in chunks where filePosition[c.path] == nil { filePosition[c.path] = filePosition.count }
        let positions = Dictionary(chunks.map { ($0.name, filePosition[$0.path]!) }, uniquingKeysWith: { a, _ in a })
        bad = bad.enumerated().sorted { a, b in
            (positions[a.element.file] ?? 0, a.element.line, a.offset) < (positions[b.element.file] ?? 0, b.element.line, b.offset)
        }.map(\.element)
    }

    /// Rows whose id occurs earlier in this import: identical ones are dropped,
    /// different ones are conflicts. Each core owns the ids of one hash partition.
    private func findDuplicates(_ chunks: [ChunkImport], drop: inout [Set<Int>]) {
        let parts = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let slot = buffer.slots[0]
        let total = chunks.reduce(0) { $0 + $1.buffer.count }
        var results = [(drop: [(Int, Int)], bad: [BadRow])](repeating: ([], []), count: parts)
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: parts) { p in
                var ids = ByteInterner(capacity: total / parts + 16)
                var owner: [(chunk: Int32, row: Int32)] = []
                var dropped: [(Int, Int)] = []
                var conflicts: [BadRow] = []
                for (k, chunk) in chunks.enumerated() {
                    let b = chunk.buffer
                    let col = b.str[slot]
                    col.bytes.withUnsafeBytes { bytes in
                        for r in 0..<b.count {
                            let id = UnsafeRawBufferPointer(rebasing: bytes[Int(col.offsets[r])..<Int(col.offsets[r + 1])])
                            guard Int(ByteInterner.hash(id) % UInt64(parts)) == p else { continue }
                            let (code, isNew) = ids.intern(id)
                            if isNew { owner.append((Int32(k), Int32(r))); continue }
                            let first = owner[Int(code)]
                            let fb = chunks[Int(first.chunk)].buffer
                            dropped.append((k, r))
                            let same = schema.columns.indices.allSatisfy { fb.value(column: $0, row: Int(first.row)) == b.value(column: $0, row: r) }
                            if !same {
                                conflicts.append(BadRow(file: chunk.name, line: Int(b.lines[r]), column: chunk.header.fieldIndex[0] + 1,
                                                        columnName: schema.keyColumn, value: String(decoding: id, as: UTF8.self),
                                                        reason: "conflict with an earlier row of this import with the same id", record: ""))
                            }
                        }
                    }
                }
                out[p] = (dropped, conflicts)
            }
        }
        for (d, b) in results {
            for (k, r) in d { drop[k].insert(r) }
            bad += b
        }
        skippedDuplicates += results.reduce(0) { $0 + $1.drop.count } - results.reduce(0) { $0 + $1.bad.count }
    }
}
