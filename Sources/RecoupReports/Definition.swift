import RecoupKPI

/// A report definition, as read from `reports/NAME.yaml` (docs/REPORTS.md).
public struct ReportDefinition: Sendable {
    /// The file name without `.yaml`: what `recoup report run NAME` takes.
    public var name: String
    public var file: String
    public var title: String
    public var description: String
    public var schedule: Schedule?
    /// The as-of date of a run, unless `--as-of` is given.
    public var asOf: AsOfExpression
    public var sections: [SectionDefinition]
}

/// One section: where its rows come from and how they are shown.
public struct SectionDefinition: Sendable {
    public var title: String
    public var description: String
    public var source: SectionSource
    public var presentation: Presentation
    /// `FILE:LINE:COLUMN: sections[i]`, for errors found only when the section runs.
    public var location: String = ""
}

public enum SectionSource: Sendable, Equatable {
    case kpi(KPISection)
    /// Query text; `file` names the saved query it came from.
    case query(text: String, file: String?)
    case model(ModelSection)

    public var kind: String {
        switch self {
        case .kpi(let k): "kpi " + k.name
        case .query(_, let f): f.map { "query " + $0 } ?? "query"
        case .model(let m): "model " + m.rawValue
        }
    }
}

/// Which months a KPI section's period covers, ending at the as-of date.
public enum PeriodLength: String, Sendable, CaseIterable {
    /// The calendar month of A up to A (the KPI default).
    case month
    /// The three calendar months ending with A's month, up to A.
    case quarter
    /// The twelve calendar months ending with A's month, up to A.
    case year

    public func months() -> Int {
        switch self {
        case .month: 1
        case .quarter: 3
        case .year: 12
        }
    }
}

public struct KPISection: Sendable, Equatable {
    public var name: String
    public var by: [KPIDimension] = []
    public var period: PeriodLength = .month
    public var grace: Int = 3
    public var summary = false
}

/// The sections computed from the models rather than a KPI or query.
public enum ModelSection: String, Sendable, CaseIterable {
    /// The latest scores, counted and summed by p_pay_30d decile.
    case score_distribution
    /// Scores as of the month end before the as-of date against what happened in the 30 days after.
    case calibration
    /// Population stability index per feature between the training as-of and the as-of date.
    case feature_drift
}

public enum ChartKind: String, Sendable, CaseIterable {
    case table, line, bar, stacked_bar, heatmap, headline
}

/// How a section is shown. Which fields a chart needs: `line` and `bar` an `x` and one or more `y`
/// (or one `y` and a `series` column); `stacked_bar` an `x`, one `y` and a `series`, or several `y`;
/// `heatmap` a `row`, a `column` and a `value`; `headline` a `value` (first row after `where`).
public struct Presentation: Sendable, Equatable {
    public var kind: ChartKind = .table
    public var x: String?
    public var y: [String] = []
    public var series: String?
    public var row: String?
    public var column: String?
    public var value: String?
    /// Columns a table shows (default: all), and at most this many rows.
    public var columns: [String] = []
    /// The y axis title, when the column names do not say it.
    public var yLabel: String?
    public var limit: Int = 60
    /// A chart shows only its first this many categories (the rows' order decides which).
    public var top: Int?
    /// Keep only rows whose column equals the value, before charting.
    public var filter: [(String, String)] = []
    /// Columns shown as percentages (fractions ×100); others by name (docs/REPORTS.md).
    public var percent: [String] = []
    /// A chart also shows its rows as a table below it.
    public var showTable = false
    /// Headline: higher values are good (green up arrow) unless false.
    public var higherIsBetter = true

    public static func == (a: Presentation, b: Presentation) -> Bool {
        a.kind == b.kind && a.x == b.x && a.y == b.y && a.series == b.series && a.row == b.row && a.column == b.column
            && a.value == b.value && a.columns == b.columns && a.limit == b.limit && a.percent == b.percent
            && a.filter.map(\.0) == b.filter.map(\.0) && a.filter.map(\.1) == b.filter.map(\.1)
            && a.showTable == b.showTable && a.yLabel == b.yLabel && a.top == b.top && a.higherIsBetter == b.higherIsBetter
    }
}
