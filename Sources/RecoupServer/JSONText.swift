import RecoupKPI
import RecoupQuery
import RecoupStore

/// Small JSON writing helpers: responses are written by hand (Foundation's encoder is slow and not exact
/// for money).
enum JSONText {
    /// `{"columns":[{"name","type"}],"rows":[[…]]}` (API.md's query result), on one line.
    static func queryResult(_ r: QueryResult) -> String { r.json(rowPerLine: false) }

    /// A KPI table as an array of objects under its column names, on one line.
    static func rowsAsObjects(_ t: KPITable) -> String { t.json(compact: true) }
}
