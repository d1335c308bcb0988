import Foundation
import RecoupStore

/// One cell of a KPI result. Money stays exact (cents); rates and day
/// averages are decimals; null is a rate whose denominator is 0.
public enum KPIValue: Equatable, Sendable, CustomStringConvertible {
    case null
    case int(Int64)
    case money(Int64)
    case decimal(Double)
    case text(String)
    /// Days since 1970-01-01, printed `YYYY-MM-DD`.
    case date(Int32)
    /// Seconds since the epoch, UTC, printed `YYYY-MM-DDTHH:MM:SSZ`.
    case timestamp(Int64)
    case bool(Bool)

    /// As printed in csv and table output (KPIS.md "Output").
    public var description: String {
        switch self {
        case .null: ""
        case .int(let v): String(v)
        case .money(let c): Money.format(c)
        case .decimal(let d): Decimal6.format(d)
        case .text(let s): s
        case .date(let d): CivilDate.format(d)
        case .timestamp(let t): Self.formatTimestamp(t)
        case .bool(let b): b ? "true" : "false"
        }
    }

    static func formatTimestamp(_ t: Int64) -> String {
        let day = CivilDate.day(ofSeconds: t)
        let s = Int(t - Int64(day) * 86400)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return CivilDate.format(day) + "T" + two(s / 3600) + ":" + two(s / 60 % 60) + ":" + two(s % 60) + "Z"
    }

    public var isNumeric: Bool {
        switch self {
        case .int, .money, .decimal: true
        default: false
        }
    }
}

/// A KPI's rows under its contract column names.
public struct KPITable: Equatable, Sendable {
    public var columns: [String]
    public var rows: [[KPIValue]]

    public init(columns: [String], rows: [[KPIValue]] = []) {
        self.columns = columns
        self.rows = rows
    }

    public func column(_ name: String) -> [KPIValue]? {
        guard let i = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[i] }
    }
}

public enum Money {
    /// Cents as a decimal with exactly 2 fraction digits: `-12.05`.
    public static func format(_ cents: Int64) -> String {
        let negative = cents < 0
        let m = cents.magnitude
        let units = m / 100, frac = m % 100
        return (negative ? "-" : "") + String(units) + "." + (frac < 10 ? "0" : "") + String(frac)
    }
}

/// Decimals with at least 6 significant digits (we print 10) and never an exponent.
public enum Decimal6 {
    public static func format(_ x: Double) -> String {
        guard x.isFinite else { return "" }
        if x == 0 { return "0" }
        let e = Int(floor(log10(abs(x))))
        let decimals = min(max(0, 9 - e), 30)
        var s = String(format: "%.\(decimals)f", x)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s == "-0" { s = "0" }
        return s
    }
}

public enum KPIFormat: String, Sendable, CaseIterable {
    case table, csv, json
}

extension KPITable {
    public func render(_ format: KPIFormat) -> String {
        switch format {
        case .csv: csv()
        case .json: json()
        case .table: text()
        }
    }

    public func csv() -> String {
        var s = columns.map(Self.csvField).joined(separator: ",") + "\n"
        for r in rows { s += r.map { Self.csvField($0.description) }.joined(separator: ",") + "\n" }
        return s
    }

    static func csvField(_ v: String) -> String {
        v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
    }

    /// An array of objects; numbers as JSON numbers (money with 2 decimals), null as null.
    public func json() -> String {
        var s = "["
        for (i, r) in rows.enumerated() {
            s += i == 0 ? "\n  {" : ",\n  {"
            for (j, v) in r.enumerated() {
                s += (j == 0 ? "" : ", ") + Self.jsonString(columns[j]) + ": "
                switch v {
                case .null: s += "null"
                case .text(let t): s += Self.jsonString(t)
                case .date, .timestamp: s += Self.jsonString(v.description)
                default: s += v.description
                }
            }
            s += "}"
        }
        return s + (rows.isEmpty ? "]\n" : "\n]\n")
    }

    public static func jsonString(_ v: String) -> String {
        var out = "\""
        for u in v.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// Aligned for a terminal: numbers right-aligned, null shown as empty.
    public func text() -> String {
        let cells = rows.map { $0.map(\.description) }
        let numeric = Set(columns.indices.filter { c in rows.contains { $0[c].isNumeric } })
        return TextTable.render(header: columns, rows: cells, rightAligned: numeric)
    }
}
