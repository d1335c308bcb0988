/// RFC 4180 fields and records: the one CSV quoting rule of every writer (KPI tables, query results,
/// rejects files, store statistics).
public enum CSV {
    /// `v` as one field: quoted, with `"` doubled, when it holds a comma, a quote, a CR or an LF.
    /// The test is on bytes, so a CR LF pair (one `Character` in Swift) is seen too.
    public static func field(_ v: String) -> String {
        needsQuotes(v) ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
    }

    public static func needsQuotes(_ v: String) -> Bool {
        v.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }  // , " LF CR
    }

    /// One record: the fields joined by commas, ended by LF.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
