/// What a column's numbers mean, so every front end types and formats them the same way (the query
/// language, reports, XLSX later) instead of guessing from column names or from the first non-null
/// cell. KPIs declare it for their fields; the query language carries it through its stages.
public enum ColumnUnit: String, Sendable, Equatable, CaseIterable {
    /// A whole number of things (accounts, calls, payments).
    case count
    /// Money, exact cents.
    case money
    /// A fraction, 0 to 1 (recovery_rate, kept_rate, share): shown as a percentage.
    case rate
    /// A difference of two rates: shown in percentage points.
    case points
    /// A value on 0 to 100 (cei).
    case percent
    /// A decimal number of days (dso, days_to_collect).
    case days
    /// A whole number that is not a count (months_on_book, the local hour).
    case integer
    /// Text: dimension labels, buckets, rule ids, ids, local timestamps.
    case text

    /// The unit of `a / b`: a share when both count the same kind of thing (calls over calls, money
    /// over money); otherwise none.
    public static func quotient(_ a: ColumnUnit?, _ b: ColumnUnit?) -> ColumnUnit? {
        switch (a, b) {
        case (.count, .count), (.money, .money): .rate
        default: nil
        }
    }

    /// The unit of `a + b` or `a - b`: the same unit on both sides keeps it (a difference of rates is
    /// in points); otherwise none.
    public static func sum(_ a: ColumnUnit?, _ b: ColumnUnit?, subtracting: Bool) -> ColumnUnit? {
        guard let a, a == b, a != .text else { return nil }
        return subtracting && a == .rate ? .points : a
    }
}
