import RecoupEngine
import RecoupStore

/// A query result written out: one writer for the CLI, the REPL and the API, cells as the output
/// layer writes them (`KPIValue.description` in CSV, `KPIValue.json` in JSON).
extension QueryResult {
    /// RFC 4180: the header, then one line per row; money with 2 decimals, dates `YYYY-MM-DD`, null empty.
    public func csv() -> String { table.csv() }

    /// API.md's query result, `{"columns":[{"name","type"}],"rows":[[…]]}`; with `rowPerLine` each row
    /// starts a line (the CLI and REPL), otherwise it is one line (the API).
    public func json(rowPerLine: Bool) -> String {
        var s = "{\"columns\":["
        s += columns.map { "{\"name\":" + JSON.string($0.name) + ",\"type\":" + JSON.string($0.type.rawValue) + "}" }
            .joined(separator: ",")
        s += "],\"rows\":["
        for (n, row) in rows.enumerated() {
            s += (n == 0 ? "" : ",") + (rowPerLine ? "\n[" : "[")
            s += row.map(\.json).joined(separator: ",")
            s += "]"
        }
        return s + (rowPerLine && !rows.isEmpty ? "\n]}\n" : "]}\n")
    }
}
