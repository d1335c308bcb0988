import Foundation
import RecoupStore
import Yams

/// Rendered reports as the report runner leaves them: definitions are `<reports>/<name>.yaml`, runs are
/// `<store>/reports/<name>/<as_of>/report.html` and `report.json`. Only read here.
struct ReportLibrary: Sendable {
    let directory: String
    let store: String

    struct Run {
        var asOf: String
        var folder: String
    }

    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 128 && s.first != "." && s.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" || $0 == "."
        }
    }

    /// The definitions' names, sorted.
    func names() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.filter(Self.isName).sorted()
    }

    func isDefined(_ name: String) -> Bool {
        Self.isName(name) && FileManager.default.fileExists(atPath: directory + "/" + name + ".yaml")
    }

    /// The run with the latest as-of date that has a report.json or report.html.
    func latestRun(_ name: String) -> Run? {
        guard Self.isName(name) else { return nil }
        let base = store + "/reports/" + name
        let dates = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).filter { CivilDate.parse($0) != nil }.sorted()
        for d in dates.reversed() {
            let folder = base + "/" + d
            if FileManager.default.fileExists(atPath: folder + "/report.json") || FileManager.default.fileExists(atPath: folder + "/report.html") {
                return Run(asOf: d, folder: folder)
            }
        }
        return nil
    }

    /// `report.json`'s top-level members, when it is readable.
    func summary(_ run: Run) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: run.folder + "/report.json") else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// The definition's `title`, when it has one.
    func definedTitle(_ name: String) -> String? {
        guard let text = try? String(contentsOfFile: directory + "/" + name + ".yaml", encoding: .utf8),
              let doc = (try? Yams.load(yaml: text)) as? [String: Any] else { return nil }
        return doc["title"] as? String
    }

    /// `{"reports":[{"name","title","latest":{…}|null}]}`.
    func listJSON() -> String {
        var items: [String] = []
        for name in names() {
            let run = latestRun(name)
            let info = run.flatMap(summary)
            let title = (info?["title"] as? String) ?? definedTitle(name)
            var s = "{\"name\":" + JSON.string(name) + ",\"title\":" + JSON.optional(title) + ",\"latest\":"
            if let run {
                s += "{\"as_of\":" + JSON.string(run.asOf)
                s += ",\"store_commit\":" + ((info?["store_commit"] as? NSNumber).map { "\($0.intValue)" } ?? "null")
                s += ",\"generated_at\":" + JSON.optional(info?["generated_at"] as? String)
                s += ",\"kpi_version\":" + JSON.optional((info?["kpi_version"]).map { "\($0)" })
                s += ",\"url\":" + JSON.string("/v1/reports/\(name)/latest") + "}"
            } else {
                s += "null"
            }
            items.append(s + "}")
        }
        return "{\"reports\":[" + items.joined(separator: ",") + "]}\n"
    }
}
