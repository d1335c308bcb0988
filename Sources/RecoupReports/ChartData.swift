import RecoupKPI

/// A section's rows reshaped for a chart: categories along x and one or more series of values.
struct ChartData {
    struct Series {
        var name: String
        var values: [Double?]
    }

    var xLabel: String
    var yLabel: String
    var categories: [String]
    var series: [Series]
    var percent: Bool
    /// Series left out to keep the chart readable.
    var omittedSeries = 0
    /// Categories beyond the presentation's `top`.
    var omittedCategories = 0

    static let maxSeries = 12

    /// Columns whose values have a natural order that first-seen order may not follow.
    static let ordinal: [String: [String]] = [
        "bucket": ["current", "1-30", "31-60", "61-90", "91-180", "181-365", "365+"],
        "to_bucket": ["current", "1-30", "31-60", "61-90", "91-180", "181-365", "365+", "paid"],
        "from_bucket": ["current", "1-30", "31-60", "61-90", "91-180", "181-365", "365+"],
        "local_weekday": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "rule": CallingRules.Breach.allCases.map { ReportFormat.ruleNames[$0.id]! },
    ]

    /// Aging buckets read best from green (current) to dark red (oldest).
    static let agingColors = ["current": "#1a9850", "1-30": "#91cf60", "31-60": "#d9ef8b", "61-90": "#fee08b",
                              "91-180": "#fc8d59", "181-365": "#d73027", "365+": "#7f0000", "paid": "#4575b4"]

    /// A series' colour: aging buckets by age, others from the palette.
    func color(_ i: Int) -> String {
        SVGChart.agingColors(series[i].name) ?? SVGChart.palette[i % SVGChart.palette.count]
    }

    /// Distinct values of a column, in first-seen order, or numerically when they are all numbers.
    static func distinct(_ rows: [[KPIValue]], _ c: Int, column: String, unit: KPIUnit?) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for r in rows {
            let s = ReportFormat.cell(r[c], unit: unit, column: column)
            if seen.insert(s).inserted { out.append(s) }
        }
        if rows.allSatisfy({ if case .int = $0[c] { true } else { false } }) {
            out.sort { (Int($0) ?? 0) < (Int($1) ?? 0) }
        }
        return out
    }

    /// x against y columns, or x against one y split by a series column.
    static func make(_ r: SectionResult) -> ChartData? {
        let p = r.presentation
        guard let xName = p.x, let xi = r.column(xName) else { return nil }
        var categories = distinct(r.rows, xi, column: xName, unit: r.unit(xName))
        var omittedCategories = 0
        if let top = p.top, categories.count > top {
            omittedCategories = categories.count - top
            categories = Array(categories.prefix(top))
        }
        let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        let percent = p.y.allSatisfy { ReportFormat.isPercent(r.unit($0)) }
        var series: [Series] = []
        var omitted = 0
        if let sName = p.series, let si = r.column(sName), let yName = p.y.first, let yi = r.column(yName) {
            var names = distinct(r.rows, si, column: sName, unit: r.unit(sName))
            if let order = ordinal[sName] {
                names.sort { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }
            }
            if names.count > maxSeries {
                omitted = names.count - maxSeries
                names = Array(names.suffix(maxSeries))
            }
            let sIndex = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            series = names.map { Series(name: $0, values: Array(repeating: nil, count: categories.count)) }
            for row in r.rows {
                guard let s = sIndex[ReportFormat.cell(row[si], unit: r.unit(sName), column: sName)], let x = index[ReportFormat.cell(row[xi], unit: r.unit(xName), column: xName)] else { continue }
                series[s].values[x] = ReportFormat.number(row[yi], unit: r.unit(yName))
            }
            // Categories that only the left-out series had are dropped too.
            let used = categories.indices.filter { c in series.contains { $0.values[c] != nil } }
            if used.count < categories.count && !used.isEmpty {
                for i in series.indices { series[i].values = used.map { series[i].values[$0] } }
                categories = used.map { categories[$0] }
            }
            return ChartData(xLabel: ReportFormat.label(xName), yLabel: p.yLabel ?? (ReportFormat.label(yName) + (percent ? " (%)" : "")),
                             categories: categories, series: series, percent: percent, omittedSeries: omitted, omittedCategories: omittedCategories)
        }
        for yName in p.y {
            guard let yi = r.column(yName) else { continue }
            var values = [Double?](repeating: nil, count: categories.count)
            for row in r.rows {
                if let x = index[ReportFormat.cell(row[xi], unit: r.unit(xName), column: xName)], let v = ReportFormat.number(row[yi], unit: r.unit(yName)) {
                    values[x] = (values[x] ?? 0) + v  // an empty value (no denominator) draws no bar
                }
            }
            series.append(Series(name: ReportFormat.label(yName), values: values))
        }
        let yLabel = p.yLabel ?? (p.y.count == 1 ? ReportFormat.label(p.y[0]) + (percent ? " (%)" : "") : (percent ? "Percent" : "Value"))
        return ChartData(xLabel: ReportFormat.label(xName), yLabel: yLabel, categories: categories, series: series, percent: percent,
                         omittedCategories: omittedCategories)
    }
}

/// Rows and columns of a heatmap.
struct HeatmapData {
    var rowLabel: String
    var columnLabel: String
    var valueLabel: String
    var rows: [String]
    var columns: [String]
    var cells: [[Double?]]
    var display: [[String]]
    var percent: Bool

    static func make(_ r: SectionResult) -> HeatmapData? {
        let p = r.presentation
        guard let rn = p.row, let cn = p.column, let vn = p.value, let ri = r.column(rn), let ci = r.column(cn), let vi = r.column(vn) else { return nil }
        let rows = ChartData.distinct(r.rows, ri, column: rn, unit: r.unit(rn)), cols = ChartData.distinct(r.rows, ci, column: cn, unit: r.unit(cn))
        let rIndex = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) })
        let cIndex = Dictionary(uniqueKeysWithValues: cols.enumerated().map { ($1, $0) })
        var cells = [[Double?]](repeating: [Double?](repeating: nil, count: cols.count), count: rows.count)
        var display = [[String]](repeating: [String](repeating: "", count: cols.count), count: rows.count)
        for row in r.rows {
            guard let y = rIndex[ReportFormat.cell(row[ri], unit: r.unit(rn), column: rn)], let x = cIndex[ReportFormat.cell(row[ci], unit: r.unit(cn), column: cn)] else { continue }
            cells[y][x] = ReportFormat.number(row[vi], unit: r.unit(vn))
            display[y][x] = ReportFormat.cell(row[vi], unit: r.unit(vn), column: vn)
        }
        return HeatmapData(rowLabel: ReportFormat.label(rn), columnLabel: ReportFormat.label(cn), valueLabel: ReportFormat.label(vn),
                           rows: rows, columns: cols, cells: cells, display: display, percent: ReportFormat.isPercent(r.unit(vn)))
    }
}
