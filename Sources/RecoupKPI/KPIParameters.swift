import RecoupStore

/// The dimensions a KPI can be grouped by (KPIS.md).
public enum KPIDimension: String, CaseIterable, Sendable {
    case portfolio, region, agent_id, cohort
    case channel, local_hour, local_weekday

    /// Only contact KPIs take these.
    public var isContactOnly: Bool { self == .channel || self == .local_hour || self == .local_weekday }
}

/// What `recoup kpi NAME …` passes to a KPI. Dates are days since 1970-01-01.
public struct KPIParameters: Sendable, Equatable {
    public var asOf: Int32?
    public var from: Int32?
    public var to: Int32?
    public var by: [KPIDimension]
    public var grace: Int
    /// roll_rate's month M, as the first day of that month.
    public var month: Int32?
    /// call_compliance's summary form.
    public var summary: Bool

    public init(asOf: Int32? = nil, from: Int32? = nil, to: Int32? = nil, by: [KPIDimension] = [], grace: Int = 3,
                month: Int32? = nil, summary: Bool = false) {
        self.asOf = asOf
        self.from = from
        self.to = to
        self.by = by
        self.grace = grace
        self.month = month
        self.summary = summary
    }
}

/// A period P = [from, to], inclusive.
public struct Period: Sendable, Equatable {
    public let from: Int32
    public let to: Int32
    public var days: Int { Int(to - from) + 1 }

    /// KPIS.md: default P is the calendar month of A up to A; with only `to`, from is
    /// the first of to's month; with only `from`, to is A. to ≤ A and from ≤ to.
    public static func resolve(from: Int32?, to: Int32?, asOf a: Int32) throws -> Period {
        let t = to ?? a
        let f: Int32
        if let from { f = from } else {
            let c = CivilDate.civil(t)
            f = CivilDate.days(year: c.year, month: c.month, day: 1)
        }
        if t > a {
            throw RecoupError(.usage, "the period ends \(CivilDate.format(t)), after the as-of date \(CivilDate.format(a))",
                              details: "a KPI as of A uses only what was known at A: choose --to ≤ --as-of")
        }
        if f > t {
            throw RecoupError(.usage, "the period starts \(CivilDate.format(f)), after it ends \(CivilDate.format(t))")
        }
        return Period(from: f, to: t)
    }
}
