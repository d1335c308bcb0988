import Foundation
import RecoupKPI
import RecoupQuery
import RecoupStore

/// Query results for a terminal: an aligned table fitted to its width. CSV and JSON are the one
/// writer of query results (`QueryResult.csv`, `QueryResult.json`), shared with the API.
enum ResultRendering {
    static func render(_ result: QueryResult, format: OutputFormat, width: Int? = nil, footer: Bool = false) -> String {
        switch format {
        case .csv: return result.csv()
        case .json: return result.json(rowPerLine: true)
        case .table:
            var s = table(result, width: width)
            if footer { s += result.rows.count == 1 ? "(1 row)\n" : "(\(result.rows.count) rows)\n" }
            return s
        }
    }

    // MARK: cells

    static func isRightAligned(_ type: ValueType) -> Bool {
        switch type {
        case .money, .int, .float: true
        default: false
        }
    }

    // MARK: table

    /// Header, a rule, one line per row; columns two spaces apart; numbers right-aligned.
    /// When the table is wider than `width`, the widest text columns are cut (ending in `…`) down
    /// to `minimumCut` characters; if it still does not fit, the last columns are left out and a
    /// line names them. Lines never wrap.
    static func table(_ r: QueryResult, width: Int?) -> String {
        let header = r.columns.map(\.name)
        let cells = r.rows.map { row in row.map(\.description) }
        let right = Set(r.columns.indices.filter { i in
            isRightAligned(r.columns[i].type) || (r.columns[i].type == .null && r.rows.contains { i < $0.count && $0[i].isNumeric })
        })
        let textual = Set(r.columns.indices.filter { i in
            r.columns[i].type == .string || (r.columns[i].type == .null && !right.contains(i))
        })
        var widths = header.map(\.count)
        for row in cells { for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        var shown = widths.count
        if let width {
            widths = fit(widths, into: width, shrinkable: textual)
            while shown > 1 && widths[..<shown].reduce(0, +) + 2 * (shown - 1) > width { shown -= 1 }
        }

        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for i in 0..<shown {
                let c = clip(i < row.count ? row[i] : "", widths[i])
                let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
                parts.append(right.contains(i) ? pad + c : c + pad)
            }
            var s = parts.joined(separator: "  ")
            while s.last == " " { s.removeLast() }
            return s + "\n"
        }
        var out = line(header) + line(widths.map { String(repeating: "─", count: $0) })
        out.reserveCapacity(out.utf8.count * (cells.count + 2))
        for row in cells { out += line(row) }
        if shown < header.count {
            let hidden = header[shown...]
            let note = "(\(hidden.count) more column\(hidden.count == 1 ? "" : "s") not shown: " + hidden.joined(separator: ", ")
                + "; a wider terminal or .format csv shows them)"
            out += ReplSession.wrap(note, width: width ?? 80, indent: " ")
        }
        return out
    }

    static let minimumCut = 8

    /// Narrows the widest shrinkable columns until the total fits (none below `minimumCut`).
    static func fit(_ widths: [Int], into width: Int, shrinkable: Set<Int>) -> [Int] {
        var w = widths
        var excess = w.reduce(0, +) + 2 * max(0, w.count - 1) - width
        while excess > 0 {
            guard let i = shrinkable.filter({ w[$0] > minimumCut }).max(by: { (w[$0], -$0) < (w[$1], -$1) }) else { break }
            // Cut the widest down towards the next widest in one step when that is enough.
            let next = shrinkable.filter { $0 != i }.map { w[$0] }.max() ?? minimumCut
            let step = max(1, min(excess, w[i] - max(next, minimumCut)))
            w[i] -= step
            excess -= step
        }
        return w
    }

    static func clip(_ s: String, _ width: Int) -> String {
        guard s.count > width else { return s }
        if width <= 1 { return String(s.prefix(width)) }
        return String(s.prefix(width - 1)) + "…"
    }

    // MARK: terminal

    /// Columns of the terminal on `fd` (TIOCGWINSZ), else `$COLUMNS`, else nil.
    static func terminalWidth(_ fd: Int32 = STDOUT_FILENO) -> Int? {
        var ws = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
        return nil
    }
}
