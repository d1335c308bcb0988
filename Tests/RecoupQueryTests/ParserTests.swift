import Foundation
import XCTest
@testable import RecoupQuery
import RecoupStore

/// The span of the `nth` occurrence of `piece` in `text`, worked out independently of the lexer.
func span(of piece: String, in text: String, _ nth: Int = 1) -> Span {
    var from = text.startIndex
    var found: Range<String.Index>?
    for _ in 0..<nth {
        found = text.range(of: piece, range: from..<text.endIndex)
        guard let f = found else { fatalError("`\(piece)` occurs fewer than \(nth) times") }
        from = f.upperBound
    }
    let r = found!
    let before = text[..<r.lowerBound]
    let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
    let start = before.utf8.count
    return Span(start: start, end: start + text[r].utf8.count, line: before.filter { $0 == "\n" }.count + 1,
                column: text[lineStart..<r.lowerBound].count + 1)
}

/// The text a span covers.
func text(_ s: Span, in text: String) -> String {
    String(decoding: Array(text.utf8)[s.start..<s.end], as: UTF8.self)
}

func parseShape(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Query? {
    do {
        return try Parser.parse(text).withoutSpans
    } catch let e as QueryError {
        XCTFail("\(text)\n" + e.render(text), file: file, line: line)
    } catch {
        XCTFail("\(error)", file: file, line: line)
    }
    return nil
}

final class ParserTests: XCTestCase {
    let core = """
        from payments
        | where paid_date >= @2025-01-01 and amount > 0
        | join accounts on account_id
        | derive month = month(paid_date)
        | summarize collected = sum(amount), payers = count_distinct(account_id) by portfolio, month
        | sort collected desc
        | take 10
        """

    func testTheCoreExampleParsesToItsExactTree() throws {
        let t = core
        func s(_ piece: String, _ nth: Int = 1) -> Span { span(of: piece, in: t, nth) }
        let paidDate = Expr.column("paid_date", s("paid_date"))
        let positive = s("amount > 0")
        let zero = Span(start: positive.end - 1, end: positive.end, line: positive.line, column: positive.column + 9)
        let jan1 = Expr.literal(.date(CivilDate.days(year: 2025, month: 1, day: 1)), s("@2025-01-01"))
        let cond = Expr.binary(.and,
                               .binary(.greaterEqual, paidDate, jan1, s("paid_date >= @2025-01-01")),
                               .binary(.greater, .column("amount", s("amount")), .literal(.int(0), zero), s("amount > 0")),
                               s("paid_date >= @2025-01-01 and amount > 0"))
        let expected = Query(source: .table("payments", s("payments")), stages: [
            .where(cond, s("where paid_date >= @2025-01-01 and amount > 0")),
            .join(table: "accounts", tableSpan: s("accounts"), left: false, on: "account_id", onSpan: s("account_id"),
                  s("join accounts on account_id")),
            .derive([Binding(name: "month", expr: .call("month", [.column("paid_date", s("paid_date", 2))], s("month(paid_date)")),
                             span: s("month = month(paid_date)"))],
                    s("derive month = month(paid_date)")),
            .summarize(aggregates: [
                Binding(name: "collected", expr: .call("sum", [.column("amount", s("amount", 2))], s("sum(amount)")),
                        span: s("collected = sum(amount)")),
                Binding(name: "payers", expr: .call("count_distinct", [.column("account_id", s("account_id", 2))], s("count_distinct(account_id)")),
                        span: s("payers = count_distinct(account_id)")),
            ], by: [
                Binding(name: "portfolio", expr: .column("portfolio", s("portfolio")), span: s("portfolio")),
                Binding(name: "month", expr: .column("month", s("month", 3)), span: s("month", 3)),
            ], s("summarize collected = sum(amount), payers = count_distinct(account_id) by portfolio, month")),
            .sort([SortKey(expr: .column("collected", s("collected", 2)), descending: true, span: s("collected desc"))], s("sort collected desc")),
            .take(10, s("take 10")),
        ])
        XCTAssertEqual(try Parser.parse(t), expected)
        XCTAssertEqual(try Parser.parse(t).formatted, t, "the core example is already in canonical form")
        XCTAssertEqual(s("month", 3).line, 5)
        XCTAssertEqual(s("month", 3).column, 88)
    }

    static let roundTrips = [
        "from accounts",
        "accounts | take 5",
        "payments;",
        "from contacts | where channel in (\"call\", \"sms\") and outcome not in ('busy', \"no_answer\")",
        "from payments | where amount between 10 and 100.50 or amount not between 0 and 1",
        "from accounts | where agent_id is null or credit_score is not null",
        "from payments | derive a = -amount * 2 + 1, b = -(amount + 1) / 3, c = - -amount, d = -(-amount)",
        "from payments | where not (amount > 0 and method == \"card\") or not amount < 5",
        "from payments | where $min_amount <= amount and paid_date < @2025-03-01",
        "kpi liquidation_rate from @2025-01-01 to @2025-03-31 as of @2025-04-01 by portfolio, region",
        "from kpi promise_adherence grace 5 by agent_id",
        "kpi roll_rate month @2024-02-29 summary | take 3",
        "kpi call_compliance summary as of $asof by channel, local_hour | sort violations desc",
        "kpi `to` to today() - 1 from month(today() - 30) by `month`, portfolio",
        "kpi x from (`to` + 1) to `as` * 2",
        "from payments | summarize n = count(), total = sum(amount), p90 = quantile(amount, 0.9) by m = month(paid_date), method",
        "from payments | summarize by method, y = year(paid_date)",
        "from payments | sort account_id, paid_date desc, amount asc, -amount | take 100",
        "from payments | select payment_id, amt = amount, `from` = paid_date, `select`",
        "from payments | join left accounts on account_id | where portfolio == \"auto\"",
        "from payments | join `left` on `on` | join left `left` on x",
        "from accounts | derive age = days(opened_date, today()), flag = true, off = false, nothing = null",
        "from contacts | where local_hour(ts, account_id) between 8 and 21 - 1",
        "from payments | where (a - b) - c == a - (b - c) and (a / b) / c != a / (b / c)",
        "from payments | where a * (b + c) / d >= (a * b) / (c * d)",
        #"from payments | where s == "quote \" backslash \\ newline \n tab \t return \r""#,
        "from payments | derive x = 'single', y = \"mixed 'quotes'\", z = 'it\\'s'",
        "from payments # the table\n| where amount > 0 # positive\n\n| take 1;",
        "from payments | where (x in (1, 2)) == true and (y is null) != (z between 1 and 2)",
        "from payments | where not not x and not (not y)",
        "from payments | where x == -9223372036854775807 and y == 9223372036854775807",
        "from payments | derive d = 0.000, e = 007, f = 12.50",
        "from `weird table` | select `col with space` = `from`, `2x`, `naïve`",
        "from payments | where f() + g(1, h(2, 3)) > 0 and `in`(x) == `month`(y)",
        "from payments | where (a or b) and (c or d) or not e and f",
        "from payments | where amount in (1, 2 + 3, (4), -5, $p, month(@2025-01-31))",
        "from payments | where s in (\"naïve\", \"日本\", \"emoji 🙂\")",
        "from payments\n| where x > 1\n| where y < 2\n| derive z = x + y\n| select z\n| sort z desc\n| take 5;",
        "from payments | where (((x)))",
        "from payments | where -(-(x)) == x - -x",
    ]

    func testRoundTripsThroughFormatted() throws {
        for q in Self.roundTrips {
            guard let original = parseShape(q) else { continue }
            let formatted = try Parser.parse(q).formatted
            guard let again = parseShape(formatted) else { continue }
            XCTAssertEqual(again, original, "\(q)\n→\n\(formatted)")
            XCTAssertEqual(try Parser.parse(formatted).formatted, formatted, "formatting is idempotent")
            let oneLine = try Parser.parse(q).formattedOnOneLine
            XCTAssertFalse(oneLine.contains("\n"))
            XCTAssertEqual(parseShape(oneLine), original, oneLine)
        }
    }

    func testCanonicalForms() throws {
        let cases: [(String, String)] = [
            ("payments|where a=='x'", "from payments\n| where a == \"x\""),
            ("from payments | where ((a + b)) * c", "from payments\n| where (a + b) * c"),
            ("from payments | where a + (b * c)", "from payments\n| where a + b * c"),
            ("from payments | where a - (b - c)", "from payments\n| where a - (b - c)"),
            ("from payments | sort x asc", "from payments\n| sort x"),
            ("from payments | select a = a", "from payments\n| select a"),
            ("from payments | where -(a + b) - -(-c)", "from payments\n| where -(a + b) - - -c"),
            ("from payments | derive a = a", "from payments\n| derive a = a"),
            ("from kpi x summary month @2025-02-01 by a grace 3 as of @2025-03-31 to @2025-03-01 from @2025-01-01",
             "kpi x from @2025-01-01 to @2025-03-01 as of @2025-03-31 by a grace 3 month @2025-02-01 summary"),
            ("from payments | where -(-x)", "from payments\n| where - -x"),
            ("from payments | where --x", "from payments\n| where - -x"),
            ("from payments | derive e = 007", "from payments\n| derive e = 7"),
            ("from payments | take 5;", "from payments\n| take 5"),
        ]
        for (input, canonical) in cases {
            XCTAssertEqual(try Parser.parse(input).formatted, canonical, input)
        }
    }

    func assertSame(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) {
        let qa = parseShape("from t | where " + a, file: file, line: line)
        let qb = parseShape("from t | where " + b, file: file, line: line)
        XCTAssertEqual(qa, qb, "\(a)  vs  \(b)", file: file, line: line)
    }

    func assertDifferent(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(parseShape("from t | where " + a, file: file, line: line), parseShape("from t | where " + b, file: file, line: line),
                          file: file, line: line)
    }

    func testPrecedence() {
        assertSame("a or b and c", "a or (b and c)")
        assertSame("a and b or c", "(a and b) or c")
        assertSame("a or b or c", "(a or b) or c")
        assertDifferent("a or b or c", "a or (b or c)")
        assertSame("not a and b", "(not a) and b")
        assertSame("not a or b", "(not a) or b")
        assertSame("not a == b", "not (a == b)")
        assertSame("not a in (1)", "not (a in (1))")
        assertSame("not x between 1 and 2", "not (x between 1 and 2)")
        assertSame("a == b + c", "a == (b + c)")
        assertSame("a + b == c * d", "(a + b) == (c * d)")
        assertSame("a + b * c", "a + (b * c)")
        assertSame("a * b + c", "(a * b) + c")
        assertSame("a - b - c", "(a - b) - c")
        assertDifferent("a - b - c", "a - (b - c)")
        assertSame("a / b / c", "(a / b) / c")
        assertSame("a / b * c", "(a / b) * c")
        assertSame("-a * b", "(-a) * b")
        assertSame("-a + b", "(-a) + b")
        assertSame("-f(x)", "-(f(x))")
        assertSame("- -a", "-(-a)")
        assertSame("x between 1 and 2 and y", "(x between 1 and 2) and y")
        assertSame("x between a + 1 and b * 2 or z", "(x between (a + 1) and (b * 2)) or z")
        assertSame("x not between 1 and 2 and y", "(x not between 1 and 2) and y")
        assertSame("x in (1, 2) or y", "(x in (1, 2)) or y")
        assertSame("x + 1 in (1, a or b)", "(x + 1) in (1, (a or b))")
        assertSame("a is null and b is not null", "(a is null) and (b is not null)")
        assertSame("a + 1 is null", "(a + 1) is null")
        assertSame("f(a, b or c)", "f(a, (b or c))")
        assertSame("a < b and b <= c or c > d and d >= e and e != f", "((a < b) and (b <= c)) or (((c > d) and (d >= e)) and (e != f))")
    }

    func testPrecedenceTrees() throws {
        let z = Span.none
        let q = parseShape("from t | where not a + b * -c == d or e")
        let product = Expr.binary(.multiply, .column("b", z), .unary(.negate, .column("c", z), z), z)
        let comparison = Expr.binary(.equal, .binary(.add, .column("a", z), product, z), .column("d", z), z)
        XCTAssertEqual(q?.stages, [.where(.binary(.or, .unary(.not, comparison, z), .column("e", z), z), z)])

        let b = parseShape("from t | where x not between 1 and 2 and y not in (3) and z is not null")
        XCTAssertEqual(b?.stages, [.where(.binary(.and,
            .binary(.and,
                    .between(.column("x", z), .literal(.int(1), z), .literal(.int(2), z), negated: true, z),
                    .inList(.column("y", z), [.literal(.int(3), z)], negated: true, z), z),
            .isNull(.column("z", z), negated: true, z), z), z)])
    }

    func testLiterals() throws {
        let z = Span.none
        let q = parseShape(#"from t | select a = 12, b = 12.50, c = "x\"y\\z\n\t", d = 'it\'s', e = @2024-02-29, f = true, g = false, h = null, i = $when, j = 0.5"#)
        guard case .select(let items, _)? = q?.stages.first else { return XCTFail() }
        XCTAssertEqual(items.map(\.expr), [
            .literal(.int(12), z), .literal(.decimal("12.50"), z), .literal(.string("x\"y\\z\n\t"), z), .literal(.string("it's"), z),
            .literal(.date(CivilDate.days(year: 2024, month: 2, day: 29)), z), .literal(.bool(true), z), .literal(.bool(false), z),
            .literal(.null, z), .parameter("when", z), .literal(.decimal("0.5"), z),
        ])
        XCTAssertEqual(parseShape("from t | take 9223372036854775807")?.stages, [.take(Int64.max, z)])
    }

    func testNamesInBackticksAndContextualWords() throws {
        let z = Span.none
        // `month`, `to`, `left` are only special in their places; keywords need backticks.
        let q = parseShape("from t | derive month = month(to), left = `where` + `by` | join left `left` on `on`")
        XCTAssertEqual(q?.stages, [
            .derive([Binding(name: "month", expr: .call("month", [.column("to", z)], z), span: z),
                     Binding(name: "left", expr: .binary(.add, .column("where", z), .column("by", z), z), span: z)], z),
            .join(table: "left", tableSpan: z, left: true, on: "on", onSpan: z, z),
        ])
        XCTAssertEqual(parseShape("`from`")?.source, .table("from", z))
        XCTAssertEqual(parseShape("from `kpi`")?.source, .table("kpi", z))
    }

    func testSources() throws {
        let z = Span.none
        XCTAssertEqual(parseShape("from payments")?.source, .table("payments", z))
        XCTAssertEqual(parseShape("scores")?.source, .table("scores", z))
        let d = { (y: Int, m: Int, day: Int) in Expr.literal(.date(CivilDate.days(year: y, month: m, day: day)), z) }
        var k = KPISource(name: "liquidation_rate", nameSpan: z, from: d(2025, 1, 1), to: d(2025, 3, 31), asOf: d(2025, 4, 2),
                          by: [("portfolio", z), ("region", z)], grace: .literal(.int(5), z), month: d(2025, 2, 1), summary: true)
        let text = "kpi liquidation_rate summary by portfolio, region to @2025-03-31 grace 5 as of @2025-04-02 month @2025-02-01 from @2025-01-01"
        XCTAssertEqual(parseShape(text)?.source, .kpi(k, z))
        XCTAssertEqual(parseShape("from " + text)?.source, .kpi(k, z))
        k = KPISource(name: "dso", nameSpan: z)
        XCTAssertEqual(parseShape("kpi dso")?.source, .kpi(k, z))
        XCTAssertEqual(parseShape("from kpi dso | take 1")?.stages, [.take(1, z)])
        // The period start in `kpi` is its own `from`; by lists stop at a clause word.
        k = KPISource(name: "x", nameSpan: z, from: .parameter("f", z), by: [("a", z)], month: .call("month", [.call("today", [], z)], z))
        XCTAssertEqual(parseShape("from kpi x by a month month(today()) from $f")?.source, .kpi(k, z))
    }

    func testSummarizeWithoutAggregatesAndSelectShorthand() throws {
        let z = Span.none
        XCTAssertEqual(parseShape("from t | summarize by a, b = f(c)")?.stages, [
            .summarize(aggregates: [], by: [Binding(name: "a", expr: .column("a", z), span: z),
                                            Binding(name: "b", expr: .call("f", [.column("c", z)], z), span: z)], z),
        ])
        XCTAssertEqual(parseShape("from t | summarize n = count()")?.stages, [
            .summarize(aggregates: [Binding(name: "n", expr: .call("count", [], z), span: z)], by: [], z),
        ])
    }

    func testSpansCoverExactlyTheirText() throws {
        let t = "from payments\n| where (amount + 1) * 2 > 10 and \"naïve\" == note\n| sort -amount desc, b\n| join left accounts on account_id"
        let q = try Parser.parse(t)
        guard case .where(let cond, let whereSpan) = q.stages[0],
              case .binary(.and, let gt, let eq, let andSpan) = cond,
              case .binary(.greater, let product, _, _) = gt,
              case .binary(.multiply, let sum, _, let productSpan) = product,
              case .binary(.equal, let str, let note, _) = eq
        else { return XCTFail("\(q)") }
        XCTAssertEqual(text(whereSpan, in: t), "where (amount + 1) * 2 > 10 and \"naïve\" == note")
        XCTAssertEqual(text(andSpan, in: t), "(amount + 1) * 2 > 10 and \"naïve\" == note")
        XCTAssertEqual(text(productSpan, in: t), "(amount + 1) * 2", "a node starting with `(` includes it")
        XCTAssertEqual(text(sum.span, in: t), "amount + 1", "the parenthesized node itself does not")
        XCTAssertEqual(sum.span, span(of: "amount + 1", in: t))
        XCTAssertEqual(text(str.span, in: t), "\"naïve\"")
        XCTAssertEqual(note.span, span(of: "note", in: t))
        XCTAssertEqual(note.span.column, 46, "columns count characters, not bytes")
        XCTAssertEqual(note.span.start, 60)

        guard case .sort(let keys, let sortSpan) = q.stages[1] else { return XCTFail() }
        XCTAssertEqual(text(sortSpan, in: t), "sort -amount desc, b")
        XCTAssertEqual(keys.map { text($0.span, in: t) }, ["-amount desc", "b"])
        XCTAssertEqual(text(keys[0].expr.span, in: t), "-amount")
        XCTAssertEqual(sortSpan.line, 3)
        XCTAssertEqual(sortSpan.column, 3)

        guard case .join(_, let tableSpan, true, _, let onSpan, let joinSpan) = q.stages[2] else { return XCTFail() }
        XCTAssertEqual(text(joinSpan, in: t), "join left accounts on account_id")
        XCTAssertEqual(text(tableSpan, in: t), "accounts")
        XCTAssertEqual(onSpan, span(of: "account_id", in: t))
        XCTAssertEqual(q.source, .table("payments", span(of: "payments", in: t)), "a table source's span is its name")

        let k = "from kpi dso from @2025-01-01 by portfolio, region # dims\n| take 1"
        guard case .kpi(let kpi, let kpiSpan) = try Parser.parse(k).source else { return XCTFail() }
        XCTAssertEqual(text(kpiSpan, in: k), "from kpi dso from @2025-01-01 by portfolio, region")
        XCTAssertEqual(kpi.nameSpan, span(of: "dso", in: k))
        XCTAssertEqual(kpi.by.map(\.1), [span(of: "portfolio", in: k), span(of: "region", in: k)])

        let c = "from t | where x in (1, 2) and y not between a and b and z is not null and f(x, y)"
        guard case .where(let e, _) = try Parser.parse(c).stages[0] else { return XCTFail() }
        var spans: [String] = []
        func walk(_ e: Expr) {
            spans.append(text(e.span, in: c))
            if case .binary(_, let l, let r, _) = e { walk(l); walk(r) }
        }
        walk(e)
        XCTAssertTrue(spans.contains("x in (1, 2)"))
        XCTAssertTrue(spans.contains("y not between a and b"))
        XCTAssertTrue(spans.contains("z is not null"))
        XCTAssertTrue(spans.contains("f(x, y)"))
    }

    func testBindingAndSelectSpans() throws {
        let t = "from t | select a, b = a + 1 | summarize n = count() by k"
        let q = try Parser.parse(t)
        guard case .select(let items, _) = q.stages[0], case .summarize(let aggs, let keys, let span) = q.stages[1] else { return XCTFail() }
        XCTAssertEqual(items.map { text($0.span, in: t) }, ["a", "b = a + 1"])
        XCTAssertEqual(items[0].expr, .column("a", items[0].span), "a select shorthand's column is the name itself")
        XCTAssertEqual(text(aggs[0].span, in: t), "n = count()")
        XCTAssertEqual(text(keys[0].span, in: t), "k")
        XCTAssertEqual(text(span, in: t), "summarize n = count() by k")
    }

    func testDeepButReasonableNestingParses() throws {
        let depth = Parser.maxNesting - 1
        let q = "from t | where " + String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth)
        XCTAssertNotNil(parseShape(q))
        let chain = "from t | where " + Array(repeating: "x", count: Parser.maxDepth).joined(separator: " + ")
        XCTAssertNotNil(parseShape(chain))
    }

    func testFormattingStaysWithinTheNestingLimit() throws {
        // Found by the fuzzer: `------x` printed as `-(-(-(…)))` doubled its nesting.
        let n = Parser.maxNesting
        for q in ["from t | sort " + String(repeating: "-", count: n) + "x",
                  "from t | where " + String(repeating: "not ", count: n) + "x",
                  "from t | where " + String(repeating: "-(", count: n / 2) + "x" + String(repeating: ")", count: n / 2)] {
            let formatted = try Parser.parse(q).formatted
            XCTAssertEqual(parseShape(formatted), parseShape(q), formatted)
        }
    }

    func testParsesOnASmallStackThread() throws {
        // A server may parse on a worker thread: the nesting limits keep the recursion within a small stack.
        let n = Parser.maxNesting
        let worst = [
            "from t | where " + String(repeating: "(", count: n) + "x" + String(repeating: ")", count: n),
            "from t | where " + String(repeating: "-(not ", count: n / 3) + "x" + String(repeating: ")", count: n / 3),
            "from t | where " + String(repeating: "f(", count: n) + "x" + String(repeating: ")", count: n),
            "from t | where " + Array(repeating: "x", count: Parser.maxDepth).joined(separator: " + "),
        ]
        let done = expectation(description: "parsed")
        let thread = Thread {
            for text in worst {
                let q = try? Parser.parse(text)
                XCTAssertNotNil(q, text)
                _ = q?.formatted
                _ = q?.withoutSpans == q?.withoutSpans
            }
            done.fulfill()
        }
        thread.stackSize = 1 << 20  // a debug build needs about 8 KiB per level of nesting, a release build 3
        thread.start()
        wait(for: [done], timeout: 10)
    }
}
