import Foundation
import RecoupKPI
import RecoupStore

/// Writes one run into a folder: `report.html`, `report.json` (the whole report) and per section
/// `NN-slug.csv` and `NN-slug.json`.
public enum ReportFiles {
    /// `01-dso-by-portfolio`, …: the base names of the sections' data files.
    public static func sectionFiles(_ r: ReportResult) -> [String] {
        r.sections.enumerated().map { i, s in
            let n = i + 1
            let slug = ReportFormat.slug(s.title)
            return (n < 10 ? "0\(n)" : "\(n)") + (slug.isEmpty ? "" : "-" + slug)
        }
    }

    public static func write(_ r: ReportResult, to dir: String) throws {
        let fm = FileManager.default
        do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw RecoupError(.cannotCreate, "cannot create the report folder \(dir): \(error.localizedDescription)")
        }
        let files = sectionFiles(r)
        for (s, f) in zip(r.sections, files) {
            let t = KPITable(columns: s.columns, rows: s.rows)
            try save(s.error == nil ? t.csv() : "", dir + "/" + f + ".csv")
            try save(s.error.map { "{\"error\": " + JSON.string($0) + "}\n" } ?? t.json(), dir + "/" + f + ".json")
        }
        // report.json last: its presence marks a complete run.
        try save(ReportHTML.render(r, files: files), dir + "/report.html")
        try save(json(r), dir + "/report.json")
    }

    static func save(_ text: String, _ path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw RecoupError(.cannotCreate, "cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// The whole report as JSON (docs/REPORTS.md).
    public static func json(_ r: ReportResult) -> String {
        var s = "{\n  \"name\": \(JSON.string(r.name)),\n  \"title\": \(JSON.string(r.title)),\n"
        s += "  \"as_of\": \"\(CivilDate.format(r.asOf))\",\n  \"store_commit\": \(r.storeCommit),\n"
        s += "  \"kpi_version\": \(JSON.string(r.kpiVersion)),\n  \"generated_at\": \(JSON.string(r.generatedAt)),\n"
        s += "  \"sections\": ["
        for (i, sec) in r.sections.enumerated() {
            s += (i == 0 ? "\n" : ",\n") + "    {\"title\": \(JSON.string(sec.title)), \"kind\": \(JSON.string(sec.kind)), "
            s += "\"show\": \"\(sec.presentation.kind.rawValue)\", "
            s += "\"columns\": [" + sec.columns.map(JSON.string).joined(separator: ", ") + "], \"rows\": ["
            s += sec.rows.map { "[" + $0.map(\.json).joined(separator: ", ") + "]" }.joined(separator: ", ")
            s += "], \"error\": " + (sec.error.map(JSON.string) ?? "null") + "}"
        }
        return s + "\n  ]\n}\n"
    }
}
