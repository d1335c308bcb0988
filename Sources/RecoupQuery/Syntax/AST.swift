/// The syntax tree of a Recoup query (docs/QUERY.md). Every node keeps the
/// span of text it came from, so binding and run-time errors can point at it.

/// A place in the query text: byte offsets into its UTF-8, and the 1-based
/// line and column (in characters) of `start`.
public struct Span: Equatable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int
    public var line: Int
    public var column: Int

    public init(start: Int, end: Int, line: Int, column: Int) {
        self.start = start
        self.end = end
        self.line = line
        self.column = column
    }

    /// From the start of `a` to the end of `b`.
    public static func covering(_ a: Span, _ b: Span) -> Span { Span(start: a.start, end: b.end, line: a.line, column: a.column) }

    public var description: String { "\(line):\(column)" }
}

public enum Literal: Equatable, Sendable {
    case int(Int64)
    /// A decimal literal as written: `12.50` keeps its digits so money stays exact.
    case decimal(String)
    case string(String)
    /// Days since 1970-01-01 (`@2025-01-31`).
    case date(Int32)
    case bool(Bool)
    case null
}

public enum UnaryOp: String, Sendable { case negate = "-", not }

public enum BinaryOp: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and, or
}

public indirect enum Expr: Equatable, Sendable {
    case literal(Literal, Span)
    case column(String, Span)
    /// `$name`
    case parameter(String, Span)
    /// `name(args…)`, aggregates included (`count()`, `sum(x)`, `quantile(x, 0.9)`).
    case call(String, [Expr], Span)
    case unary(UnaryOp, Expr, Span)
    case binary(BinaryOp, Expr, Expr, Span)
    /// `x [not] in (a, b, …)`
    case inList(Expr, [Expr], negated: Bool, Span)
    /// `x [not] between a and b`
    case between(Expr, Expr, Expr, negated: Bool, Span)
    /// `x is [not] null`
    case isNull(Expr, negated: Bool, Span)

    public var span: Span {
        switch self {
        case .literal(_, let s), .column(_, let s), .parameter(_, let s), .call(_, _, let s), .unary(_, _, let s),
             .binary(_, _, _, let s), .inList(_, _, _, let s), .between(_, _, _, _, let s), .isNull(_, _, let s):
            return s
        }
    }
}

/// `name = expr`; in `select` and `by` the `= expr` may be left out (then `expr` is the column `name`).
public struct Binding: Equatable, Sendable {
    public var name: String
    public var expr: Expr
    public var span: Span

    public init(name: String, expr: Expr, span: Span) {
        self.name = name
        self.expr = expr
        self.span = span
    }
}

public struct SortKey: Equatable, Sendable {
    public var expr: Expr
    public var descending: Bool
    public var span: Span

    public init(expr: Expr, descending: Bool, span: Span) {
        self.expr = expr
        self.descending = descending
        self.span = span
    }
}

/// `kpi NAME [from @D to @D] [as of @D] [by a, b] [grace N] [month @D] [summary]`
public struct KPISource: Equatable, Sendable {
    public var name: String
    public var nameSpan: Span
    public var from: Expr?
    public var to: Expr?
    public var asOf: Expr?
    public var by: [(String, Span)]
    public var grace: Expr?
    public var month: Expr?
    public var summary: Bool

    public init(name: String, nameSpan: Span, from: Expr? = nil, to: Expr? = nil, asOf: Expr? = nil, by: [(String, Span)] = [],
                grace: Expr? = nil, month: Expr? = nil, summary: Bool = false) {
        self.name = name
        self.nameSpan = nameSpan
        self.from = from
        self.to = to
        self.asOf = asOf
        self.by = by
        self.grace = grace
        self.month = month
        self.summary = summary
    }

    public static func == (a: KPISource, b: KPISource) -> Bool {
        a.name == b.name && a.from == b.from && a.to == b.to && a.asOf == b.asOf && a.by.map(\.0) == b.by.map(\.0)
            && a.grace == b.grace && a.month == b.month && a.summary == b.summary
    }
}

public enum Source: Equatable, Sendable {
    /// `from accounts` (or just `accounts`); also `scores`.
    case table(String, Span)
    case kpi(KPISource, Span)
}

public enum Stage: Equatable, Sendable {
    case `where`(Expr, Span)
    case derive([Binding], Span)
    case select([Binding], Span)
    case summarize(aggregates: [Binding], by: [Binding], Span)
    case sort([SortKey], Span)
    case take(Int64, Span)
    /// `join [left] TABLE on COLUMN`
    case join(table: String, tableSpan: Span, left: Bool, on: String, onSpan: Span, Span)

    public var span: Span {
        switch self {
        case .where(_, let s), .derive(_, let s), .select(_, let s), .summarize(_, _, let s), .sort(_, let s), .take(_, let s),
             .join(_, _, _, _, _, let s):
            return s
        }
    }
}

public struct Query: Equatable, Sendable {
    public var source: Source
    public var stages: [Stage]

    public init(source: Source, stages: [Stage]) {
        self.source = source
        self.stages = stages
    }
}

/// A mistake in a query, pointing at its place. `render` shows the line with a caret.
public struct QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A stable code, e.g. `RQ101` (see docs/QUERY.md for the list).
    public var code: String
    public var message: String
    public var span: Span?
    /// "did you mean `amount`?" and similar.
    public var help: String?

    public init(_ code: String, _ message: String, at span: Span? = nil, help: String? = nil) {
        self.code = code
        self.message = message
        self.span = span
        self.help = help
    }

    public var description: String {
        (span.map { "\($0.line):\($0.column): " } ?? "") + "error[\(code)]: " + message + (help.map { "\nhelp: " + $0 } ?? "")
    }

    /// The error with the offending line of `text` and a caret (`^~~~`) under the span, rustc style.
    public func render(_ text: String, name: String = "query") -> String {
        var out = "error[\(code)]: \(message)\n"
        guard let span else { return out + (help.map { "help: \($0)\n" } ?? "") }
        // Lines by LF (a CR before it is dropped); widths in characters, tabs kept so the caret lines up.
        let bytes = Array(text.utf8)
        var lineStart = 0, line = 1
        for (i, b) in bytes.enumerated() where line < span.line && b == 0x0A { line += 1; lineStart = i + 1 }
        var lineEnd = lineStart
        while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
        if lineEnd > lineStart && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let lineText = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        let gutter = String(repeating: " ", count: String(span.line).count)
        out += "\(gutter)--> \(name):\(span.line):\(span.column)\n"
        out += "\(gutter) |\n"
        out += "\(span.line) | \(lineText)\n"
        let from = min(max(span.start, lineStart), lineEnd), to = min(max(span.end, from), lineEnd)
        let lead = String(decoding: bytes[lineStart..<from], as: UTF8.self).map { $0 == "\t" ? "\t" : " " }.joined()
        let width = max(1, String(decoding: bytes[from..<to], as: UTF8.self).count)
        out += "\(gutter) | " + lead + "^" + String(repeating: "~", count: width - 1) + "\n"
        if let help { out += "\(gutter) = help: \(help)\n" }
        return out
    }
}
