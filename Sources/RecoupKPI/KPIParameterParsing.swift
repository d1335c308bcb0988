import Foundation
import RecoupStore

/// The one reading of KPI names and parameters, shared by `recoup kpi`, the query language's `kpi`
/// source, report definitions and `GET /v1/kpi/{name}`: one set of limits, one "did you mean". Each
/// front end wraps the `RecoupError` in its own form (a caret, a file:line, a 400).
extension KPIParameters {
    /// promise_adherence's grace G, in whole days (KPIS.md: 3 unless given).
    public static let graceDays = 0...365

    /// The names `dimension` takes.
    public static let dimensionNames = KPIDimension.allCases.map(\.rawValue)

    /// "did you mean `dso`?" for a name that is near one of `names`, else nil: the one wording every
    /// front end shows (after a `;` in messages, under the caret in a query error).
    public static func didYouMean(_ name: String, in names: [String]) -> String? {
        Suggest.closest(name, in: names).map { "did you mean `\($0)`?" }
    }

    /// A KPI name of the registry, or an error that suggests the nearest one.
    public static func kpiName(_ name: String) throws -> String {
        guard KPIRunner.names.contains(name) else {
            let hint = didYouMean(name, in: KPIRunner.names).map { "; " + $0 } ?? ""
            throw RecoupError(.usage, "unknown KPI `\(name)`\(hint)", details: "KPIs: " + KPIRunner.names.joined(separator: ", "))
        }
        return name
    }

    /// One dimension by name, or an error that suggests the nearest one.
    public static func dimension(_ name: String) throws -> KPIDimension {
        let d = name.trimmingCharacters(in: .whitespaces)
        guard let dim = KPIDimension(rawValue: d) else {
            let hint = didYouMean(d, in: dimensionNames).map { "; " + $0 } ?? ""
            throw RecoupError(.usage, "unknown dimension `\(d)`\(hint)", details: "dimensions: " + dimensionNames.joined(separator: ", "))
        }
        return dim
    }

    /// `portfolio,region` (empty: none).
    public static func dimensions(commaSeparated text: String) throws -> [KPIDimension] {
        try text.split(separator: ",").map { try dimension(String($0)) }
    }

    /// The grace in days, checked against `graceDays`.
    public static func grace(_ days: Int) throws -> Int {
        guard graceDays.contains(days) else {
            throw RecoupError(.usage, "grace \(days): expected whole days \(graceDays.lowerBound)...\(graceDays.upperBound)")
        }
        return days
    }

    /// The grace written as text (`3`).
    public static func grace(text: String) throws -> Int {
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw RecoupError(.usage, "grace `\(text)`: expected whole days \(graceDays.lowerBound)...\(graceDays.upperBound)")
        }
        return try grace(n)
    }
}
