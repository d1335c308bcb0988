import RecoupEngine
import RecoupStore

/// What a KPI column holds, so every front end types and formats it the same way (the query
/// language, reports, XLSX later) instead of guessing from names or from the first non-null cell.
public enum KPIUnit: String, Sendable, Equatable {
    /// A whole number of things (accounts, calls, payments).
    case count
    /// Money, exact cents.
    case money
    /// A fraction, 0 to 1 (recovery_rate, kept_rate, share).
    case rate
    /// A value on 0 to 100 (cei).
    case percent
    /// A decimal number of days (dso, days_to_collect).
    case days
    /// A whole number that is not a count (months_on_book, the days of a period).
    case integer
    /// Text: dimension labels, buckets, rule ids, ids, local timestamps.
    case text
}

/// One output column of a KPI: its contract name and unit.
public struct KPIField: Sendable, Equatable {
    public var name: String
    public var unit: KPIUnit

    public init(_ name: String, _ unit: KPIUnit) {
        self.name = name
        self.unit = unit
    }
}

/// A KPI of KPIS.md: its name, the columns it gives for given parameters (after the `by`
/// dimensions, which are text), and how it is computed on the book view.
protocol KPI {
    static var name: String { get }
    /// The columns after the dimensions, for these parameters.
    static func fields(_ p: KPIParameters) -> [KPIField]
    /// The dimensions its rows are grouped by, first in each row: `by` unless the KPI says otherwise
    /// (liquidation always groups by cohort; call_compliance's list of breaches has none).
    static func dimensions(_ p: KPIParameters) -> [KPIDimension]
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable
}

extension KPI {
    static func dimensions(_ p: KPIParameters) -> [KPIDimension] { p.by }
}

extension KPIDimension {
    /// The unit of a dimension's column: the local hour is a number, every other label text.
    var unit: KPIUnit { self == .local_hour ? .integer : .text }
}
