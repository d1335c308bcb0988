import RecoupStore

/// Parses query text into a `Query` (docs/QUERY.md, "Grammar").
///
///     let q = try Parser.parse("from payments | where amount > 0 | take 10")
///
/// Errors are `QueryError`s with codes `RQ1xx` that point at the offending token.
public enum Parser {
    /// At most this many levels of parentheses, prefix operators and call arguments.
    public static let maxNesting = 64
    /// At most this deep an expression tree (a chain `a + b + c …` counts one level per operator).
    public static let maxDepth = 200

    public static func parse(_ text: String) throws -> Query {
        var parser = SyntaxParser(text)
        return try parser.query()
    }

    /// One whole expression, alone in `text` (a queue's filter): anything after it, such as a `)` or a
    /// `|` that would close or continue a query it is placed in, is an error.
    public static func expression(_ text: String) throws -> Expr {
        var parser = SyntaxParser(text)
        let e = try parser.expression()
        try parser.end(after: "the expression")
        return e.expr
    }

    /// A whole list of sort keys (`expected_value desc, p_pay_30d`), alone in `text` (a queue's order).
    public static func sortKeys(_ text: String) throws -> [SortKey] {
        var parser = SyntaxParser(text)
        let keys = try parser.sortKeys()
        try parser.end(after: "the sort keys")
        return keys
    }
}

/// The state of one parse: a lexer and the tokens looked at but not yet taken.
struct SyntaxParser {
    var lexer: Lexer
    private var lookahead: [Token] = []
    /// Current depth of parser recursion (parentheses, prefix operators, arguments).
    var nesting = 0
    /// In the value of a `kpi` clause, where `to`, `as`, `grace`, `month`, `summary` are not columns.
    var inKPIClause = false

    init(_ text: String) { lexer = Lexer(text) }

    var bytes: [UInt8] { lexer.bytes }

    // MARK: Tokens

    @inline(never)
    mutating func peek(_ ahead: Int = 0) throws -> Token {
        while lookahead.count <= ahead { lookahead.append(try lexer.next()) }
        return lookahead[ahead]
    }

    @discardableResult @inline(never)
    mutating func advance() throws -> Token {
        let t = try peek()
        lookahead.removeFirst()
        return t
    }

    /// Takes the next token if it is `p`.
    mutating func take(_ p: Token.Punct) throws -> Token? {
        try peek().isPunct(p) ? try advance() : nil
    }

    mutating func take(_ k: Token.Keyword) throws -> Token? {
        try peek().isKeyword(k) ? try advance() : nil
    }

    @inline(never)
    func expected(_ what: String, _ found: Token, help: String? = nil) -> QueryError {
        SyntaxError.expected(what, found: found, in: bytes, help: help)
    }

    /// A name (a plain word or one in backticks) where `what` belongs.
    mutating func name(_ what: String, help: String? = nil) throws -> (String, Span) {
        let t = try peek()
        switch t.kind {
        case .name(let n, _):
            try advance()
            return (n, t.span)
        case .keyword(let k) where !k.isStage && ![.null, .true, .false].contains(k):
            throw SyntaxError.keywordAsName(k, t.span, what: what)
        default:
            throw expected(what, t, help: help)
        }
    }

    // MARK: Query

    mutating func query() throws -> Query {
        let source = try self.source()
        var stages: [Stage] = []
        var after = source.isKPI ? "the `kpi` source" : "the source"
        while true {
            let t = try peek()
            if t.isPunct(.pipe) {
                try advance()
                let stage = try self.stage()
                stages.append(stage)
                after = "the `\(stage.keyword)` stage"
            } else if t.isPunct(.semicolon) {
                try advance()
                let rest = try peek()
                guard rest.isEnd else {
                    throw SyntaxError.trailing(rest, after: "`;`", in: bytes, help: "write one query at a time; `;` may only end the query")
                }
                break
            } else if t.isEnd {
                break
            } else {
                throw leftover(t, after: after, last: stages.last, kpi: source.isKPI && stages.isEmpty)
            }
        }
        return Query(source: source, stages: stages)
    }

    /// The error for a token that cannot continue the source or stage before it.
    func leftover(_ t: Token, after: String, last: Stage?, kpi: Bool) -> QueryError {
        if case .keyword(let k) = t.kind, k.isStage { return SyntaxError.missingPipe(t) }
        if case .name(let word, quoted: false) = t.kind {
            if kpi, let clause = SyntaxParser.kpiClauseAliases[word] ?? SyntaxError.closest(word, in: SyntaxParser.kpiClauses) {
                return SyntaxError.unknownKPIClause(word, t.span, suggestion: clause)
            }
            if case .sort? = last, let order = ["ascending": "asc", "descending": "desc"][word] ?? SyntaxError.closest(word, in: ["asc", "desc"]) {
                return SyntaxError.trailing(t, after: after, in: bytes, help: "did you mean `\(order)`?")
            }
            if let stage = SyntaxError.stageAliases[word] ?? SyntaxError.closest(word, in: Token.Keyword.stages.map(\.rawValue)) {
                return SyntaxError.trailing(t, after: after, in: bytes, help: "stages are joined by `|`: did you mean `| \(stage)`?")
            }
        }
        var help: String?
        switch t.kind {
        case .name, .int, .decimal, .string, .date, .parameter:
            switch last {
            case .derive?, .select?, .summarize?, .sort?: help = "separate the items with `,`"
            case .where?: help = "combine conditions with `and` or `or`"
            case nil where !kpi: help = "a source is followed by stages: `from payments | where …`"
            default: break
            }
        default: break
        }
        return SyntaxError.trailing(t, after: after, in: bytes, help: help)
    }

    // MARK: Sources

    static let kpiClauses = ["from", "to", "as of", "by", "grace", "month", "summary"]
    static let kpiClauseAliases = ["asof": "as of", "as_of": "as of", "until": "to", "since": "from", "group": "by", "period": "from"]

    mutating func source() throws -> Source {
        let t = try peek()
        switch t.kind {
        case .keyword(.from):
            try advance()
            let next = try peek()
            if next.isKeyword(.kpi) {
                try advance()
                return try kpiSource(start: t.span)
            }
            if case .name(let table, _) = next.kind {
                try advance()
                return .table(table, next.span)
            }
            throw expected("a table name or `kpi` after `from`", next,
                           help: next.isEnd || next.isPunct(.pipe) || (next.kind.keyword?.isStage ?? false)
                               ? "name a table: `from payments`" : nil)
        case .keyword(.kpi):
            try advance()
            return try kpiSource(start: t.span)
        case .name(let table, let quoted):
            try advance()
            if !quoted, let k = Token.Keyword(rawValue: table.lowercased()), !(try peek().endsStage) {
                throw SyntaxError.missingSource(t, in: bytes, help: k == .from || k == .kpi ? "keywords are lowercase: write `\(k.rawValue)`" : nil)
            }
            return .table(table, t.span)
        default:
            throw SyntaxError.missingSource(t, in: bytes)
        }
    }

    /// `kpi NAME [from D] [to D] [as of D] [by a, b] [grace N] [month D] [summary]`, clauses in any order.
    mutating func kpiSource(start: Span) throws -> Source {
        let (name, nameSpan) = try self.name("a KPI name", help: "e.g. `kpi liquidation_rate from @2025-01-01 to @2025-03-31`")
        var kpi = KPISource(name: name, nameSpan: nameSpan)
        var end = nameSpan
        var seen: Set<String> = []
        func once(_ clause: String, _ span: Span) throws {
            guard seen.insert(clause).inserted else { throw SyntaxError.duplicateClause(clause, span) }
        }
        while true {
            let t = try peek()
            if t.isKeyword(.from) || t.isWord("to") || t.isWord("grace") || t.isWord("month") {
                let clause = t.isKeyword(.from) ? "from" : String(decoding: bytes[t.span.start..<t.span.end], as: UTF8.self)
                try once(clause, t.span)
                try advance()
                let value = try clauseValue()
                switch clause {
                case "from": kpi.from = value.expr
                case "to": kpi.to = value.expr
                case "grace": kpi.grace = value.expr
                default: kpi.month = value.expr
                }
                end = value.extent
            } else if t.isWord("as") {
                try advance()
                let of = try peek()
                guard of.isWord("of") else { throw expected("`of` after `as`", of, help: "the as-of date is written `as of @2025-03-31`") }
                try advance()
                try once("as of", Span.covering(t.span, of.span))
                let value = try clauseValue()
                kpi.asOf = value.expr
                end = value.extent
            } else if t.isKeyword(.by) {
                try once("by", t.span)
                try advance()
                repeat {
                    let d = try peek()
                    if case .name(let n, let quoted) = d.kind, quoted || !Token.kpiClauseWords.contains(n) {
                        try advance()
                        kpi.by.append((n, d.span))
                        end = d.span
                    } else if case .name(let n, _) = d.kind {
                        throw expected("a dimension name", d, help: "`\(n)` starts a `kpi` clause here; write `` `\(n)` `` for a dimension of that name")
                    } else {
                        _ = try self.name("a dimension name", help: "e.g. `by portfolio, region`")
                    }
                } while try take(.comma) != nil
            } else if t.isWord("summary") {
                try once("summary", t.span)
                try advance()
                kpi.summary = true
                end = t.span
            } else {
                break
            }
        }
        return .kpi(kpi, Span.covering(start, end))
    }

    /// The value of a `kpi` clause: an arithmetic expression (a date, a number, `$param`, `today() - 30`).
    mutating func clauseValue() throws -> Parsed {
        inKPIClause = true
        defer { inKPIClause = false }
        return try expression(above: .additive)
    }

    // MARK: Stages

    /// `KEY [asc|desc], …`
    mutating func sortKeys() throws -> [SortKey] {
        var keys: [SortKey] = []
        if try peek().isKeyword(.by) { throw expected("a sort key", try peek(), help: "write `sort KEY`, without `by`") }
        repeat {
            let e = try expression()
            var span = e.extent
            var descending = false
            if let d = try take(.desc) {
                descending = true
                span = Span.covering(span, d.span)
            } else if let a = try take(.asc) {
                span = Span.covering(span, a.span)
            }
            keys.append(SortKey(expr: e.expr, descending: descending, span: span))
        } while try take(.comma) != nil
        return keys
    }

    /// The end of the text, or an error naming what follows `what`.
    mutating func end(after what: String) throws {
        let rest = try peek()
        guard rest.isEnd else {
            throw SyntaxError.trailing(rest, after: what, in: bytes, help: "write one expression, with no `|` stage or unmatched parenthesis after it")
        }
    }

    mutating func stage() throws -> Stage {
        let t = try advance()
        guard case .keyword(let k) = t.kind, k.isStage else {
            if case .name(let word, quoted: false) = t.kind { throw SyntaxError.unknownStage(word, t.span) }
            throw expected("a stage after `|`", t, help: "the stages are " + Token.Keyword.stages.map { "`\($0.rawValue)`" }.joined(separator: ", "))
        }
        switch k {
        case .where:
            let e = try expression()
            return .where(e.expr, Span.covering(t.span, e.extent))
        case .derive:
            let (items, end) = try bindings(stage: "derive", valueRequired: true)
            return .derive(items, Span.covering(t.span, end))
        case .select:
            let (items, end) = try bindings(stage: "select", valueRequired: false)
            return .select(items, Span.covering(t.span, end))
        case .summarize:
            var aggregates: [Binding] = [], keys: [Binding] = []
            var end = t.span
            if !(try peek().isKeyword(.by)) {
                (aggregates, end) = try bindings(stage: "summarize", valueRequired: true)
            }
            if try take(.by) != nil {
                (keys, end) = try bindings(stage: "by", valueRequired: false)
            }
            return .summarize(aggregates: aggregates, by: keys, Span.covering(t.span, end))
        case .sort:
            let keys = try sortKeys()
            return .sort(keys, Span.covering(t.span, keys[keys.count - 1].span))
        case .take:
            let n = try peek()
            guard case .int(let count) = n.kind else {
                throw expected("a row count after `take`", n, help: "`take` keeps the first N rows: `take 10`")
            }
            try advance()
            return .take(count, Span.covering(t.span, n.span))
        case .join:
            var left = false
            if try peek().isWord("left") {
                try advance()
                left = true
            }
            let (table, tableSpan) = try name("a table name", help: "`join [left] TABLE on COLUMN`")
            guard try take(.on) != nil else {
                throw expected("`on` after the table", try peek(), help: "`join [left] TABLE on COLUMN`: both tables have COLUMN")
            }
            let (column, columnSpan) = try name("a column name after `on`", help: "`join [left] TABLE on COLUMN`: both tables have COLUMN")
            return .join(table: table, tableSpan: tableSpan, left: left, on: column, onSpan: columnSpan, Span.covering(t.span, columnSpan))
        default:
            preconditionFailure("not a stage keyword")
        }
    }

    /// `NAME = EXPR, …`; when `valueRequired` is false, `= EXPR` may be left out (the column NAME).
    mutating func bindings(stage: String, valueRequired: Bool) throws -> ([Binding], Span) {
        var items: [Binding] = []
        repeat {
            if !items.isEmpty, try peek().isKeyword(.by) {
                throw expected("a column name", try peek(), help: "remove the `,` before `by`")
            }
            let (name, nameSpan) = try self.name("a column name", help: bindingHelp(stage))
            if try take(.assign) != nil {
                let e = try expression()
                items.append(Binding(name: name, expr: e.expr, span: Span.covering(nameSpan, e.extent)))
                continue
            }
            let next = try peek()
            if valueRequired {
                if next.isPunct(.openParen) {
                    throw expected("`=` after `\(name)`", next, help: stage == "summarize"
                        ? "name each aggregate: `summarize n = \(name)(…)`" : "name the new column: `derive x = \(name)(…)`")
                }
                throw expected("`=` after `\(name)`", next, help: next.isPunct(.equal) ? "`=` names the new column: `\(stage) \(name) = …`" : bindingHelp(stage))
            }
            if !(next.endsStage || next.isPunct(.comma) || next.isKeyword(.by) || next.kind.keyword?.isStage == true) {
                throw expected("`,` or `|`", next, help: "to \(stage == "by" ? "group by" : "select") a computed value, name it: `\(stage) x = …`")
            }
            items.append(Binding(name: name, expr: .column(name, nameSpan), span: nameSpan))
        } while try take(.comma) != nil
        return (items, items[items.count - 1].span)
    }

    func bindingHelp(_ stage: String) -> String {
        switch stage {
        case "derive": "`derive NAME = EXPR, …`"
        case "select": "`select NAME [= EXPR], …`"
        case "by": "`summarize … by KEY [= EXPR], …`"
        default: "`summarize NAME = AGG(EXPR), … [by KEY, …]`"
        }
    }
}

extension Source {
    var isKPI: Bool {
        if case .kpi = self { return true }
        return false
    }
}

extension Stage {
    /// The word that starts the stage.
    var keyword: String {
        switch self {
        case .where: "where"
        case .derive: "derive"
        case .select: "select"
        case .summarize: "summarize"
        case .sort: "sort"
        case .take: "take"
        case .join: "join"
        }
    }
}

extension Token.Kind {
    var keyword: Token.Keyword? {
        if case .keyword(let k) = self { return k }
        return nil
    }
}
