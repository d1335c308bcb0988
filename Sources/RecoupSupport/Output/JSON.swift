/// The one JSON string escaper and number rule of every writer (KPI tables, query results, the API,
/// reports, model files). Non-finite numbers are `null`: JSON has no NaN or infinity.
public enum JSON {
    /// `s` as a JSON string literal.
    public static func string(_ s: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count + 2)
        append(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `s` or `null`.
    public static func optional(_ s: String?) -> String { s.map(string) ?? "null" }

    /// A number written by `format`, or `null` when it is NaN or infinite.
    public static func number(_ x: Double, _ format: (Double) -> String) -> String {
        x.isFinite ? format(x) : "null"
    }

    /// Appends `s` as a JSON string literal: bytes copied as they are unless one needs escaping
    /// (`"`, `\`, and the control characters below U+0020).
    public static func append(_ s: String, to out: inout [UInt8]) {
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
                    case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                    case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                    case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                    case 0..<0x20:
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

    private static let hex = Array("0123456789abcdef".utf8)
}
