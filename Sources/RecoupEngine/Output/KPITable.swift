import Foundation
import RecoupStore

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
