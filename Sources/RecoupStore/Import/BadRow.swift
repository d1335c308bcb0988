/// A row the import could not take, with everything a person needs to fix it.
public struct BadRow: Sendable, CustomStringConvertible {
    public let file: String
    public var line: Int
    /// 1-based field number in the file, 0 when the problem is the whole row.
    public let column: Int
    public let columnName: String
    public let value: String
    public let reason: String
    public let record: String

    /// `payments.csv:57:4: amount "12.345" has more than 2 fraction digits`
    public var description: String {
        let place = column > 0 ? "\(file):\(line):\(column):" : "\(file):\(line):"
        if columnName.isEmpty { return "\(place) \(reason)" }
        return "\(place) \(columnName) \(Self.quote(value)) \(reason)"
    }

    static func quote(_ v: String) -> String {
        var s = ""
        for u in v.unicodeScalars.prefix(80) {
            switch u {
            case "\"": s += "\\\""
            case "\n": s += "\\n"
            case "\r": s += "\\r"
            case "\t": s += "\\t"
            default:
                if u.properties.generalCategory == .control { s += "\\u{\(String(u.value, radix: 16))}" } else { s.unicodeScalars.append(u) }
            }
        }
        if v.unicodeScalars.count > 80 { s += "…" }
        return "\"" + s + "\""
    }
}

/// Writes rejected rows as CSV: file, line, column, value, reason, record.
enum RejectsWriter {
    static func write(_ rows: [BadRow], to path: String) throws {
        var out = "file,line,column,value,reason,record\n"
        for r in rows {
            out += [r.file, String(r.line), r.columnName, r.value, r.reason, r.record].map(CSV.field).joined(separator: ",") + "\n"
        }
        let tmp = path + ".tmp"
        try FileIO.writeSynced(tmp, Array(out.utf8))
        guard rename(tmp, path) == 0 else { throw RecoupError(.cannotCreate, "cannot write rejects file \(path): \(FileIO.errorText())") }
    }

}

#if canImport(Glibc)
import Glibc
#endif
