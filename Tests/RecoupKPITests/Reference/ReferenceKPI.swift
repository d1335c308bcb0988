import Foundation
import RecoupKPI

/// A slow, literal reference for every KPI of KPIS.md, computed row by row from a
/// `ReferenceBook` read straight from the CSV files. The interpretation choices
/// are written at the top of each KPI's function (ReferenceKPIs.swift).
///
/// Choices common to all KPIs:
/// - A = parameters.asOf, else the latest of every account's opened_date and placed_date,
///   every payment's paid_date (payments before placement included), every promise's
///   created_date and every contact's local date (in its account's zone). due_date and
///   status_date do not count. A book with no rows is an error.
/// - Periods come from `Period.resolve(from:to:asOf:)`; as-of KPIs (recovery_rate,
///   liquidation, aging, roll_rate) ignore from/to.
/// - Accounts known at A: placed_date ≤ A. Payments count only with paid_date ≥ the
///   account's placed_date; contacts only with local date ≥ placed_date; promises only
///   with created_date ≥ placed_date. Nothing dated after A counts.
/// - Dimension values are the account's *current* attributes (portfolio, region,
///   agent_id — "" for none — and cohort = `YYYY-MM` of placed_date); for contacts the
///   contact's channel, local hour (int) and local weekday (`mon`…`sun`). A contact's
///   own agent_id is never used.
/// - Dims columns follow the order of `by` (duplicates dropped); rows are sorted by them
///   in that order. Contact dims are accepted only by contact_effectiveness and
///   call_compliance (summary form); elsewhere they are a usage error.
/// - With `by` empty there is one group (no dims columns); like any group it appears
///   only if it has rows, so an empty population gives an empty table, not a zero row.
/// - Rates are Double(numerator) / Double(denominator); null when the denominator is 0.
enum ReferenceKPI {
    static let names = [
        "recovery_rate", "liquidation", "dso", "days_to_collect", "aging", "cei",
        "contact_effectiveness", "promise_adherence", "collector_performance", "roll_rate", "call_compliance",
    ]

    static func run(_ name: String, book: ReferenceBook, parameters: KPIParameters) throws -> KPITable {
        switch name {
        case "recovery_rate": return try recoveryRate(book, parameters)
        case "liquidation": return try liquidation(book, parameters)
        case "dso": return try dso(book, parameters)
        case "days_to_collect": return try daysToCollect(book, parameters)
        case "aging": return try aging(book, parameters)
        case "cei": return try cei(book, parameters)
        case "contact_effectiveness": return try contactEffectiveness(book, parameters)
        case "promise_adherence": return try promiseAdherence(book, parameters)
        case "collector_performance": return try collectorPerformance(book, parameters)
        case "roll_rate": return try rollRate(book, parameters)
        case "call_compliance": return try callCompliance(book, parameters)
        default: throw ReferenceError("unknown KPI \(name)")
        }
    }

    // MARK: - As-of date and period

    static func asOf(_ book: ReferenceBook, _ p: KPIParameters) throws -> Int32 {
        if let a = p.asOf { return a }
        var latest: Int32? = nil
        func see(_ d: Int32) { latest = max(latest ?? d, d) }
        for a in book.accounts { see(a.opened); see(a.placed) }
        for x in book.payments { see(x.paid) }
        for x in book.promises { see(x.created) }
        for c in book.contacts { see(c.localDate) }
        guard let latest else { throw ReferenceError("the book is empty: no as-of date") }
        return latest
    }

    static func period(_ p: KPIParameters, asOf a: Int32) throws -> (from: Int32, to: Int32, days: Int) {
        let r = try Period.resolve(from: p.from, to: p.to, asOf: a)
        return (r.from, r.to, Int(r.to - r.from) + 1)
    }

    // MARK: - Building blocks (KPIS.md), each a plain loop

    /// The account's payments that count: paid_date ≥ placed_date.
    static func countedPayments(_ book: ReferenceBook, _ a: RAccount) -> [RPayment] {
        (book.paymentsByAccount[a.id] ?? []).filter { $0.paid >= a.placed }
    }

    /// balance(a, t) = principal − Σ amount of payments with placed_date ≤ paid_date ≤ t.
    static func balance(_ book: ReferenceBook, _ a: RAccount, at t: Int32) -> Int64 {
        var b = a.principal
        for x in book.paymentsByAccount[a.id] ?? [] where x.paid >= a.placed && x.paid <= t { b -= x.amount }
        return b
    }

    static func outstanding(_ book: ReferenceBook, _ a: RAccount, at t: Int32) -> Int64 {
        max(balance(book, a, at: t), 0)
    }

    /// AR(t) over the given accounts that are in the book at t (placed_date ≤ t).
    static func ar(_ book: ReferenceBook, _ accounts: [RAccount], at t: Int32) -> Int64 {
        var s: Int64 = 0
        for a in accounts where a.placed <= t { s += outstanding(book, a, at: t) }
        return s
    }

    /// Outstanding at t of the accounts in the book at t with due_date ≥ t.
    static func currentAR(_ book: ReferenceBook, _ accounts: [RAccount], at t: Int32) -> Int64 {
        var s: Int64 = 0
        for a in accounts where a.placed <= t && a.due >= t { s += outstanding(book, a, at: t) }
        return s
    }

    /// Σ principal of the given accounts with opened_date in [from, to].
    static func creditSales(_ accounts: [RAccount], _ from: Int32, _ to: Int32) -> Int64 {
        var s: Int64 = 0
        for a in accounts where a.opened >= from && a.opened <= to { s += a.principal }
        return s
    }

    static let buckets = ["current", "1-30", "31-60", "61-90", "91-180", "181-365", "365+"]

    static func bucket(dpd: Int32) -> String {
        if dpd <= 0 { return "current" }
        if dpd <= 30 { return "1-30" }
        if dpd <= 60 { return "31-60" }
        if dpd <= 90 { return "61-90" }
        if dpd <= 180 { return "91-180" }
        if dpd <= 365 { return "181-365" }
        return "365+"
    }

    static func rate(_ n: Int64, _ d: Int64) -> KPIValue { d == 0 ? .null : .decimal(Double(n) / Double(d)) }

    // MARK: - Dimensions, groups and sorting

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let rules = ["calling_hours", "seven_in_seven", "after_conversation", "cease_contact"]

    /// `by` without duplicates; contact dims only where allowed.
    static func dims(_ by: [KPIDimension], contact: Bool) throws -> [KPIDimension] {
        var out: [KPIDimension] = []
        for d in by where !out.contains(d) {
            if d.isContactOnly && !contact { throw ReferenceError("dimension \(d.rawValue) is only for contact KPIs") }
            out.append(d)
        }
        return out
    }

    static func dimValue(_ d: KPIDimension, _ a: RAccount, _ c: RContact? = nil) -> KPIValue {
        switch d {
        case .portfolio: return .text(a.portfolio)
        case .region: return .text(a.region)
        case .agent_id: return .text(a.agent)
        case .cohort: return .text(RDay.monthText(RDay.month(a.placed)))
        case .channel: return .text(c!.channel)
        case .local_hour: return .int(Int64(c!.localHour))
        case .local_weekday: return .text(weekdays[c!.localWeekday])
        }
    }

    enum SortKind { case text, number, weekday, bucket, toBucket, rule }

    static func sortKind(_ d: KPIDimension) -> SortKind {
        switch d {
        case .local_hour: return .number
        case .local_weekday: return .weekday
        default: return .text
        }
    }

    /// -1, 0, 1 comparing two key cells of one kind.
    static func compare(_ x: KPIValue, _ y: KPIValue, _ kind: SortKind) -> Int {
        func rank(_ v: KPIValue) -> Int {
            guard case .text(let s) = v else { return -1 }
            switch kind {
            case .weekday: return weekdays.firstIndex(of: s) ?? -1
            case .bucket: return buckets.firstIndex(of: s) ?? -1
            case .toBucket: return s == "paid" ? buckets.count : (buckets.firstIndex(of: s) ?? -1)
            case .rule: return rules.firstIndex(of: s) ?? -1
            default: return -1
            }
        }
        switch kind {
        case .number:
            guard case .int(let a) = x, case .int(let b) = y else { return 0 }
            return a < b ? -1 : (a > b ? 1 : 0)
        case .text:
            guard case .text(let a) = x, case .text(let b) = y else { return 0 }
            // By Unicode code point, element by element.
            let ua = Array(a.unicodeScalars.map(\.value)), ub = Array(b.unicodeScalars.map(\.value))
            if ua == ub { return 0 }
            return ua.lexicographicallyPrecedes(ub) ? -1 : 1
        default:
            let a = rank(x), b = rank(y)
            return a < b ? -1 : (a > b ? 1 : 0)
        }
    }

    static func less(_ a: [KPIValue], _ b: [KPIValue], _ kinds: [SortKind]) -> Bool {
        for i in kinds.indices {
            let c = compare(a[i], b[i], kinds[i])
            if c != 0 { return c < 0 }
        }
        return false
    }

    /// Accumulators by key, kept in first-seen order; `sorted` returns them in key order.
    struct Groups<Acc> {
        private var index: [String: Int] = [:]
        private(set) var keys: [[KPIValue]] = []
        var values: [Acc] = []
        let make: () -> Acc

        init(_ make: @escaping () -> Acc) { self.make = make }

        mutating func slot(_ key: [KPIValue]) -> Int {
            let k = key.map { v -> String in
                switch v {
                case .text(let s): return "t" + s
                case .int(let i): return "i" + String(i)
                default: return "?" + v.description
                }
            }.joined(separator: "\u{1F}")
            if let i = index[k] { return i }
            index[k] = keys.count
            keys.append(key)
            values.append(make())
            return keys.count - 1
        }

        func sorted(_ kinds: [SortKind]) -> [(key: [KPIValue], value: Acc)] {
            let order = keys.indices.sorted { less(keys[$0], keys[$1], kinds) }
            return order.map { (keys[$0], values[$0]) }
        }
    }
}
