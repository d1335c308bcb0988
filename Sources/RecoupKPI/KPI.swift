import RecoupEngine
import RecoupStore

/// What a KPI column holds (the engine's `ColumnUnit`).
public typealias KPIUnit = ColumnUnit

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
