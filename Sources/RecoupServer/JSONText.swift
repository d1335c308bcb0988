import RecoupKPI
import RecoupQuery
import RecoupStore

/// Small JSON writing helpers: responses are written by hand (Foundation's encoder is slow and not exact
/// for money).
enum JSONText {
    static func string(_ s: String) -> String { JSON.string(s) }

    static func optional(_ s: String?) -> String { JSON.optional(s) }

    static func append(_ s: String, to out: inout [UInt8]) { JSON.append(s, to: &out) }

    /// One value: money with 2 decimals, dates and timestamps as strings, non-finite numbers as null.
    static func value(_ v: KPIValue) -> String { v.json }

    /// `{"columns":[{"name","type"}],"rows":[[…]]}` (API.md's query result).
    static func queryResult(_ r: QueryResult) -> String {
        var s = "{\"columns\":["
        for (i, c) in r.columns.enumerated() {
            s += (i == 0 ? "" : ",") + "{\"name\":" + string(c.name) + ",\"type\":" + string(c.type.rawValue) + "}"
        }
        s += "],\"rows\":["
        for (i, row) in r.rows.enumerated() {
            s += i == 0 ? "[" : ",["
            for (j, v) in row.enumerated() { s += (j == 0 ? "" : ",") + value(v) }
            s += "]"
        }
        return s + "]}\n"
    }

    /// A KPI table as an array of objects under its column names.
    static func rowsAsObjects(_ t: KPITable) -> String {
        var s = "["
        for (i, row) in t.rows.enumerated() {
            s += i == 0 ? "{" : ",{"
            for (j, v) in row.enumerated() { s += (j == 0 ? "" : ",") + string(t.columns[j]) + ":" + value(v) }
            s += "}"
        }
        return s + "]"
    }
}
