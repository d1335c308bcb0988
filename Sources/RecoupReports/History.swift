import Foundation
import RecoupKPI
import RecoupStore

/// The store's report history: `<store>/reports/<name>/<as_of>/` per run, `index.html` of all runs
/// (newest first) and `schedule.log`, one JSON line per run.
public struct ReportHistory {
    public let root: String

    public init(store: String) { root = store + "/reports" }

    public func runDirectory(name: String, asOf: Int32) -> String { root + "/" + name + "/" + CivilDate.format(asOf) }

    /// Whether a complete run of `name` for `asOf` is in the history.
    public func hasRun(name: String, asOf: Int32) -> Bool {
        FileManager.default.fileExists(atPath: runDirectory(name: name, asOf: asOf) + "/report.json")
    }

    /// A run as the index lists it.
    public struct Entry: Sendable {
        public var name: String
        public var title: String
        public var asOf: String
        public var generatedAt: String
        public var storeCommit: Int
        public var failedSections: Int
        public var sections: Int
        public var path: String
    }

    /// Every complete run, newest first (by generation time, then as-of date).
    public func entries() -> [Entry] {
        let fm = FileManager.default
        var out: [Entry] = []
        for name in ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted() {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: root + "/" + name, isDirectory: &isDir), isDir.boolValue else { continue }
            for asOf in ((try? fm.contentsOfDirectory(atPath: root + "/" + name)) ?? []) where CivilDate.parse(asOf) != nil {
                let file = root + "/" + name + "/" + asOf + "/report.json"
                guard let data = fm.contents(atPath: file),
                      let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
                let sections = obj["sections"] as? [[String: Any]] ?? []
                out.append(Entry(name: name, title: obj["title"] as? String ?? name, asOf: asOf,
                                 generatedAt: obj["generated_at"] as? String ?? "", storeCommit: obj["store_commit"] as? Int ?? 0,
                                 failedSections: sections.filter { !($0["error"] is NSNull) && $0["error"] != nil }.count,
                                 sections: sections.count, path: name + "/" + asOf + "/report.html"))
            }
        }
        return out.sorted { ($0.generatedAt, $0.asOf, $0.name) > ($1.generatedAt, $1.asOf, $1.name) }
    }

    /// The latest run of `name`, if any.
    public func lastRun(name: String) -> Entry? { entries().first { $0.name == name } }

    /// Rewrites `index.html` from what is on disk.
    public func writeIndex() throws {
        let rows = entries()
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Recoup reports</title>\n<style>\n"
        h += "body { font: 15px/1.45 -apple-system, \"Segoe UI\", Helvetica, Arial, sans-serif; color: #1d2430; max-width: 1040px; margin: 0 auto; padding: 24px 32px; }\n"
        h += "h1 { color: #0b4f8a; } table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }\n"
        h += "th, td { padding: 5px 10px; border-bottom: 1px solid #d9dee5; text-align: left; } th { background: #eef2f7; }\n"
        h += "a { color: #0b4f8a; } .bad { color: #b42318; font-weight: 600; } .num { text-align: right; }\n</style>\n</head>\n<body>\n"
        h += "<h1>Recoup reports</h1>\n<p>\(rows.count) run\(rows.count == 1 ? "" : "s"), newest first. Each report folder also holds report.json and every section as CSV and JSON.</p>\n"
        h += "<table>\n<thead><tr><th>Report</th><th>As of</th><th>Generated (UTC)</th><th class=\"num\">Store commit</th><th>Sections</th></tr></thead>\n<tbody>\n"
        for e in rows {
            let status = e.failedSections > 0 ? "<span class=\"bad\">\(e.failedSections) of \(e.sections) failed</span>" : "\(e.sections) ok"
            h += "<tr><td><a href=\"\(ReportFormat.html(e.path))\">\(ReportFormat.html(e.title))</a></td><td>\(e.asOf)</td><td>\(ReportFormat.html(e.generatedAt))</td>"
                + "<td class=\"num\">\(e.storeCommit)</td><td>\(status)</td></tr>\n"
        }
        h += "</tbody>\n</table>\n</body>\n</html>\n"
        try ReportFiles.save(h, root + "/index.html")
    }

    /// Appends one line to `schedule.log`.
    public func log(time: String, name: String, asOf: Int32?, status: String, durationMs: Int, path: String?, trigger: String, error: String? = nil) {
        var line = "{\"time\": \(JSON.string(time)), \"name\": \(JSON.string(name)), "
        line += "\"as_of\": " + (asOf.map { "\"\(CivilDate.format($0))\"" } ?? "null") + ", \"status\": \(JSON.string(status)), "
        line += "\"duration_ms\": \(durationMs), \"path\": " + (path.map(JSON.string) ?? "null")
        line += ", \"trigger\": " + JSON.string(trigger)
        if let error { line += ", \"error\": " + JSON.string(error) }
        line += "}\n"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let file = root + "/schedule.log"
        if let h = FileHandle(forWritingAtPath: file) {
            h.seekToEndOfFile()
            h.write(Data(line.utf8))
            try? h.close()
        } else {
            try? line.write(toFile: file, atomically: false, encoding: .utf8)
        }
    }
}
