import Foundation
import RecoupStore

/// How a KPI table is written: aligned text, CSV or JSON (through the shared writers).
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
    /// as null. One object per line (the CLI, report files), or all on one line (`compact`: the API).
    public func json(compact: Bool = false) -> String {
        var s = "["
        for (i, r) in rows.enumerated() {
            s += (i == 0 ? "" : ",") + (compact ? "{" : "\n  {")
            for (j, v) in r.enumerated() {
                s += (j == 0 ? "" : compact ? "," : ", ") + JSON.string(columns[j]) + (compact ? ":" : ": ") + v.json
            }
            s += "}"
        }
        return s + (compact ? "]" : rows.isEmpty ? "]\n" : "\n]\n")
    }

    /// Aligned for a terminal: numbers right-aligned, null shown as empty.
    public func text() -> String {
        let cells = rows.map { $0.map(\.description) }
        let numeric = Set(columns.indices.filter { c in rows.contains { $0[c].isNumeric } })
        return TextTable.render(header: columns, rows: cells, rightAligned: numeric)
    }
}
