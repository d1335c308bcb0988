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

    /// As written in JSON: numbers as numbers, a non-finite decimal as null, text and dates as strings.
    public var json: String {
        switch self {
        case .null: "null"
        case .text(let t): JSON.string(t)
        case .date, .timestamp: JSON.string(description)
        case .decimal(let d): JSON.number(d, Decimal6.format)
        case .int, .money, .bool: description
        }
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
    /// `x` with 10 significant digits (`%.Nf`, N = 9 − its decimal exponent), trailing zeros removed.
    public static func format(_ x: Double) -> String {
        guard x.isFinite else { return "" }
        if x == 0 { return "0" }
        let e = Int(floor(log10(abs(x))))
        let decimals = min(max(0, 9 - e), 30)
        if let fast = fixed(x, decimals) { return fast }
        var s = String(format: "%.\(decimals)f", x)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s == "-0" { s = "0" }
        return s
    }

    private static let powers: [Double] = (0...22).map { pow(10, Double($0)) }

    /// What `%.{decimals}f` with trailing zeros trimmed prints, without `printf`, when that can be
    /// told exactly: 10^decimals is exact, the scaled value fits 2^52, and FMA gives the product's
    /// rounding error, so the exact scaled value is known to well under one unit; values within 1e-7
    /// of a rounding tie return nil (the caller then asks `printf`, which rounds the exact binary value).
    static func fixed(_ x: Double, _ decimals: Int) -> String? {
        guard decimals <= 22 else { return nil }
        let p = powers[decimals]
        let scaled = abs(x) * p
        guard scaled < 4.5e15 else { return nil }
        let err = fma(abs(x), p, -scaled)
        let whole = floor(scaled)
        let fraction = (scaled - whole) + err
        guard abs(fraction - 0.5) > 1e-7, fraction > -0.5, fraction < 1.5 else { return nil }
        var m = UInt64(whole) &+ (fraction > 0.5 ? 1 : 0)
        // Digits of m with the point `decimals` from the right; trailing zeros of the fraction dropped.
        var places = decimals
        while places > 0 && m % 10 == 0 { m /= 10; places -= 1 }
        if m == 0 { return "0" }
        var digits = [UInt8](repeating: 0, count: 24)
        var n = 0
        var v = m
        while v > 0 { digits[n] = UInt8(v % 10) + 48; v /= 10; n += 1 }
        var out = [UInt8]()
        out.reserveCapacity(n + places + 3)
        if x < 0 { out.append(45) }
        if n <= places {
            out.append(48); out.append(46)
            for _ in 0..<(places - n) { out.append(48) }
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(digits[i]) }
        } else {
            for i in stride(from: n - 1, through: 0, by: -1) {
                out.append(digits[i])
                if i == places && places > 0 { out.append(46) }
            }
        }
        return String(decoding: out, as: UTF8.self)
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
        var s = CSV.row(columns)
        for r in rows { s += CSV.row(r.map(\.description)) }
        return s
    }

    /// An array of objects; numbers as JSON numbers (money with 2 decimals), null, NaN and infinities
    /// as null.
    public func json() -> String {
        var s = "["
        for (i, r) in rows.enumerated() {
            s += i == 0 ? "\n  {" : ",\n  {"
            for (j, v) in r.enumerated() {
                s += (j == 0 ? "" : ", ") + JSON.string(columns[j]) + ": " + v.json
            }
            s += "}"
        }
        return s + (rows.isEmpty ? "]\n" : "\n]\n")
    }

    /// Aligned for a terminal: numbers right-aligned, null shown as empty.
    public func text() -> String {
        let cells = rows.map { $0.map(\.description) }
        let numeric = Set(columns.indices.filter { c in rows.contains { $0[c].isNumeric } })
        return TextTable.render(header: columns, rows: cells, rightAligned: numeric)
    }
}
