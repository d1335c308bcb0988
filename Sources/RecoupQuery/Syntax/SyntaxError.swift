import RecoupStore

/// The lexical and syntax errors (`RQ1xx`), each documented in docs/QUERY.md, "Syntax errors".
/// Messages are lowercase phrases without a final period; names and tokens are in backticks.
enum SyntaxError {
    /// RQ101: a character that starts no token.
    @inline(never)
    static func unexpected(_ span: Span, _ text: String, help: String? = nil) -> QueryError {
        let shown: String
        if let s = text.unicodeScalars.first, text.unicodeScalars.count == 1,
           s.properties.generalCategory == .control || s.properties.isWhitespace {
            shown = "U+" + String(String(s.value, radix: 16, uppercase: true).paddedLeft(to: 4))
        } else {
            shown = "`\(text)`"
        }
        return QueryError("RQ101", "unexpected character \(shown)", at: span, help: help)
    }

    /// RQ102
    @inline(never)
    static func unterminatedString(_ span: Span, quote: UInt8) -> QueryError {
        let q = quote == 0x27 ? "'" : "\""
        return QueryError("RQ102", "unterminated string", at: span, help: "close the string with `\(q)` on the same line; write a line break as `\\n`")
    }

    /// RQ103: `@` not followed by a real `YYYY-MM-DD` date.
    @inline(never)
    static func badDate(_ span: Span, written: String) -> QueryError {
        var help = "write dates as `@YYYY-MM-DD`, e.g. `@2025-01-31`"
        let parts = written.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
           let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), y >= 1 {
            if m < 1 || m > 12 {
                help = "months run from 01 to 12"
            } else if d < 1 || d > CivilDate.daysInMonth(year: y, month: m) {
                help = "\(parts[0])-\(parts[1]) has \(CivilDate.daysInMonth(year: y, month: m)) days"
            }
        }
        let message = written.isEmpty ? "expected a date after `@`" : "invalid date " + Token.quoteExcerpt("@" + written)
        return QueryError("RQ103", message, at: span, help: help)
    }

    /// RQ104
    @inline(never)
    static func numberOutOfRange(_ span: Span, text: String) -> QueryError {
        QueryError("RQ104", "number \(Token.quoteExcerpt(text)) is out of range", at: span,
                          help: "whole numbers lie between -9223372036854775807 and 9223372036854775807")
    }

    /// RQ105
    @inline(never)
    static func malformedNumber(_ span: Span, missingFraction: Bool) -> QueryError {
        QueryError("RQ105", missingFraction ? "expected digits after the decimal point" : "malformed number", at: span,
                   help: "write numbers as `12` or `12.50`")
    }

    /// RQ106
    @inline(never)
    static func unknownEscape(_ span: Span) -> QueryError {
        QueryError("RQ106", "unknown escape in string", at: span, help: "the escapes are `\\\"`, `\\'`, `\\\\`, `\\n`, `\\t` and `\\r`")
    }

    /// RQ107
    @inline(never)
    static func missingParameterName(_ span: Span) -> QueryError {
        QueryError("RQ107", "expected a parameter name after `$`", at: span, help: "parameters are written `$name` and given with `--param name=value`")
    }

    /// RQ108: a name in backticks not closed on its line.
    @inline(never)
    static func unterminatedName(_ span: Span) -> QueryError {
        QueryError("RQ108", "unterminated name in backticks", at: span, help: "close the name with `` ` `` on the same line")
    }

    /// RQ108: ``` `` ```
    @inline(never)
    static func emptyName(_ span: Span) -> QueryError {
        QueryError("RQ108", "empty name in backticks", at: span)
    }

    /// RQ110: the general "expected X, found Y".
    @inline(never)
    static func expected(_ what: String, found: Token, in bytes: [UInt8], help: String? = nil) -> QueryError {
        QueryError("RQ110", "expected \(what), found \(found.described(in: bytes))", at: found.span, help: help ?? keywordHelp(found))
    }

    /// When a keyword stands where a name or value belongs, say how to use it as a name.
    @inline(never)
    static func keywordHelp(_ found: Token) -> String? {
        guard case .keyword(let k) = found.kind, ![.null, .true, .false].contains(k) else { return nil }
        return "`\(k.rawValue)` is a keyword; write `` `\(k.rawValue)` `` for a name spelled like it"
    }

    /// RQ111
    @inline(never)
    static func unknownStage(_ name: String, _ span: Span) -> QueryError {
        let stages = Token.Keyword.stages.map(\.rawValue)
        let suggestion = stageAliases[name] ?? stageAliases[name.lowercased()] ?? closest(name, in: stages)
        let help = suggestion.map { "did you mean `\($0)`?" } ?? "the stages are " + stages.map { "`\($0)`" }.joined(separator: ", ")
        return QueryError("RQ111", "unknown stage `\(name)`", at: span, help: help)
    }

    /// The candidate nearest to `word` (`Suggest.closest`), also across one swap of neighbouring letters (`form` → `from`).
    static func closest(_ word: String, in candidates: [String]) -> String? {
        if let c = Suggest.closest(word, in: candidates) { return c }
        let w = Array(word.lowercased())
        return candidates.first { c in
            let c = Array(c)
            guard c.count == w.count, let i = (0..<w.count).first(where: { w[$0] != c[$0] }), i + 1 < w.count else { return false }
            return w[i] == c[i + 1] && w[i + 1] == c[i] && w[(i + 2)...] == c[(i + 2)...]
        }
    }

    /// Stage names from other languages (SQL, PRQL, KQL, dplyr), and what they are here.
    static let stageAliases: [String: String] = [
        "filter": "where", "having": "where",
        "order": "sort", "orderby": "sort", "order_by": "sort", "arrange": "sort",
        "limit": "take", "head": "take", "top": "take",
        "summarise": "summarize", "aggregate": "summarize", "group": "summarize", "groupby": "summarize", "group_by": "summarize",
        "extend": "derive", "mutate": "derive", "let": "derive", "compute": "derive",
        "project": "select", "keep": "select",
        "lookup": "join", "merge": "join",
    ]

    /// RQ112
    @inline(never)
    static func missingSource(_ found: Token, in bytes: [UInt8], help: String? = nil) -> QueryError {
        let help = help ?? "start with a source: `from TABLE` (`accounts`, `contacts`, `payments`, `promises`, `scores`) or `kpi NAME`"
        if found.isEnd { return QueryError("RQ112", "the query is empty", help: help) }
        return QueryError("RQ112", "missing source: expected `from`, `kpi` or a table name, found \(found.described(in: bytes))", at: found.span, help: help)
    }

    /// RQ113: tokens left over after a complete source or stage, or after the final `;`.
    @inline(never)
    static func trailing(_ found: Token, after what: String, in bytes: [UInt8], help: String? = nil) -> QueryError {
        QueryError("RQ113", "unexpected \(found.described(in: bytes)) after \(what)", at: found.span, help: help ?? keywordHelp(found))
    }

    /// RQ114
    @inline(never)
    static func missingPipe(_ found: Token) -> QueryError {
        guard case .keyword(let k) = found.kind else { preconditionFailure("missingPipe needs a stage keyword") }
        return QueryError("RQ114", "missing `|` before `\(k.rawValue)`", at: found.span, help: "stages are joined by `|`: `… | \(k.rawValue) …`")
    }

    /// RQ115
    @inline(never)
    static func assignInExpression(_ span: Span) -> QueryError {
        QueryError("RQ115", "`=` is not a comparison", at: span, help: "use `==` to compare; `=` only names a column (`derive x = …`)")
    }

    /// RQ116
    @inline(never)
    static func keywordAsName(_ keyword: Token.Keyword, _ span: Span, what: String) -> QueryError {
        QueryError("RQ116", "expected \(what), found keyword `\(keyword.rawValue)`", at: span,
                   help: "write `` `\(keyword.rawValue)` `` to use `\(keyword.rawValue)` as a name")
    }

    /// RQ117
    @inline(never)
    static func duplicateClause(_ clause: String, _ span: Span) -> QueryError {
        QueryError("RQ117", "`\(clause)` is given twice in the `kpi` source", at: span, help: "each clause of `kpi` may appear once")
    }

    /// RQ118
    @inline(never)
    static func unknownKPIClause(_ word: String, _ span: Span, suggestion: String) -> QueryError {
        QueryError("RQ118", "unknown `kpi` clause `\(word)`", at: span, help: "did you mean `\(suggestion)`?")
    }

    /// RQ120
    @inline(never)
    static func chainedComparison(_ span: Span) -> QueryError {
        QueryError("RQ120", "comparisons cannot be chained", at: span,
                   help: "combine them with `and` (`a < b and b < c`) or add parentheses")
    }

    /// RQ121
    @inline(never)
    static func tooDeep(_ span: Span, limit: Int) -> QueryError {
        QueryError("RQ121", "expression is nested too deeply (more than \(limit) levels)", at: span,
                   help: "split it with `derive`, or use `in (…)` instead of a long chain of `or`")
    }
}

extension String {
    fileprivate func paddedLeft(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
