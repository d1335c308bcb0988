import Foundation
import RecoupKPI
import RecoupStore
import Yams

/// Reads report definitions from a folder of `NAME.yaml` files. Every mistake is reported as
/// `FILE:LINE:COLUMN: KEY: what is wrong`, with the key as a path (`sections[2].show`).
public enum DefinitionLoader {
    /// Where definitions live: `--reports DIR`, else `$RECOUP_REPORTS`, else `./reports`.
    public static func directory(_ option: String?) -> String {
        option ?? ProcessInfo.processInfo.environment["RECOUP_REPORTS"] ?? "./reports"
    }

    /// The names (file names without `.yaml`) in `dir`, sorted.
    public static func names(in dir: String) throws -> [String] {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
            throw RecoupError(.noInput, "no report definitions folder \(dir)", details: "give --reports DIR or set RECOUP_REPORTS")
        }
        return files.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
    }

    public static func loadAll(in dir: String) throws -> [ReportDefinition] {
        try names(in: dir).map { try load(name: $0, in: dir) }
    }

    /// Every definition that parses, and the errors of those that do not (the folder must exist).
    public static func loadValid(in dir: String) throws -> (definitions: [ReportDefinition], errors: [RecoupError]) {
        var defs: [ReportDefinition] = [], errors: [RecoupError] = []
        for name in try names(in: dir) {
            do { defs.append(try load(name: name, in: dir)) } catch let e as RecoupError { errors.append(e) }
        }
        return (defs, errors)
    }

    public static func load(name: String, in dir: String) throws -> ReportDefinition {
        let file = dir + "/" + name + ".yaml"
        guard FileManager.default.fileExists(atPath: file) else {
            let known = (try? names(in: dir)) ?? []
            let guess = Suggest.closest(name, in: known) ?? known.first { name.hasPrefix($0) || $0.hasPrefix(name) }
            let hint = guess.map { "; did you mean `\($0)`?" } ?? ""
            throw RecoupError(.noInput, "no report `\(name)` in \(dir)\(hint)", details: "reports: " + known.joined(separator: ", "))
        }
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw RecoupError(.noInput, "cannot read \(file)")
        }
        let queries = URL(fileURLWithPath: dir).deletingLastPathComponent().appendingPathComponent("queries").path
        return try parse(text, name: name, file: file, queriesDir: queries)
    }

    /// Parses one definition's YAML text; `file` is used in error messages only.
    public static func parse(_ text: String, name: String, file: String, queriesDir: String) throws -> ReportDefinition {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw RecoupError(.dataError, "\(file): not valid YAML", details: "\(e)")
        }
        guard let root else { throw RecoupError(.dataError, "\(file):1:1: the file is empty; expected a mapping with title and sections") }
        let r = Reader(file: file, queriesDir: queriesDir)
        return try r.definition(root, name: name)
    }
}

/// Walks the composed YAML, keeping the file name for errors.
struct Reader {
    let file: String
    let queriesDir: String

    func fail(_ node: Node?, _ key: String, _ message: String, details: String? = nil) -> RecoupError {
        let where_ = node?.mark.map { "\(file):\($0.line):\($0.column)" } ?? file
        return RecoupError(.dataError, "\(where_): \(key): \(message)", details: details)
    }

    /// The pairs of a mapping; unknown keys are an error naming the closest known one.
    func mapping(_ node: Node, _ key: String, allowed: [String]) throws -> [String: (key: Node, value: Node)] {
        guard let m = node.mapping else { throw fail(node, key, "expected a mapping (key: value lines)") }
        var out: [String: (key: Node, value: Node)] = [:]
        for (k, v) in m {
            guard let name = k.string else { throw fail(k, key, "keys must be plain words") }
            let path = key.isEmpty ? name : key + "." + name
            guard allowed.contains(name) else {
                let hint = Suggest.closest(name, in: allowed).map { "; did you mean `\($0)`?" } ?? ""
                throw fail(k, path, "unknown key\(hint)", details: "known keys here: " + allowed.joined(separator: ", "))
            }
            out[name] = (k, v)
        }
        return out
    }

    func string(_ node: Node, _ key: String) throws -> String {
        guard case .scalar(let s) = node else { throw fail(node, key, "expected a single value") }
        return s.string
    }

    func strings(_ node: Node, _ key: String) throws -> [String] {
        switch node {
        case .scalar(let s):
            return s.string.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .sequence(let seq):
            return try seq.enumerated().map { try string($0.element, key + "[\($0.offset)]") }
        default:
            throw fail(node, key, "expected a value or a list")
        }
    }

    func int(_ node: Node, _ key: String) throws -> Int {
        guard let v = Int(try string(node, key)) else { throw fail(node, key, "expected a whole number") }
        return v
    }

    func bool(_ node: Node, _ key: String) throws -> Bool {
        switch try string(node, key).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(node, key, "expected true or false")
        }
    }

    func oneOf<E: RawRepresentable & CaseIterable>(_ node: Node, _ key: String, _: E.Type) throws -> E where E.RawValue == String {
        let s = try string(node, key)
        if let v = E(rawValue: s) { return v }
        let names = E.allCases.map(\.rawValue)
        let hint = Suggest.closest(s, in: names).map { "; did you mean `\($0)`?" } ?? ""
        throw fail(node, key, "unknown value `\(s)`\(hint)", details: "expected one of: " + names.joined(separator: ", "))
    }

    func definition(_ root: Node, name: String) throws -> ReportDefinition {
        let m = try mapping(root, "", allowed: ["title", "description", "schedule", "parameters", "sections"])
        guard let title = m["title"] else { throw fail(root, "title", "missing; every report needs a title") }
        var def = ReportDefinition(name: name, file: file, title: try string(title.value, "title"),
                                   description: try m["description"].map { try string($0.value, "description") } ?? "",
                                   schedule: nil, asOf: .lastMonthEnd, sections: [])
        if let s = m["schedule"] {
            let sm = try mapping(s.value, "schedule", allowed: ["cron", "timezone"])
            guard let cronNode = sm["cron"] else { throw fail(s.value, "schedule.cron", "missing; a schedule needs a cron expression") }
            let cron: CronExpression
            do { cron = try CronExpression(try string(cronNode.value, "schedule.cron")) } catch let e as CronExpression.ParseError {
                throw fail(cronNode.value, "schedule.cron", e.message)
            }
            let tz = try sm["timezone"].map { try string($0.value, "schedule.timezone") } ?? "UTC"
            do { def.schedule = try Schedule(cron: cron, timeZone: tz) } catch let e as RecoupError {
                throw fail(sm["timezone"]?.value ?? s.value, "schedule.timezone", e.message, details: e.details)
            }
        }
        if let p = m["parameters"] {
            let pm = try mapping(p.value, "parameters", allowed: ["as_of"])
            if let a = pm["as_of"] {
                do { def.asOf = try AsOfExpression(parsing: try string(a.value, "parameters.as_of")) } catch let e as RecoupError {
                    throw fail(a.value, "parameters.as_of", e.message, details: e.details)
                }
            }
        }
        guard let sections = m["sections"] else { throw fail(root, "sections", "missing; a report needs at least one section") }
        guard case .sequence(let seq) = sections.value, !seq.isEmpty else {
            throw fail(sections.value, "sections", "expected a list of sections (lines starting with `- `)")
        }
        def.sections = try seq.enumerated().map { try section($0.element, "sections[\($0.offset)]") }
        return def
    }

    static let sectionKeys = ["title", "description", "kpi", "by", "period", "grace", "summary", "query", "query_file", "model",
                              "show", "x", "y", "series", "row", "column", "value", "columns", "limit", "where", "percent", "table",
                              "higher_is_better", "y_label", "top"]

    func section(_ node: Node, _ key: String) throws -> SectionDefinition {
        let m = try mapping(node, key, allowed: Self.sectionKeys)
        guard let title = m["title"] else { throw fail(node, key + ".title", "missing; every section needs a title") }
        let sources = ["kpi", "query", "query_file", "model"].filter { m[$0] != nil }
        guard sources.count == 1 else {
            throw fail(node, key, sources.isEmpty ? "a section needs one of kpi, query, query_file or model"
                                                  : "a section takes one of kpi, query, query_file or model, not " + sources.joined(separator: " and "))
        }
        let source: SectionSource
        if let k = m["kpi"] {
            let kname = try string(k.value, key + ".kpi")
            do { _ = try KPIParameters.kpiName(kname) } catch let e as RecoupError {
                throw fail(k.value, key + ".kpi", e.message, details: e.details)
            }
            var s = KPISection(name: kname)
            if let b = m["by"] {
                s.by = try strings(b.value, key + ".by").map { d in
                    do { return try KPIParameters.dimension(d) } catch let e as RecoupError {
                        throw fail(b.value, key + ".by", e.message, details: e.details)
                    }
                }
            }
            if let p = m["period"] { s.period = try oneOf(p.value, key + ".period", PeriodLength.self) }
            if let g = m["grace"] {
                let days = try int(g.value, key + ".grace")
                do { s.grace = try KPIParameters.grace(days) } catch let e as RecoupError {
                    throw fail(g.value, key + ".grace", e.message)
                }
            }
            if let g = m["summary"] { s.summary = try bool(g.value, key + ".summary") }
            source = .kpi(s)
        } else if let q = m["query"] {
            source = .query(text: try string(q.value, key + ".query"), file: nil)
        } else if let q = m["query_file"] {
            let f = try string(q.value, key + ".query_file")
            let path = f.hasPrefix("/") ? f : queriesDir + "/" + (f.hasPrefix("queries/") ? String(f.dropFirst(8)) : f)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw fail(q.value, key + ".query_file", "cannot read the saved query \(path)")
            }
            source = .query(text: text, file: f)
        } else {
            source = .model(try oneOf(m["model"]!.value, key + ".model", ModelSection.self))
        }
        for k in ["by", "period", "grace", "summary"] where m[k] != nil && { if case .kpi = source { false } else { true } }() {
            throw fail(m[k]!.key, key + "." + k, "only a kpi section takes `\(k)`")
        }
        var p = Presentation()
        if let s = m["show"] { p.kind = try oneOf(s.value, key + ".show", ChartKind.self) }
        p.x = try m["x"].map { try string($0.value, key + ".x") }
        p.y = try m["y"].map { try strings($0.value, key + ".y") } ?? []
        p.series = try m["series"].map { try string($0.value, key + ".series") }
        p.row = try m["row"].map { try string($0.value, key + ".row") }
        p.column = try m["column"].map { try string($0.value, key + ".column") }
        p.yLabel = try m["y_label"].map { try string($0.value, key + ".y_label") }
        p.value = try m["value"].map { try string($0.value, key + ".value") }
        p.columns = try m["columns"].map { try strings($0.value, key + ".columns") } ?? []
        p.percent = try m["percent"].map { try strings($0.value, key + ".percent") } ?? []
        if let t = m["top"] { p.top = try int(t.value, key + ".top") }
        if let l = m["limit"] { p.limit = try int(l.value, key + ".limit") }
        if let t = m["table"] { p.showTable = try bool(t.value, key + ".table") }
        if let h = m["higher_is_better"] { p.higherIsBetter = try bool(h.value, key + ".higher_is_better") }
        if let w = m["where"] {
            guard let wm = w.value.mapping else { throw fail(w.value, key + ".where", "expected a mapping of column: value") }
            p.filter = try wm.map { (k, v) in (try string(k, key + ".where"), try string(v, key + ".where." + (k.string ?? ""))) }
        }
        try checkPresentation(p, node: m["show"]?.value ?? node, key: key)
        return SectionDefinition(title: try string(title.value, key + ".title"),
                                 description: try m["description"].map { try string($0.value, key + ".description") } ?? "",
                                 source: source, presentation: p,
                                 location: (node.mark.map { "\(file):\($0.line):\($0.column)" } ?? file) + ": " + key)
    }

    /// The fields each chart kind needs.
    func checkPresentation(_ p: Presentation, node: Node, key: String) throws {
        func need(_ present: Bool, _ what: String) throws {
            if !present { throw fail(node, key + ".show", "a \(p.kind.rawValue) needs \(what)") }
        }
        switch p.kind {
        case .table: break
        case .line, .bar: try need(p.x != nil && !p.y.isEmpty, "`x` and `y`"); try need(p.series == nil || p.y.count == 1, "one `y` with `series`")
        case .stacked_bar: try need(p.x != nil && !p.y.isEmpty, "`x` and `y`"); try need(p.series != nil || p.y.count > 1, "a `series` or several `y`")
        case .heatmap: try need(p.row != nil && p.column != nil && p.value != nil, "`row`, `column` and `value`")
        case .headline: try need(p.value != nil, "`value`")
        }
    }
}
