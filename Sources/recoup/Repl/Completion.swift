import Foundation
import RecoupQuery

/// What Tab offers, from the text before the word being completed.
struct Completer {
    static let metaCommands = [
        ".help", ".tables", ".schema", ".timer", ".format", ".read", ".explain", ".param", ".quit", ".exit",
    ]
    /// Scalar functions of the engine (aggregates come from `QueryCatalog.aggregates`).
    static let functions = QueryCatalog.functions
    static let stageStarts = ["where", "derive", "select", "summarize", "sort", "take", "join"]

    /// Column names per source, asked once.
    let columns: [String: [String]]
    let kpis: [String]

    init() {
        var c: [String: [String]] = [:]
        for t in QueryCatalog.tables { c[t] = QueryEngine.schema(of: t).map(\.name) }
        columns = c
        kpis = QueryCatalog.kpis
    }

    /// Candidates for `word`, given everything typed before it (earlier lines of the statement
    /// included); sorted and unique.
    func candidates(before: String, word: String) -> [String] {
        let all = Self.rawCandidates(before: before, word: word, columns: columns, kpis: kpis)
        let w = word.lowercased()
        return Array(Set(all.filter { $0.lowercased().hasPrefix(w) })).sorted()
    }

    static func rawCandidates(before: String, word: String, columns: [String: [String]], kpis: [String]) -> [String] {
        let trimmed = before.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
        // Meta-commands and their arguments.
        if trimmed.hasPrefix(".") {
            let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let cmd = parts.first else { return metaCommands }
            switch cmd {
            case ".schema": return QueryCatalog.tables
            case ".format": return OutputFormat.allCases.map(\.rawValue)
            case ".timer": return ["on", "off"]
            case ".read": return files(matching: word)
            default: return []
            }
        }
        if trimmed.isEmpty { return word.hasPrefix(".") ? metaCommands : ["from", "kpi"] + QueryCatalog.tables }

        let tokens = tokenize(String(trimmed))
        let prev = tokens.last ?? ""
        let prev2 = tokens.count >= 2 ? tokens[tokens.count - 2] : ""
        switch prev.lowercased() {
        case "from": return QueryCatalog.tables + ["kpi"]
        case "join": return QueryCatalog.tables + ["left"]
        case "left" where prev2.lowercased() == "join": return QueryCatalog.tables
        case "kpi": return kpis
        case "|": return stageStarts
        default: break
        }
        // Inside a kpi source's options.
        if let k = tokens.lastIndex(where: { $0.lowercased() == "kpi" }), !tokens[k...].contains("|") {
            return [
                "from", "to", "as", "of", "by", "grace", "month", "summary", "portfolio", "region", "agent_id",
                "cohort",
                "channel", "local_hour", "local_weekday",
            ]
        }
        // Columns of every table the statement names, names it defines, functions, keywords.
        var out: [String] = []
        var named = Set<String>()
        for (i, t) in tokens.enumerated() where i > 0 {
            let p = tokens[i - 1].lowercased()
            if p == "from" || p == "join" || p == "left", columns[t] != nil { named.insert(t) }
        }
        if named.isEmpty { named = Set(QueryCatalog.tables) }
        for t in named { out += columns[t] ?? [] }
        for (i, t) in tokens.enumerated() where i + 1 < tokens.count && tokens[i + 1] == "=" && isIdentifier(t) {
            out.append(t)
        }
        out += functions + QueryCatalog.aggregates
        out += ["and", "or", "not", "in", "between", "is", "null", "true", "false", "by", "asc", "desc", "on"]
        return out
    }

    /// Words and single punctuation marks; strings and comments are skipped.
    static func tokenize(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var inString = false, inComment = false
        func push() { if !cur.isEmpty { out.append(cur); cur = "" } }
        for c in s {
            if inComment { if c == "\n" { inComment = false }; continue }
            if inString { if c == "\"" { inString = false }; continue }
            if c == "\"" { push(); inString = true; out.append("\"…\""); continue }
            if c == "#" { push(); inComment = true; continue }
            if c.isLetter || c.isNumber || c == "_" || c == "@" || c == "$" || c == "-" && cur.first == "@"
                || c == "." && !cur.isEmpty
            {
                cur.append(c)
            } else {
                push()
                if c == "=" && (out.last == "<" || out.last == ">" || out.last == "!" || out.last == "=") {
                    out[out.count - 1] += "="
                } else if !c.isWhitespace {
                    out.append(String(c))
                }
            }
        }
        push()
        return out
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.first, f.isLetter || f == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// File names for `.read`, with the folder typed so far.
    static func files(matching word: String) -> [String] {
        let expanded = (word as NSString).expandingTildeInPath
        let dir: String, prefix: String
        if let slash = word.lastIndex(of: "/") {
            prefix = String(word[...slash])
            let d = (expanded as NSString).deletingLastPathComponent
            dir = word.hasSuffix("/") ? expanded : (d.isEmpty ? "/" : d)
        } else {
            prefix = ""
            dir = "."
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        let last = word.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        return names.filter { !$0.hasPrefix(".") || last.hasPrefix(".") }.map { name in
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(
                atPath: (dir as NSString).appendingPathComponent(name), isDirectory: &isDir)
            return prefix + name + (isDir.boolValue ? "/" : "")
        }
    }
}
