/// An expression as it was parsed: the node, the depth of its tree, and its extent in
/// the text, which includes any parentheses around it (the node's own span does not).
struct Parsed {
    var expr: Expr
    var depth: Int
    var extent: Span
}

/// How tightly an operator binds, loosest first (docs/QUERY.md, "Expressions").
enum Precedence: Int, Comparable {
    case lowest, or, and, not, comparison, additive, multiplicative, unary

    static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }

    var tighter: Precedence { Precedence(rawValue: rawValue + 1) ?? .unary }
}

/// Expressions by precedence climbing: one frame per operand rather than one per level, so that
/// deep nesting stays within a small thread stack. Rare paths live in `@inline(never)` functions
/// to keep the recursive frames small.
extension SyntaxParser {
    /// A whole expression.
    mutating func expression() throws -> Parsed {
        try expression(above: .lowest)
    }

    /// An expression whose operators all bind at least as tightly as `minimum`.
    mutating func expression(above minimum: Precedence) throws -> Parsed {
        var l = try prefix(above: minimum)
        var compared = false
        while true {
            let t = try peek()
            guard case .punct(let p) = t.kind else {
                guard case .keyword(let k) = t.kind else { return l }
                switch k {
                case .or, .and:
                    let level: Precedence = k == .or ? .or : .and
                    guard level >= minimum else { return l }
                    try advance()
                    let r = try expression(above: level.tighter)
                    l = try node(.binary(k == .or ? .or : .and, l.expr, r.expr, Span.covering(l.extent, r.extent)), l, r)
                    compared = false
                case .in, .between, .is, .not:
                    guard minimum <= .comparison else { return l }
                    if k == .not, case let n = try peek(1), !(n.isKeyword(.in) || n.isKeyword(.between)) {
                        try fail(notWithoutInOrBetween(n))
                    }
                    if compared { try fail(SyntaxError.chainedComparison(t.span)) }
                    l = try keywordComparison(l, k)
                    compared = true
                default:
                    return l
                }
                continue
            }
            let op: BinaryOp, level: Precedence
            switch p {
            case .plus: (op, level) = (.add, .additive)
            case .minus: (op, level) = (.subtract, .additive)
            case .star: (op, level) = (.multiply, .multiplicative)
            case .slash: (op, level) = (.divide, .multiplicative)
            case .assign: try fail(SyntaxError.assignInExpression(t.span))
            default:
                guard let c = p.comparison else { return l }
                (op, level) = (c, .comparison)
            }
            guard level >= minimum else { return l }
            if level == .comparison {
                if compared { try fail(SyntaxError.chainedComparison(t.span)) }
                compared = true
            }
            try advance()
            let r = try expression(above: level.tighter)
            l = try node(.binary(op, l.expr, r.expr, Span.covering(l.extent, r.extent)), l, r)
        }
    }

    /// A node over its children, refused when the tree would grow deeper than `Parser.maxDepth`.
    @inline(never)
    func node(_ e: Expr, _ children: Parsed...) throws -> Parsed {
        try node(e, children)
    }

    @inline(never)
    func node(_ e: Expr, _ children: [Parsed]) throws -> Parsed {
        let depth = 1 + children.reduce(0) { max($0, $1.depth) }
        if depth > Parser.maxDepth { try fail(SyntaxError.tooDeep(e.span, limit: Parser.maxDepth)) }
        return Parsed(expr: e, depth: depth, extent: e.span)
    }

    /// Throws `error`; out of line, so the recursive parsing functions keep small frames.
    @inline(never)
    func fail(_ error: @autoclosure () -> QueryError) throws -> Never {
        throw error()
    }

    /// Counts one level of parser recursion.
    mutating func enter(_ span: Span) throws {
        nesting += 1
        if nesting > Parser.maxNesting { try fail(SyntaxError.tooDeep(span, limit: Parser.maxNesting)) }
    }

    /// `not x`, `-x`, or a primary.
    mutating func prefix(above minimum: Precedence) throws -> Parsed {
        let t = try peek()
        let op: UnaryOp, operandLevel: Precedence
        if t.isKeyword(.not) {
            guard minimum <= .not else { try fail(notAsOperand(t)) }
            (op, operandLevel) = (.not, .not)
        } else if t.isPunct(.minus) {
            (op, operandLevel) = (.negate, .unary)
        } else if t.isPunct(.openParen) {
            return try parenthesized()
        } else {
            return try primary()
        }
        try advance()
        try enter(t.span)
        let operand = try expression(above: operandLevel)
        nesting -= 1
        return try node(.unary(op, operand.expr, Span.covering(t.span, operand.extent)), operand)
    }

    @inline(never)
    func notWithoutInOrBetween(_ found: Token) -> QueryError {
        expected("`in` or `between` after `not`", found,
                 help: "`not` here negates `in (…)` or `between`; to negate a condition write `not` before it")
    }

    @inline(never)
    func notAsOperand(_ t: Token) -> QueryError {
        expected("a value", t, help: "`not` binds looser than comparisons and arithmetic; write `(not …)`")
    }

    /// `[not] in (…)`, `[not] between A and B`, `is [not] null` after the operand `l`.
    @inline(never)
    mutating func keywordComparison(_ l: Parsed, _ k: Token.Keyword) throws -> Parsed {
        try advance()
        switch k {
        case .in: return try inList(l, negated: false)
        case .between: return try between(l, negated: false)
        case .not:
            let n = try advance()
            return n.isKeyword(.in) ? try inList(l, negated: true) : try between(l, negated: true)
        default:
            let negated = try take(.not) != nil
            let n = try peek()
            guard n.isKeyword(.null) else {
                throw expected(negated ? "`null` after `is not`" : "`null` after `is`", n, help: "`is` only tests for null; compare values with `==`")
            }
            try advance()
            return try node(.isNull(l.expr, negated: negated, Span.covering(l.extent, n.span)), l)
        }
    }

    /// `(a, b, …)` after `in`.
    @inline(never)
    mutating func inList(_ l: Parsed, negated: Bool) throws -> Parsed {
        let open = try peek()
        guard open.isPunct(.openParen) else {
            throw expected("`(` after `in`", open, help: "list the values in parentheses: `x in (1, 2, 3)`")
        }
        try advance()
        if try peek().isPunct(.closeParen) {
            throw expected("a value", try peek(), help: "the list after `in` needs at least one value")
        }
        try enter(open.span)
        var items: [Parsed] = []
        repeat {
            items.append(try expression())
        } while try take(.comma) != nil
        nesting -= 1
        let close = try closing(open)
        return try node(.inList(l.expr, items.map(\.expr), negated: negated, Span.covering(l.extent, close.span)), [l] + items)
    }

    /// `A and B` after `between`; the bounds are arithmetic, so this `and` is not the logical one.
    @inline(never)
    mutating func between(_ l: Parsed, negated: Bool) throws -> Parsed {
        let lo = try expression(above: .additive)
        guard try take(.and) != nil else {
            throw expected("`and` after the lower bound", try peek(), help: "write `x between LOW and HIGH`")
        }
        let hi = try expression(above: .additive)
        return try node(.between(l.expr, lo.expr, hi.expr, negated: negated, Span.covering(l.extent, hi.extent)), l, lo, hi)
    }

    /// The `)` that closes `open`.
    mutating func closing(_ open: Token) throws -> Token {
        let t = try peek()
        guard t.isPunct(.closeParen) else { try fail(unclosed(open, found: t, commaAllowed: true)) }
        return try advance()
    }

    @inline(never)
    func unclosed(_ open: Token, found: Token, commaAllowed: Bool) -> QueryError {
        expected(commaAllowed ? "`,` or `)`" : "`)`", found, help: "to close the `(` at \(open.span.line):\(open.span.column)")
    }

    /// `( expr )`: the expression, its extent widened to the parentheses.
    mutating func parenthesized() throws -> Parsed {
        let open = try advance()
        try enter(open.span)
        var inner = try expression()
        nesting -= 1
        let close = try peek()
        guard close.isPunct(.closeParen) else { try fail(unclosed(open, found: close, commaAllowed: false)) }
        try advance()
        inner.extent = Span.covering(open.span, close.span)
        return inner
    }

    /// A literal, a parameter, a column or a call.
    mutating func primary() throws -> Parsed {
        let t = try advance()
        switch t.kind {
        case .name(let n, let quoted):
            if try peek().isPunct(.openParen) { return try call(n, t) }
            if inKPIClause, !quoted, Token.kpiClauseWords.contains(n) { try fail(clauseWordAsValue(t, n)) }
            return try node(.column(n, t.span))
        case .parameter(let p):
            return try node(.parameter(p, t.span))
        default:
            return try literal(t)
        }
    }

    @inline(never)
    mutating func literal(_ t: Token) throws -> Parsed {
        let literal: Literal
        switch t.kind {
        case .int(let v): literal = .int(v)
        case .decimal(let d): literal = .decimal(d)
        case .string(let s): literal = .string(s)
        case .date(let d): literal = .date(d)
        case .keyword(.true): literal = .bool(true)
        case .keyword(.false): literal = .bool(false)
        case .keyword(.null): literal = .null
        case .keyword(.not): throw notAsOperand(t)
        default: throw expected("a value", t)
        }
        return try node(.literal(literal, t.span))
    }

    @inline(never)
    func clauseWordAsValue(_ t: Token, _ n: String) -> QueryError {
        expected("a value", t, help: "`\(n)` starts a `kpi` clause here; write `` `\(n)` `` for a column of that name")
    }

    /// `name(args…)`, the name already taken and `(` next.
    @inline(never)
    mutating func call(_ name: String, _ nameToken: Token) throws -> Parsed {
        let open = try advance()
        var args: [Parsed] = []
        if !(try peek().isPunct(.closeParen)) {
            try enter(open.span)
            repeat {
                args.append(try expression())
            } while try take(.comma) != nil
            nesting -= 1
        }
        let close = try closing(open)
        return try node(.call(name, args.map(\.expr), Span.covering(nameToken.span, close.span)), args)
    }
}
