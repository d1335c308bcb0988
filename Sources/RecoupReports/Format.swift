import Foundation
import RecoupKPI
import RecoupStore

/// How numbers read in a report, by the column's unit (never by its name): money with thousands
/// separators and 2 decimals, counts with separators, rates as percentages, differences of rates in
/// percentage points, days and percents (CEI) with one decimal, other whole numbers (the local hour,
/// months on book) as they are.
public enum ReportFormat {
    /// Fractions shown ×100: rates (with `%`) and differences of rates (in points).
    public static func isPercent(_ unit: KPIUnit?) -> Bool { unit == .rate || unit == .points }

    /// `1234567` → `1,234,567`.
    public static func grouped(_ digits: String) -> String {
        var out = ""
        for (i, ch) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }

    public static func money(_ cents: Int64) -> String {
        let m = cents.magnitude
        let frac = m % 100
        return (cents < 0 ? "-" : "") + grouped(String(m / 100)) + "." + (frac < 10 ? "0" : "") + String(frac)
    }

    public static func integer(_ v: Int64) -> String { (v < 0 ? "-" : "") + grouped(String(v.magnitude)) }

    public static func percent(_ x: Double, decimals: Int = 1) -> String {
        guard x.isFinite else { return "" }
        return fixed(x * 100, decimals) + "%"
    }

    /// Fixed decimals with grouped thousands.
    public static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return "" }
        var s = String(format: "%.\(decimals)f", x)
        if s.hasPrefix("-0") && Double(s) == 0 { s.removeFirst() }
        let negative = s.hasPrefix("-")
        if negative { s.removeFirst() }
        let parts = s.split(separator: ".", maxSplits: 1)
        let whole = grouped(String(parts[0]))
        return (negative ? "-" : "") + whole + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A cell as a manager reads it. `column` names only what a text cell is (a rule id gets its name).
    public static func cell(_ v: KPIValue, unit: KPIUnit?, column: String) -> String {
        switch v {
        case .null: return "–"
        case .money(let c): return money(c)
        case .int(let i): return unit == .integer ? String(i) : integer(i)
        case .decimal(let d):
            switch unit {
            case .rate: return percent(d)
            case .points: return d.isFinite ? fixed(d * 100, 1) + " pp" : ""
            case .days, .percent: return fixed(d, 1)
            case .money: return fixed(d, 2)  // an average of money, in currency units
            default: return abs(d) >= 100 ? fixed(d, 1) : fixed(d, 3)
            }
        case .text(let t):
            if t.isEmpty { return "(none)" }
            if column == "rule" { return ruleNames[t] ?? t }
            return t
        default: return v.description
        }
    }

    /// The calling rules of call_compliance as a manager reads them.
    static let ruleNames = ["calling_hours": "Calling hours", "seven_in_seven": "Seven in seven days",
                            "after_conversation": "After a conversation", "cease_contact": "After cease-contact"]

    /// A value printed on a bar: percent with one decimal, millions compact, whole numbers grouped.
    public static func barLabel(_ x: Double, percent: Bool) -> String {
        if percent { return fixed(x, 1) + "%" }
        if abs(x) >= 1_000_000 { return trimmed1(x / 1e6) + "M" }
        if abs(x) >= 100_000 { return trimmed1(x / 1e3) + "k" }
        if x == x.rounded() { return fixed(x, 0) }
        return fixed(x, abs(x) >= 100 ? 0 : abs(x) >= 1 ? 1 : 3)
    }

    static func trimmed1(_ x: Double) -> String {
        var s = String(format: "%.1f", x)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// The number behind a cell, for charts: money in currency units, percents ×100.
    public static func number(_ v: KPIValue, unit: KPIUnit?) -> Double? {
        switch v {
        case .money(let c): return Double(c) / 100
        case .int(let i): return Double(i)
        case .decimal(let d): return d.isFinite ? (isPercent(unit) ? d * 100 : d) : nil
        default: return nil
        }
    }

    /// An axis tick: compact (`1.2M`, `350k`) for large values.
    /// `magnitude`: the largest value on the axis, so that every tick uses the same unit.
    public static func tick(_ x: Double, step: Double, percent: Bool, magnitude: Double? = nil) -> String {
        let a = magnitude.map { x == 0 ? 0 : $0 } ?? abs(x)
        let s: String
        if a >= 1_000_000_000 { s = trimmed(x / 1e9) + "B" }
        else if a >= 1_000_000 { s = trimmed(x / 1e6) + "M" }
        else if a >= 10_000 { s = trimmed(x / 1e3) + "k" }
        else if step >= 1 || x == 0 { s = fixed(x.rounded(), 0) }
        else { s = fixed(x, step >= 0.1 ? 1 : 2) }
        return s + (percent ? "%" : "")
    }

    static func trimmed(_ x: Double) -> String {
        var s = String(format: "%.2f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// A column name as a label: `liquidation_rate` → `Liquidation rate`.
    public static func label(_ column: String) -> String {
        let known = ["dso": "DSO", "best_possible_dso": "Best-possible DSO", "countback_dso": "Countback DSO", "cei": "CEI (%)",
                     "add": "Average days delinquent", "rpc": "RPCs", "rpc_rate": "RPC rate", "ar_end": "AR at period end",
                     "agent_id": "Collector", "local_hour": "Local hour", "p_pay_30d_band": "p_pay_30d band", "psi": "PSI",
                     "months_on_book": "Months on book", "conversion_7d": "Conversion within 7 days",
                     "local_ts": "Local time", "contact_id": "Contact", "account_id": "Account", "calls": "Breaches"]
        if let k = known[column] { return k }
        let words = column.split(separator: "_").map { $0 == "ar" ? "AR" : $0 == "id" ? "ID" : $0 == "rpc" ? "RPC" : String($0) }.joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// `Collector scorecard` → `collector-scorecard`.
    public static func slug(_ title: String) -> String {
        var out = ""
        for ch in title.lowercased() {
            if ch.isASCII && (ch.isLetter || ch.isNumber) { out.append(ch) } else if !out.hasSuffix("-") && !out.isEmpty { out.append("-") }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(48))
    }

    public static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
