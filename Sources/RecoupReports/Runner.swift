import Foundation
import RecoupKPI
import RecoupQuery
import RecoupStore

/// One rendered section: its rows, or the error that stopped it.
public struct SectionResult: Sendable {
    public var title: String
    public var description: String
    /// `kpi dso`, `query FILE`, `query`, `model calibration`.
    public var kind: String
    public var presentation: Presentation
    public var columns: [String]
    public var rows: [[KPIValue]]
    public var error: String?
    /// For a headline: the rows at the previous period's as-of date, or why there are none.
    public var previousAsOf: Int32?
    public var previousRows: [[KPIValue]]?
    public var notes: [String] = []
    /// Each column's unit, where known: a KPI's declared fields, what a query derives from them, a
    /// model section's own. The presentation's `percent:` list makes a column a rate.
    public var units: [KPIUnit?] = []

    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }

    /// How column `name` is formatted.
    public func unit(_ name: String) -> KPIUnit? {
        if presentation.percent.contains(name) { return .rate }
        guard let c = column(name), c < units.count else { return nil }
        return units[c]
    }
}

/// A whole report: what it was computed from, and its sections.
public struct ReportResult: Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var asOf: Int32
    public var storeCommit: Int
    public var kpiVersion: String
    /// When the run happened, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    public var generatedAt: String
    public var schedule: String?
    public var sections: [SectionResult]

    public var failedSections: Int { sections.filter { $0.error != nil }.count }
}

/// Runs a report definition on a store snapshot. A failing section records its error and the others
/// still run.
public enum ReportRunner {
    public static func run(_ def: ReportDefinition, snapshot: Snapshot, asOf: Int32, now: Date = Date()) -> ReportResult {
        let sections = def.sections.map { runSection($0, snapshot: snapshot, asOf: asOf) }
        return ReportResult(name: def.name, title: def.title, description: def.description, asOf: asOf,
                            storeCommit: snapshot.commit, kpiVersion: KPIDefinitions.version,
                            generatedAt: Schedule.format(Int64(now.timeIntervalSince1970), offset: 0),
                            schedule: def.schedule?.description, sections: sections)
    }

    /// The as-of date of a run: `--as-of` (a date or an expression) or the definition's, taken relative
    /// to today in the schedule's time zone (UTC without a schedule).
    public static func resolveAsOf(_ def: ReportDefinition, override: String?, snapshot: Snapshot, now: Date = Date()) throws -> Int32 {
        let expr = try override.map { try AsOfExpression(parsing: $0) } ?? def.asOf
        let t = Int64(now.timeIntervalSince1970)
        let today = def.schedule?.localDay(t) ?? CivilDate.day(ofSeconds: t)
        return try expr.evaluate(today: today) { try KPIRunner.defaultAsOf(snapshot) }
    }

    static func runSection(_ s: SectionDefinition, snapshot: Snapshot, asOf: Int32) -> SectionResult {
        var r = SectionResult(title: s.title, description: s.description, kind: s.source.kind, presentation: s.presentation,
                              columns: [], rows: [], error: nil)
        do {
            let (t, units, notes) = try table(s, snapshot: snapshot, asOf: asOf)
            r.notes = notes
            r.units = units
            try check(s.presentation, columns: t.columns, location: s.location)
            r.columns = t.columns
            r.rows = filter(t.rows, columns: t.columns, s.presentation.filter)
            if s.presentation.kind == .headline {
                let prev = ReportPeriod.previousAsOf(asOf)
                r.previousAsOf = prev
                if let p = try? table(s, snapshot: snapshot, asOf: prev).table, p.columns == t.columns {
                    r.previousRows = filter(p.rows, columns: p.columns, s.presentation.filter)
                }
            }
        } catch let e as RecoupError {
            r.error = e.message + (e.details.map { "\n" + $0 } ?? "")
        } catch let e as QueryError {
            if case .query(let text, let file) = s.source { r.error = e.render(text, name: file ?? "query") } else { r.error = e.description }
        } catch let e as SectionError {
            r.error = e.message
        } catch {
            r.error = "internal error: \(error)"
        }
        return r
    }

    /// The rows of a section's source at as-of date `asOf`, and notes on what they were computed from.
    static func table(_ s: SectionDefinition, snapshot: Snapshot, asOf: Int32) throws
        -> (table: KPITable, units: [KPIUnit?], notes: [String])
    {
        switch s.source {
        case .kpi(let k):
            var p = KPIParameters(asOf: asOf, by: k.by, grace: k.grace, summary: k.summary)
            if k.period != .month { p.from = CivilDate.monthStart(CivilDate.monthIndex(asOf) - k.period.months() + 1) }
            let units = try KPIRunner.fields(k.name, parameters: p).map { Optional($0.unit) }
            return (try KPIRunner.run(k.name, snapshot: snapshot, parameters: p), units, [])
        case .query(let text, _):
            let params = ["as_of": CivilDate.format(asOf), "period_start": CivilDate.format(ReportPeriod.monthStart(asOf))]
            let used = params.filter { text.contains("$" + $0.key) }
            let result = try QueryEngine.run(text, snapshot: snapshot, options: QueryOptions(parameters: used))
            return (result.table, result.units, [])
        case .model(let m):
            let r = try ModelSections.run(m, snapshot: snapshot, asOf: asOf)
            return (r.table, ModelSections.units(m), [r.note])
        }
    }

    static func filter(_ rows: [[KPIValue]], columns: [String], _ f: [(String, String)]) -> [[KPIValue]] {
        guard !f.isEmpty else { return rows }
        let idx = f.compactMap { c in columns.firstIndex(of: c.0).map { ($0, c.1) } }
        return rows.filter { r in idx.allSatisfy { r[$0.0].description == $0.1 } }
    }

    /// Every column the presentation names must be in the result.
    static func check(_ p: Presentation, columns: [String], location: String) throws {
        let named = [p.x, p.series, p.row, p.column, p.value].compactMap { $0 } + p.y + p.columns + p.filter.map(\.0)
        for c in named where !columns.contains(c) {
            let hint = Suggest.closest(c, in: columns).map { "; did you mean `\($0)`?" } ?? ""
            throw SectionError(message: (location.isEmpty ? "" : location + ": ")
                               + "the section shows column `\(c)`, which its rows do not have\(hint) (columns: \(columns.joined(separator: ", ")))")
        }
    }
}

/// A section that cannot be shown as defined.
struct SectionError: Error {
    let message: String
}
