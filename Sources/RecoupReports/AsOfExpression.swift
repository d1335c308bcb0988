import Foundation
import RecoupStore

/// An as-of date as a report definition writes it: `today`, `yesterday`, `last_month_end`
/// (the last day of the month before today's), `latest` (the latest date in the store's data, as `recoup kpi` uses by default), or a date
/// `YYYY-MM-DD`. Relative forms are taken from a reference day: the local date, in the schedule's
/// time zone, of the scheduled run (or of now for `recoup report run`).
public enum AsOfExpression: Equatable, Sendable, CustomStringConvertible {
    case today
    case yesterday
    case lastMonthEnd
    case latest
    case date(Int32)

    public static let names = ["today", "yesterday", "last_month_end", "latest"]

    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t {
        case "today": self = .today
        case "yesterday": self = .yesterday
        case "last_month_end": self = .lastMonthEnd
        case "latest": self = .latest
        default:
            if let d = CivilDate.parse(t) { self = .date(d); return }
            let hint = Suggest.closest(t, in: Self.names).map { "; did you mean `\($0)`?" } ?? ""
            throw RecoupError(.usage, "`\(t)` is not an as-of expression\(hint)",
                              details: "expected one of " + Self.names.joined(separator: ", ") + ", or a date YYYY-MM-DD")
        }
    }

    public var description: String {
        switch self {
        case .today: "today"
        case .yesterday: "yesterday"
        case .lastMonthEnd: "last_month_end"
        case .latest: "latest"
        case .date(let d): CivilDate.format(d)
        }
    }

    /// Whether evaluating needs the store (`latest`).
    public var needsStore: Bool { self == .latest }

    /// The date this expression names on reference day `today`; `latest` asks `storeLatest`.
    public func evaluate(today: Int32, storeLatest: () throws -> Int32) rethrows -> Int32 {
        switch self {
        case .today: return today
        case .yesterday: return today - 1
        case .lastMonthEnd: return CivilDate.monthStart(CivilDate.monthIndex(today)) - 1
        case .latest: return try storeLatest()
        case .date(let d): return d
        }
    }
}

/// Period arithmetic for reports.
public enum ReportPeriod {
    /// The as-of date of the period before the one ending at `asOf`: the end of the previous month when
    /// `asOf` is a month end, else the same day one month earlier (clamped to that month's length).
    public static func previousAsOf(_ asOf: Int32) -> Int32 {
        let m = CivilDate.monthIndex(asOf)
        if asOf == CivilDate.monthEnd(m) { return CivilDate.monthEnd(m - 1) }
        let c = CivilDate.civil(asOf)
        let start = CivilDate.monthStart(m - 1)
        let pc = CivilDate.civil(start)
        let day = min(c.day, CivilDate.daysInMonth(year: pc.year, month: pc.month))
        return start + Int32(day - 1)
    }

    /// The first day of `asOf`'s month.
    public static func monthStart(_ asOf: Int32) -> Int32 { CivilDate.monthStart(CivilDate.monthIndex(asOf)) }
}
