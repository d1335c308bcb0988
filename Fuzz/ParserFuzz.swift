/// libFuzzer target for the query parser (`make fuzz`). Built by the Makefile from the parser
/// sources and the two RecoupStore files they use; see Fuzz/README.md.
///
/// For every input: parsing must not crash, and either
///  - it fails with an `RQ1xx` `QueryError` whose span lies inside the text at the right line and
///    column, and which renders; or
///  - it succeeds, every span lies inside the text at the right line and column and inside its
///    parent's, and `formatted` (and `formattedOnOneLine`) parse back to the same tree and format
///    to the same text again.

@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    ParserFuzz(text).run()
    return 0
}

struct ParserFuzz {
    let text: String
    let bytes: [UInt8]

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    func run() {
        let query: Query
        do {
            query = try Parser.parse(text)
        } catch let e as QueryError {
            check(e.code.hasPrefix("RQ1") && e.code.count == 5, "syntax errors are RQ1xx: \(e.code)")
            if let s = e.span { checkPlace(s, "error \(e.code)") }
            check(!e.render(text).isEmpty, "render")
            return
        } catch {
            fail("not a QueryError: \(error)")
        }
        checkSpans(query)
        let formatted = query.formatted
        guard let again = try? Parser.parse(formatted) else { fail("formatted text does not parse:\n\(formatted)") }
        check(again.withoutSpans == query.withoutSpans, "formatted text parses to another tree:\n\(formatted)")
        check(again.formatted == formatted, "formatting is not idempotent:\n\(formatted)\n\(again.formatted)")
        let oneLine = query.formattedOnOneLine
        check((try? Parser.parse(oneLine))?.withoutSpans == query.withoutSpans, "one-line text parses to another tree:\n\(oneLine)")
    }

    func fail(_ why: String) -> Never {
        fatalError("\(why)\n--- input ---\n\(text)")
    }

    func check(_ ok: Bool, _ why: @autoclosure () -> String) {
        if !ok { fail(why()) }
    }

    /// The span is inside the text and its line and column are those of its start.
    func checkPlace(_ s: Span, _ what: String) {
        check(0 <= s.start && s.start <= s.end && s.end <= bytes.count, "\(what): span \(s.start)..<\(s.end) outside 0..<\(bytes.count)")
        let before = bytes[..<s.start]
        let line = 1 + before.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        let lineStart = (before.lastIndex(of: 0x0A) ?? -1) + 1
        let column = String(decoding: bytes[lineStart..<s.start], as: UTF8.self).count + 1
        check(s.line == line && s.column == column, "\(what): span says \(s.line):\(s.column), the text \(line):\(column)")
    }

    func checkInside(_ child: Span, _ parent: Span, _ what: String) {
        checkPlace(child, what)
        check(parent.start <= child.start && child.end <= parent.end, "\(what): \(child.start)..<\(child.end) outside its parent \(parent.start)..<\(parent.end)")
    }

    func checkSpans(_ q: Query) {
        switch q.source {
        case .table(_, let s):
            checkPlace(s, "table")
        case .kpi(let k, let s):
            checkPlace(s, "kpi")
            checkInside(k.nameSpan, s, "kpi name")
            for (_, d) in k.by { checkInside(d, s, "kpi dimension") }
            for e in [k.from, k.to, k.asOf, k.grace, k.month].compactMap({ $0 }) { checkExpr(e, in: s) }
        }
        for stage in q.stages {
            let s = stage.span
            checkPlace(s, "stage")
            switch stage {
            case .where(let e, _): checkExpr(e, in: s)
            case .derive(let items, _), .select(let items, _): items.forEach { checkBinding($0, in: s) }
            case .summarize(let aggregates, let keys, _): (aggregates + keys).forEach { checkBinding($0, in: s) }
            case .sort(let keys, _):
                for k in keys {
                    checkInside(k.span, s, "sort key")
                    checkExpr(k.expr, in: k.span)
                }
            case .take: break
            case .join(_, let table, _, _, let column, _):
                checkInside(table, s, "join table")
                checkInside(column, s, "join column")
            }
        }
    }

    func checkBinding(_ b: Binding, in parent: Span) {
        checkInside(b.span, parent, "binding")
        checkExpr(b.expr, in: b.span)
    }

    func checkExpr(_ e: Expr, in parent: Span) {
        let s = e.span
        checkInside(s, parent, "expression")
        switch e {
        case .literal, .column, .parameter: break
        case .call(_, let args, _): args.forEach { checkExpr($0, in: s) }
        case .unary(_, let x, _), .isNull(let x, _, _): checkExpr(x, in: s)
        case .binary(_, let l, let r, _):
            checkExpr(l, in: s)
            checkExpr(r, in: s)
        case .inList(let x, let items, _, _): ([x] + items).forEach { checkExpr($0, in: s) }
        case .between(let x, let lo, let hi, _, _): [x, lo, hi].forEach { checkExpr($0, in: s) }
        }
    }
}
