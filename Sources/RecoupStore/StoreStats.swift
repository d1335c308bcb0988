import Foundation

/// What `recoup stats` shows: commits, tables, rows, and per column its bytes
/// on disk, encodings, codecs and compression ratio.
public struct StoreStats: Sendable {
    public struct Commit: Sendable { public var commit: Int; public var createdAt: String; public var message: String }
    public struct Column: Sendable {
        public var table: String
        public var column: String
        public var rows: Int
        public var storedBytes: Int
        public var plainBytes: Int
        public var encodings: String
        public var codecs: String
        public var nulls: Int
        public var ratio: Double { storedBytes == 0 ? 0 : Double(plainBytes) / Double(storedBytes) }
    }
    public struct Table: Sendable { public var table: String; public var rows: Int; public var segments: Int; public var storedBytes: Int }

    public var store: String
    public var commit: Int
    public var commits: [Commit]
    public var tables: [Table]
    public var columns: [Column]

    public static func compute(root: String, commit: Int?) throws -> StoreStats {
        let snap = try Store.open(root, commit: commit)
        let history = try Store.commits(root).filter { $0 <= snap.commit }.map { c -> Commit in
            let m = try Store.readManifest(root, c)
            return Commit(commit: c, createdAt: m.createdAt, message: m.message)
        }
        var tables: [Table] = []
        var columns: [Column] = []
        for schema in Schema.tables {
            let t = snap.table(schema.name)
            var tableBytes = 0
            for spec in schema.columns {
                var col = Column(table: schema.name, column: spec.name, rows: t.rows, storedBytes: 0, plainBytes: 0, encodings: "", codecs: "", nulls: 0)
                var enc: [String: Int] = [:], codecs: [String: Int] = [:]
                for seg in t.segments {
                    guard let b = seg.columns.first(where: { $0.column == spec.name }) else { continue }
                    col.storedBytes += b.length
                    col.plainBytes += b.plainBytes
                    col.nulls += b.nulls
                    enc[b.encoding, default: 0] += 1
                    codecs[b.codec, default: 0] += 1
                }
                col.encodings = summarize(enc)
                col.codecs = summarize(codecs)
                tableBytes += col.storedBytes
                columns.append(col)
            }
            tables.append(Table(table: schema.name, rows: t.rows, segments: t.segments.count, storedBytes: tableBytes))
        }
        return StoreStats(store: root, commit: snap.commit, commits: history, tables: tables, columns: columns)
    }

    /// `bitpack×7 rle×1`, most used first.
    static func summarize(_ counts: [String: Int]) -> String {
        counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { counts.count == 1 ? $0.key : "\($0.key)×\($0.value)" }.joined(separator: " ")
    }

    /// The same as the CSV and table, as one JSON object (the shared writer: keys in snake_case as the
    /// CSV's columns, a ratio of a column with no bytes as 0).
    public func json() -> String {
        func object(_ fields: [(String, String)]) -> String {
            "{" + fields.map { JSON.string($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
        }
        func list(_ items: [String]) -> String {
            items.isEmpty ? "[]" : "[\n    " + items.joined(separator: ",\n    ") + "\n  ]"
        }
        let commitItems = commits.map {
            object([("commit", String($0.commit)), ("created_at", JSON.string($0.createdAt)), ("message", JSON.string($0.message))])
        }
        let tableItems = tables.map {
            object([
                ("table", JSON.string($0.table)), ("rows", String($0.rows)), ("segments", String($0.segments)),
                ("stored_bytes", String($0.storedBytes)),
            ])
        }
        let columnItems = columns.map {
            object([
                ("table", JSON.string($0.table)), ("column", JSON.string($0.column)), ("rows", String($0.rows)),
                ("stored_bytes", String($0.storedBytes)), ("plain_bytes", String($0.plainBytes)),
                ("ratio", JSON.number($0.ratio) { String(format: "%.4f", $0) }), ("encodings", JSON.string($0.encodings)),
                ("codecs", JSON.string($0.codecs)), ("nulls", String($0.nulls)),
            ])
        }
        return "{\n  \"store\": \(JSON.string(store)),\n  \"commit\": \(commit),\n  \"commits\": \(list(commitItems)),\n"
            + "  \"tables\": \(list(tableItems)),\n  \"columns\": \(list(columnItems))\n}\n"
    }

    public func csv() -> String {
        var s = "table,column,rows,stored_bytes,plain_bytes,ratio,encodings,codecs,nulls\n"
        for c in columns {
            s += CSV.row([c.table, c.column, String(c.rows), String(c.storedBytes), String(c.plainBytes),
                          String(format: "%.2f", c.ratio), c.encodings, c.codecs, String(c.nulls)])
        }
        return s
    }

    public func text() -> String {
        var s = "store \(store) at commit \(commit)\n\ncommits:\n"
        for c in commits { s += "  \(c.commit)  \(c.createdAt)  \(c.message)\n" }
        s += "\n" + TextTable.render(
            header: ["table", "rows", "segments", "bytes"],
            rows: tables.map { [$0.table, String($0.rows), String($0.segments), ByteCount.human($0.storedBytes)] },
            rightAligned: [1, 2, 3])
        s += "\n" + TextTable.render(
            header: ["table", "column", "bytes", "plain", "ratio", "encoding", "codec", "nulls"],
            rows: columns.map { [$0.table, $0.column, ByteCount.human($0.storedBytes), ByteCount.human($0.plainBytes), String(format: "%.1f×", $0.ratio), $0.encodings, $0.codecs, String($0.nulls)] },
            rightAligned: [2, 3, 4, 7])
        let total = tables.reduce(0) { $0 + $1.storedBytes }
        s += "\ntotal \(ByteCount.human(total)) in column blocks\n"
        return s
    }
}

