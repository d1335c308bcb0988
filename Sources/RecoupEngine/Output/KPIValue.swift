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
