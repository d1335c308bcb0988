/// The tokens of query text (docs/QUERY.md, "Lexical rules").
struct Token: Equatable, Sendable {
    var kind: Kind
    var span: Span

    enum Kind: Equatable, Sendable {
        /// A word that is not reserved (`amount`, `month`, `left`), or any name in backticks.
        case name(String, quoted: Bool)
        case keyword(Keyword)
        case int(Int64)
        /// The digits as written (`12.50`).
        case decimal(String)
        case string(String)
        /// Days since 1970-01-01.
        case date(Int32)
        /// `$name` (the name without `$`).
        case parameter(String)
        case punct(Punct)
        case end
    }

    /// Reserved words: never a name unless written in backticks.
    enum Keyword: String, CaseIterable, Sendable {
        case from, kpi
        case `where`, derive, select, summarize, sort, take, join
        case by, on, asc, desc
        case and, or, not, `in`, between, `is`
        case null, `true`, `false`

        /// The words that start a stage after `|`.
        static let stages: [Keyword] = [.where, .derive, .select, .summarize, .sort, .take, .join]

        var isStage: Bool { Keyword.stages.contains(self) }
    }

    enum Punct: String, Sendable {
        case pipe = "|", comma = ",", openParen = "(", closeParen = ")", semicolon = ";"
        case assign = "="
        case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
        case plus = "+", minus = "-", star = "*", slash = "/"

        /// The comparison this punctuation spells, if any.
        var comparison: BinaryOp? {
            switch self {
            case .equal: .equal
            case .notEqual: .notEqual
            case .less: .less
            case .lessEqual: .lessEqual
            case .greater: .greater
            case .greaterEqual: .greaterEqual
            default: nil
            }
        }
    }

    /// Words that are clauses of a `kpi` source; they are ordinary names elsewhere.
    static let kpiClauseWords: Set<String> = ["from", "to", "as", "by", "grace", "month", "summary"]

    /// True when `name` can be written without backticks in any position.
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.utf8.first, Lexer.isNameStart(first) else { return false }
        return name.utf8.allSatisfy(Lexer.isNameByte) && Keyword(rawValue: name) == nil
    }

    func isPunct(_ p: Punct) -> Bool { kind == .punct(p) }
    func isKeyword(_ k: Keyword) -> Bool { kind == .keyword(k) }

    /// An unquoted word with this spelling (contextual keywords such as `left`, `to`, `grace`).
    func isWord(_ w: String) -> Bool {
        if case .name(let n, quoted: false) = kind { return n == w }
        return false
    }

    var isEnd: Bool { kind == .end }

    /// The end of a stage or source: `|`, `;` or the end of the query.
    var endsStage: Bool { isPunct(.pipe) || isPunct(.semicolon) || isEnd }
}

extension Token {
    /// How an error names this token after "found": "`where`", "number `12`", "end of query".
    func described(in bytes: [UInt8]) -> String {
        switch kind {
        case .end: return "end of query"
        case .string: return "string " + Token.quoteExcerpt(bytes, span)
        case .int, .decimal: return "number " + Token.quoteExcerpt(bytes, span)
        case .date: return "date " + Token.quoteExcerpt(bytes, span)
        case .parameter: return "parameter " + Token.quoteExcerpt(bytes, span)
        case .keyword(let k): return k.isStage ? "stage `\(k.rawValue)`" : "keyword `\(k.rawValue)`"
        case .name, .punct: return Token.quoteExcerpt(bytes, span)
        }
    }

    /// The token's text in backticks, shortened when long.
    static func quoteExcerpt(_ bytes: [UInt8], _ span: Span) -> String {
        let lo = max(0, min(span.start, bytes.count)), hi = max(lo, min(span.end, bytes.count))
        return quoteExcerpt(String(decoding: bytes[lo..<hi], as: UTF8.self))
    }

    static func quoteExcerpt(_ text: String) -> String {
        "`" + (text.count > 24 ? String(text.prefix(20)) + "…" : text) + "`"
    }
}
