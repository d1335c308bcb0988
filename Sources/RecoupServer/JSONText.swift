import RecoupKPI
import RecoupQuery
import RecoupStore

/// Small JSON writing helpers: responses are written by hand (Foundation's encoder is slow and not exact
/// for money).
enum JSONText {
    static func string(_ s: String) -> String { KPITable.jsonString(s) }

    static func optional(_ s: String?) -> String { s.map(string) ?? "null" }

    /// Appends `s` as a JSON string to `out`: bytes copied as they are unless one needs escaping.
    static func append(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { u in
            out.append(UInt8(ascii: "\""))
            if !u.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                out.append(contentsOf: u)
            } else {
                for b in u {
                    switch b {
                    case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                    case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                    case 0x0A: out.append(contentsOf: Array("\\n".utf8))
                    case 0x0D: out.append(contentsOf: Array("\\r".utf8))
                    case 0x09: out.append(contentsOf: Array("\\t".utf8))
                    case 0..<0x20:
                        let hex = Array("0123456789abcdef".utf8)
                        out.append(contentsOf: Array("\\u00".utf8))
                        out.append(hex[Int(b >> 4)])
                        out.append(hex[Int(b & 15)])
                    default: out.append(b)
                    }
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    /// One value: money with 2 decimals, dates and timestamps as strings, non-finite numbers as null.
    static func value(_ v: KPIValue) -> String {
        switch v {
        case .null: return "null"
        case .text(let t): return string(t)
        case .date, .timestamp: return string(v.description)
        case .decimal(let d): return d.isFinite ? Decimal6.format(d) : "null"
        case .int, .money, .bool: return v.description
        }
    }

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
