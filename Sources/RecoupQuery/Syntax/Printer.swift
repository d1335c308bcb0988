import RecoupStore

/// Canonical text for queries: parsing `formatted` gives back the same tree (spans aside).
public extension Query {
    /// One line for the source and one per stage, each stage after `| `.
    var formatted: String { QueryPrinter.query(self, separator: "\n| ") }

    /// The whole query on one line (`from payments | where amount > 0 | take 10`).
    var formattedOnOneLine: String { QueryPrinter.query(self, separator: " | ") }
}

public extension Expr {
    /// The expression as the parser reads it back, with the parentheses it needs and no more.
    var formatted: String { QueryPrinter.expr(self, above: .loosest, kpiClause: false) }
}

enum QueryPrinter {
    /// Binding strength, loosest first; a child is parenthesized when it binds looser than its place needs.
    enum Level: Int, Comparable {
        case loosest, or, and, not, comparison, additive, multiplicative, unary, primary

        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    static func query(_ q: Query, separator: String) -> String {
        ([source(q.source)] + q.stages.map(stage)).joined(separator: separator)
    }

    static func source(_ s: Source) -> String {
        switch s {
        case .table(let name, _):
            return "from " + quoted(name)
        case .kpi(let k, _):
            var parts = ["kpi", quoted(k.name)]
            func clause(_ word: String, _ e: Expr?) {
                if let e { parts.append(word + " " + expr(e, above: .additive, kpiClause: true)) }
            }
            clause("from", k.from)
            clause("to", k.to)
            clause("as of", k.asOf)
            if !k.by.isEmpty {
                parts.append("by " + k.by.map { Token.kpiClauseWords.contains($0.0) ? "`\($0.0)`" : quoted($0.0) }.joined(separator: ", "))
            }
            clause("grace", k.grace)
            clause("month", k.month)
            if k.summary { parts.append("summary") }
            return parts.joined(separator: " ")
        }
    }

    static func stage(_ s: Stage) -> String {
        switch s {
        case .where(let e, _):
            return "where " + expr(e, above: .loosest, kpiClause: false)
        case .derive(let items, _):
            return "derive " + items.map { binding($0, short: false) }.joined(separator: ", ")
        case .select(let items, _):
            return "select " + items.map { binding($0, short: true) }.joined(separator: ", ")
        case .summarize(let aggregates, let keys, _):
            var text = "summarize"
            if !aggregates.isEmpty { text += " " + aggregates.map { binding($0, short: false) }.joined(separator: ", ") }
            if !keys.isEmpty { text += " by " + keys.map { binding($0, short: true) }.joined(separator: ", ") }
            return text
        case .sort(let keys, _):
            return "sort " + keys.map { expr($0.expr, above: .loosest, kpiClause: false) + ($0.descending ? " desc" : "") }.joined(separator: ", ")
        case .take(let n, _):
            return "take \(n)"
        case .join(let table, _, let left, let on, _, _):
            return "join " + (left ? "left " : "") + (table == "left" ? "`left`" : quoted(table)) + " on " + quoted(on)
        }
    }

    /// `name = expr`, or just `name` when `short` and the expression is the column of that name.
    static func binding(_ b: Binding, short: Bool) -> String {
        if short, case .column(let c, _) = b.expr, c == b.name { return quoted(b.name) }
        return quoted(b.name) + " = " + expr(b.expr, above: .loosest, kpiClause: false)
    }

    /// A name as written: bare when it can be, else in backticks.
    static func quoted(_ name: String) -> String {
        Token.isPlainName(name) ? name : "`" + name + "`"
    }

    static func level(_ e: Expr) -> Level {
        switch e {
        case .literal, .column, .parameter, .call: .primary
        case .unary(.negate, _, _): .unary
        case .unary(.not, _, _): .not
        case .binary(let op, _, _, _):
            switch op {
            case .or: .or
            case .and: .and
            case .add, .subtract: .additive
            case .multiply, .divide: .multiplicative
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: .comparison
            }
        case .inList, .between, .isNull: .comparison
        }
    }

    /// `e` in a place that needs at least `above` binding strength.
    static func expr(_ e: Expr, above: Level, kpiClause: Bool) -> String {
        let text = bare(e, kpiClause: kpiClause)
        return level(e) < above ? "(" + text + ")" : text
    }

    private static func bare(_ e: Expr, kpiClause k: Bool) -> String {
        switch e {
        case .literal(let lit, _):
            return literal(lit)
        case .column(let name, _):
            return k && Token.kpiClauseWords.contains(name) ? "`\(name)`" : quoted(name)
        case .parameter(let name, _):
            return "$" + name
        case .call(let name, let args, _):
            return quoted(name) + "(" + args.map { expr($0, above: .loosest, kpiClause: k) }.joined(separator: ", ") + ")"
        case .unary(.negate, let x, _):
            // `- -x`, not `-(-x)`: parentheses would count against `Parser.maxNesting`.
            let operand = expr(x, above: .unary, kpiClause: k)
            return operand.hasPrefix("-") ? "- " + operand : "-" + operand
        case .unary(.not, let x, _):
            return "not " + expr(x, above: .not, kpiClause: k)
        case .binary(let op, let l, let r, _):
            let mine = level(e)
            // Left-associative: the right operand must bind tighter; comparisons do not chain at all.
            let left = mine == .comparison ? Level.additive : mine
            let right = Level(rawValue: mine.rawValue + 1)!
            return expr(l, above: left, kpiClause: k) + " " + op.rawValue + " " + expr(r, above: right, kpiClause: k)
        case .inList(let x, let items, let negated, _):
            return expr(x, above: .additive, kpiClause: k) + (negated ? " not in (" : " in (")
                + items.map { expr($0, above: .loosest, kpiClause: k) }.joined(separator: ", ") + ")"
        case .between(let x, let lo, let hi, let negated, _):
            return expr(x, above: .additive, kpiClause: k) + (negated ? " not between " : " between ")
                + expr(lo, above: .additive, kpiClause: k) + " and " + expr(hi, above: .additive, kpiClause: k)
        case .isNull(let x, let negated, _):
            return expr(x, above: .additive, kpiClause: k) + (negated ? " is not null" : " is null")
        }
    }

    static func literal(_ lit: Literal) -> String {
        switch lit {
        case .int(let v): return String(v)
        case .decimal(let d): return d
        case .string(let s): return string(s)
        case .date(let d): return "@" + CivilDate.format(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// A string literal in double quotes with its escapes.
    static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
