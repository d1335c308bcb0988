import Foundation

/// Charts drawn as inline SVG: line, grouped bar, stacked bar and heatmap, each with a title and a
/// description for screen readers, axis labels and a legend.
enum SVGChart {
    /// Okabe–Ito and Tableau-like colours that stay apart for colour-blind readers and in grey print.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C6D1F", "#332288",
                          "#999933", "#882255", "#44AA99", "#555555"]

    static func agingColors(_ name: String) -> String? { ChartData.agingColors[name] }

    static let width = 960.0
    static let height = 380.0

    static func esc(_ s: String) -> String { ReportFormat.html(s) }

    static func num(_ x: Double) -> String { String(format: "%.1f", x) }

    /// Round tick steps: 1, 2, 2.5 or 5 times a power of ten, about `count` ticks from lo to hi.
    static func ticks(lo: Double, hi: Double, count: Int = 5, integer: Bool = false) -> (lo: Double, hi: Double, step: Double) {
        var lo = lo, hi = hi
        if lo == hi { hi = lo == 0 ? 1 : lo + abs(lo) * 0.5; lo = min(0, lo) }
        let raw = (hi - lo) / Double(count)
        let mag = pow(10, floor(log10(raw)))
        // Counts get whole steps: 1, 2, 5, 10, … (never 2.5 or 0.5).
        let candidates = integer && mag < 10 ? [1.0, 2, 5, 10] : [1.0, 2, 2.5, 5, 10]
        var step = candidates.map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        if integer { step = max(1, step.rounded()) }
        return (floor(lo / step) * step, ceil(hi / step) * step, step)
    }

    static func open(id: String, title: String, desc: String, height: Double) -> String {
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "width=\"\(Int(width))\" height=\"\(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">"
            + "<title id=\"\(id)-t\">\(esc(title))</title><desc id=\"\(id)-d\">\(esc(desc))</desc>"
    }

    /// The plot frame: margins, y scale and grid, x labels, axis titles and legend.
    struct Frame {
        var left = 88.0, right = 24.0, top = 16.0, bottom = 56.0
        var lo = 0.0, hi = 1.0, step = 1.0
        var plotWidth: Double { SVGChart.width - left - right }
        func y(_ v: Double, height: Double) -> Double { top + (hi - v) / (hi - lo) * (height - top - bottom) }
    }

    static func legendWidth(_ d: ChartData) -> Double {
        guard d.series.count > 1 else { return 24 }
        let longest = max(d.series.map(\.name.count).max() ?? 0, d.omittedSeries > 0 ? 14 : 0)
        return min(220, Double(longest) * 7 + 48)
    }

    static func axes(_ d: ChartData, frame f: inout Frame, height: Double, stacked: Bool, includeZero: Bool) -> String {
        var lo = Double.infinity, hi = -Double.infinity
        if stacked {
            for c in d.categories.indices {
                let pos = d.series.reduce(0.0) { $0 + max(0, $1.values[c] ?? 0) }
                let neg = d.series.reduce(0.0) { $0 + min(0, $1.values[c] ?? 0) }
                lo = min(lo, neg); hi = max(hi, pos)
            }
        } else {
            for s in d.series { for v in s.values.compactMap({ $0 }) { lo = min(lo, v); hi = max(hi, v) } }
        }
        if !lo.isFinite { lo = 0; hi = 1 }
        if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        let integer = d.series.allSatisfy { $0.values.allSatisfy { $0 == nil || $0! == $0!.rounded() } } && !d.percent
        let t = ticks(lo: lo, hi: hi, integer: integer)
        f.lo = t.lo; f.hi = t.hi; f.step = t.step
        f.right = legendWidth(d)
        // Long or many category labels are turned and thinned.
        let slot = f.plotWidth / Double(max(1, d.categories.count))
        let longest = Double(d.categories.map(\.count).max() ?? 1) * 6.0
        let turned = longest > slot - 2
        let every = turned ? max(1, Int(ceil(13.0 / slot))) : 1
        if turned { f.bottom = min(150, 40 + longest * 0.6) }
        var s = ""
        var v = f.lo
        while v <= f.hi + f.step / 2 {
            let y = f.y(v, height: height)
            s += "<line x1=\"\(num(f.left))\" x2=\"\(num(width - f.right))\" y1=\"\(num(y))\" y2=\"\(num(y))\" stroke=\"\(v == 0 ? "#888" : "#e3e3e3")\"/>"
            s += "<text x=\"\(num(f.left - 8))\" y=\"\(num(y + 4))\" text-anchor=\"end\" fill=\"#333\">\(esc(ReportFormat.tick(v, step: f.step, percent: d.percent, magnitude: max(abs(f.lo), abs(f.hi)))))</text>"
            v += f.step
        }
        let base = height - f.bottom
        s += "<line x1=\"\(num(f.left))\" x2=\"\(num(f.left))\" y1=\"\(num(f.top))\" y2=\"\(num(base))\" stroke=\"#888\"/>"
        for (i, c) in d.categories.enumerated() where i % every == 0 {
            let x = f.left + (Double(i) + 0.5) * slot
            if turned {
                s += "<text transform=\"translate(\(num(x + 4)),\(num(base + 10))) rotate(-40)\" text-anchor=\"end\" fill=\"#333\">\(esc(c))</text>"
            } else {
                s += "<text x=\"\(num(x))\" y=\"\(num(base + 18))\" text-anchor=\"middle\" fill=\"#333\">\(esc(c))</text>"
            }
        }
        s += "<text class=\"axis-label\" x=\"\(num(f.left + f.plotWidth / 2))\" y=\"\(num(height - 8))\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#222\">\(esc(d.xLabel))</text>"
        s += "<text class=\"axis-label\" transform=\"translate(18,\(num(f.top + (base - f.top) / 2))) rotate(-90)\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#222\">\(esc(d.yLabel))</text>"
        return s
    }

    static func legend(_ d: ChartData, frame f: Frame, stacked: Bool) -> String {
        guard d.series.count > 1 else { return "" }
        var s = "<g class=\"legend\">"
        let x = width - f.right + 16
        let names = stacked ? Array(d.series.enumerated().reversed()) : Array(d.series.enumerated())
        for (row, (i, series)) in names.enumerated() {
            let y = f.top + 6 + Double(row) * 18
            s += "<rect x=\"\(num(x))\" y=\"\(num(y - 9))\" width=\"12\" height=\"12\" fill=\"\(d.color(i))\"/>"
            s += "<text x=\"\(num(x + 18))\" y=\"\(num(y + 1))\" fill=\"#222\">\(esc(series.name))</text>"
        }
        if d.omittedSeries > 0 {
            s += "<text x=\"\(num(x))\" y=\"\(num(f.top + 6 + Double(names.count) * 18 + 4))\" fill=\"#666\" font-style=\"italic\">+\(d.omittedSeries) not shown</text>"
        }
        return s + "</g>"
    }

    static func describe(_ kind: String, _ d: ChartData) -> String {
        let values = d.series.flatMap { $0.values.compactMap { $0 } }
        let range = values.isEmpty ? "no values" :
            "values from \(ReportFormat.tick(values.min()!, step: 0.01, percent: d.percent)) to \(ReportFormat.tick(values.max()!, step: 0.01, percent: d.percent))"
        let series = d.series.count > 1 ? ", \(d.series.count) series (\(d.series.prefix(6).map(\.name).joined(separator: ", "))\(d.series.count > 6 ? ", …" : ""))" : ""
        return "\(kind) of \(d.yLabel) by \(d.xLabel) over \(d.categories.count) categories\(series); \(range)."
    }

    static func line(_ d: ChartData, id: String, title: String) -> String {
        let h = height
        var f = Frame()
        let body = axes(d, frame: &f, height: h, stacked: false, includeZero: true)
        var s = open(id: id, title: title, desc: describe("Line chart", d), height: h) + body
        let slot = f.plotWidth / Double(max(1, d.categories.count))
        for (i, series) in d.series.enumerated() {
            let color = d.color(i)
            var segments: [[String]] = [[]]
            for (c, v) in series.values.enumerated() {
                guard let v else { if !segments.last!.isEmpty { segments.append([]) }; continue }
                segments[segments.count - 1].append("\(num(f.left + (Double(c) + 0.5) * slot)),\(num(f.y(v, height: h)))")
            }
            for seg in segments where !seg.isEmpty {
                s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(seg.joined(separator: " "))\"><title>\(esc(series.name))</title></polyline>"
                if d.categories.count <= 40 {
                    for p in seg {
                        let xy = p.split(separator: ",")
                        s += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"2.5\" fill=\"\(color)\"/>"
                    }
                }
            }
        }
        s += endLabels(d, frame: f, height: h, slot: slot)
        return s + legend(d, frame: f, stacked: false) + "</svg>"
    }

    /// Each series' name beside its last point, nudged apart so that no two overlap.
    static func endLabels(_ d: ChartData, frame f: Frame, height h: Double, slot: Double) -> String {
        guard d.series.count > 1 else { return "" }
        var ends: [(x: Double, y: Double, i: Int)] = []
        for (i, series) in d.series.enumerated() {
            guard let c = series.values.lastIndex(where: { $0 != nil }) else { continue }
            ends.append((f.left + (Double(c) + 0.5) * slot + 5, f.y(series.values[c]!, height: h) + 4, i))
        }
        var s = ""
        // In x order: a Set alone would order the labels by the per-process hash seed.
        for x in Set(ends.map(\.x)).sorted() {
            var group = ends.filter { $0.x == x }.sorted { $0.y < $1.y }
            for k in group.indices.dropFirst() where group[k].y - group[k - 1].y < 11 { group[k].y = group[k - 1].y + 11 }
            // Labels pushed below the plot move up as a block.
            let bottom = h - f.bottom - 4
            if let last = group.last, last.y > bottom {
                for k in group.indices { group[k].y -= last.y - bottom }
            }
            for e in group {
                s += "<text x=\"\(num(e.x))\" y=\"\(num(e.y))\" font-size=\"10\" fill=\"\(d.color(e.i))\">\(esc(d.series[e.i].name))</text>"
            }
        }
        return s
    }

    static func bar(_ d: ChartData, id: String, title: String, stacked: Bool) -> String {
        let h = height
        var f = Frame()
        let body = axes(d, frame: &f, height: h, stacked: stacked, includeZero: true)
        var s = open(id: id, title: title, desc: describe(stacked ? "Stacked bar chart" : "Bar chart", d), height: h) + body
        let slot = f.plotWidth / Double(max(1, d.categories.count))
        let groupWidth = min(slot * 0.78, Double(stacked ? 1 : d.series.count) * 90)
        let barWidth = stacked ? groupWidth : groupWidth / Double(max(1, d.series.count))
        let labelled = barWidth >= 30
        let zero = f.y(0, height: h)
        for c in d.categories.indices {
            var up = 0.0, down = 0.0
            for (i, series) in d.series.enumerated() {
                guard let v = series.values[c] else { continue }
                let color = d.color(i)
                let x: Double, w: Double, y0: Double, y1: Double
                if stacked {
                    x = f.left + Double(c) * slot + (slot - groupWidth) / 2; w = groupWidth
                    if v >= 0 { y0 = f.y(up, height: h); y1 = f.y(up + v, height: h); up += v } else { y0 = f.y(down + v, height: h); y1 = f.y(down, height: h); down += v }
                } else {
                    w = groupWidth / Double(d.series.count)
                    x = f.left + Double(c) * slot + (slot - groupWidth) / 2 + Double(i) * w
                    y0 = v >= 0 ? zero : f.y(v, height: h); y1 = v >= 0 ? f.y(v, height: h) : zero
                }
                let top = min(y0, y1), height = abs(y0 - y1)
                s += "<rect x=\"\(num(x))\" y=\"\(num(top))\" width=\"\(num(max(1, w - 1)))\" height=\"\(num(height))\" fill=\"\(color)\">"
                    + "<title>\(esc(d.categories[c])) · \(esc(series.name)): \(esc(ReportFormat.tick(v, step: 0.01, percent: d.percent)))</title></rect>"
                if labelled && !stacked {
                    s += "<text x=\"\(num(x + w / 2))\" y=\"\(num(v >= 0 ? top - 4 : top + height + 12))\" text-anchor=\"middle\" font-size=\"10\" fill=\"#333\">"
                        + esc(ReportFormat.barLabel(v, percent: d.percent)) + "</text>"
                }
            }
        }
        return s + legend(d, frame: f, stacked: stacked) + "</svg>"
    }

    /// Sequential blues from light (low) to dark (high).
    static func color(_ t: Double) -> String {
        let t = max(0, min(1, t))
        let a = (r: 239.0, g: 243.0, b: 255.0), b = (r: 8.0, g: 69.0, b: 148.0)
        func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * t).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b))
    }

    static func heatmap(_ d: HeatmapData, id: String, title: String) -> String {
        let left = 96.0, top = 40.0, right = 150.0
        let cellW = max(12, min(56, (width - left - right) / Double(max(1, d.columns.count))))
        let cellH = d.rows.count > 30 ? 16.0 : 22.0
        let h = max(top + Double(d.rows.count) * cellH + 16, top + 216)
        let values = d.cells.flatMap { $0.compactMap { $0 } }
        let lo = values.min() ?? 0, hi = values.max() ?? 1
        let desc = "Heatmap of \(d.valueLabel) by \(d.rowLabel) (\(d.rows.count) rows) and \(d.columnLabel) (\(d.columns.count) columns); "
            + (values.isEmpty ? "no values." : "values from \(ReportFormat.tick(lo, step: 0.01, percent: d.percent)) to \(ReportFormat.tick(hi, step: 0.01, percent: d.percent)).")
        var s = open(id: id, title: title, desc: desc, height: h)
        s += "<text class=\"axis-label\" x=\"\(num(left + cellW * Double(d.columns.count) / 2))\" y=\"14\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#222\">\(esc(d.columnLabel))</text>"
        let every = cellW < 20 ? Int(ceil(20 / cellW)) : 1
        for (x, c) in d.columns.enumerated() where x % every == 0 {
            s += "<text x=\"\(num(left + (Double(x) + 0.5) * cellW))\" y=\"\(num(top - 6))\" text-anchor=\"middle\" fill=\"#333\">\(esc(c))</text>"
        }
        s += "<text class=\"axis-label\" transform=\"translate(14,\(num(top + Double(d.rows.count) * cellH / 2))) rotate(-90)\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#222\">\(esc(d.rowLabel))</text>"
        let showText = cellW >= 40 && cellH >= 18
        for (y, r) in d.rows.enumerated() {
            let ty = top + Double(y) * cellH
            s += "<text x=\"\(num(left - 6))\" y=\"\(num(ty + cellH / 2 + 4))\" text-anchor=\"end\" fill=\"#333\">\(esc(r))</text>"
            for x in d.columns.indices {
                guard let v = d.cells[y][x] else { continue }
                let t = hi > lo ? (v - lo) / (hi - lo) : 0.5
                s += "<rect x=\"\(num(left + Double(x) * cellW))\" y=\"\(num(ty))\" width=\"\(num(cellW - 1))\" height=\"\(num(cellH - 1))\" fill=\"\(color(t))\">"
                    + "<title>\(esc(r)) · \(esc(d.columnLabel)) \(esc(d.columns[x])): \(esc(d.display[y][x]))</title></rect>"
                if showText {
                    s += "<text x=\"\(num(left + (Double(x) + 0.5) * cellW))\" y=\"\(num(ty + cellH / 2 + 4))\" text-anchor=\"middle\" font-size=\"10\" fill=\"\(t > 0.55 ? "#fff" : "#111")\">\(esc(d.display[y][x]))</text>"
                }
            }
        }
        // Legend: a gradient bar from low to high.
        let lx = width - right + 20, ly = top, lh = min(200, max(80, Double(d.rows.count) * cellH))
        s += "<defs><linearGradient id=\"\(id)-g\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"\(color(0))\"/><stop offset=\"1\" stop-color=\"\(color(1))\"/></linearGradient></defs>"
        s += "<g class=\"legend\"><text x=\"\(num(lx))\" y=\"\(num(ly - 8))\" fill=\"#222\" font-weight=\"bold\">\(esc(d.valueLabel))</text>"
        s += "<rect x=\"\(num(lx))\" y=\"\(num(ly))\" width=\"16\" height=\"\(num(lh))\" fill=\"url(#\(id)-g)\" stroke=\"#999\"/>"
        s += "<text x=\"\(num(lx + 22))\" y=\"\(num(ly + 10))\" fill=\"#333\">\(esc(ReportFormat.tick(hi, step: 0.1, percent: d.percent)))</text>"
        s += "<text x=\"\(num(lx + 22))\" y=\"\(num(ly + lh))\" fill=\"#333\">\(esc(ReportFormat.tick(lo, step: 0.1, percent: d.percent)))</text></g>"
        return s + "</svg>"
    }
}
