import RecoupKPI
import RecoupQuery
import RecoupStore

/// Small JSON writing helpers: responses are written by hand (Foundation's encoder is slow and not exact
/// for money).
enum JSONText {
    /// `{"columns":[{"name","type"}],"rows":[[…]]}` (API.md's query result).
    static func queryResult(_ r: QueryResult) -> String {
        var s = "{\"columns\":["
        for (i, c) in r.columns.enumerated() {
            s += (i == 0 ? "" : ",") + "{\"name\":" + JSON.string(c.name) + ",\"type\":" + JSON.string(c.type.rawValue) + "}"
        }
        s += "],\"rows\":["
        for (i, row) in r.rows.enumerated() {
            s += i == 0 ? "[" : ",["
            for (j, v) in row.enumerated() { s += (j == 0 ? "" : ",") + v.json }
            s += "]"
        }
        return s + "]}\n"
    }

    /// A KPI table as an array of objects under its column names.
    static func rowsAsObjects(_ t: KPITable) -> String {
        var s = "["
        for (i, row) in t.rows.enumerated() {
            s += i == 0 ? "{" : ",{"
            for (j, v) in row.enumerated() { s += (j == 0 ? "" : ",") + JSON.string(t.columns[j]) + ":" + v.json }
            s += "}"
        }
        return s + "]"
    }
}
