import Foundation
import XCTest
@testable import RecoupQuery

final class ParserErrorTests: XCTestCase {
    func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> QueryError? {
        do {
            let q = try Parser.parse(text)
            XCTFail("parsed, expected an error: \(text)\n\(q.formatted)", file: file, line: line)
        } catch let e as QueryError {
            return e
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
        return nil
    }

    /// The code, the message and, when given, the help and the text under the span.
    func assertError(_ text: String, _ code: String, _ message: String, help: String? = nil, at spanned: String? = nil,
                     file: StaticString = #filePath, line: UInt = #line) {
        guard let e = error(text, file: file, line: line) else { return }
        XCTAssertEqual(e.code, code, e.render(text), file: file, line: line)
        XCTAssertEqual(e.message, message, file: file, line: line)
        if let help { XCTAssertEqual(e.help, help, file: file, line: line) }
        if let spanned, let s = e.span {
            XCTAssertEqual(String(decoding: Array(text.utf8)[s.start..<s.end], as: UTF8.self), spanned, file: file, line: line)
        }
    }

    func testLexicalErrors() {
        assertError("from t | where a % b", "RQ101", "unexpected character `%`", at: "%")
        assertError("from t | where a && b", "RQ101", "unexpected character `&&`", help: "use `and` to combine conditions", at: "&&")
        assertError("from t | where a || b", "RQ101", "unexpected character `||`", at: "||")
        assertError("from t | where !a", "RQ101", "unexpected character `!`", help: "use `not` to negate, `!=` to compare")
        assertError("from t | where a <> b", "RQ101", "unexpected character `<>`", help: "use `!=` for \"not equal\"")
        assertError("from t | where t.a > 1", "RQ101", "unexpected character `.`")
        assertError("from t | where a > .5", "RQ101", "unexpected character `.`", help: "write a leading zero: `0.5`")
        assertError("from t | where a ≥ 1", "RQ101", "unexpected character `≥`", at: "≥")
        assertError("from t | where a > 1\u{7}", "RQ101", "unexpected character U+0007")
        assertError("from t | where s == \"abc", "RQ102", "unterminated string", at: "\"abc")
        assertError("from t | where s == 'abc\n'", "RQ102", "unterminated string", at: "'abc")
        assertError("from t | where s == \"abc\\", "RQ102", "unterminated string")
        assertError("from t | where d > @2025-02-30", "RQ103", "invalid date `@2025-02-30`", help: "2025-02 has 28 days", at: "@2025-02-30")
        assertError("from t | where d > @2024-13-01", "RQ103", "invalid date `@2024-13-01`", help: "months run from 01 to 12")
        assertError("from t | where d > @2025-1-5", "RQ103", "invalid date `@2025-1-5`", help: "write dates as `@YYYY-MM-DD`, e.g. `@2025-01-31`")
        assertError("from t | where d > @2025-01-01T10:00", "RQ103", "invalid date `@2025-01-01T10:00`")
        assertError("from t | where d > @", "RQ103", "expected a date after `@`")
        assertError("from t | where x > 9223372036854775808", "RQ104", "number `9223372036854775808` is out of range")
        assertError("from t | take 99999999999999999999999999", "RQ104", "number `99999999999999999999…` is out of range")
        assertError("from t | where x > 1e5", "RQ105", "malformed number", at: "1e5")
        assertError("from t | where x > 1.2.3", "RQ105", "malformed number", at: "1.2.3")
        assertError("from t | where x > 1.", "RQ105", "expected digits after the decimal point", at: "1.")
        assertError("from t | where x > 12abc", "RQ105", "malformed number", at: "12abc")
        assertError(#"from t | where s == "a\qb""#, "RQ106", "unknown escape in string", at: #"\q"#)
        assertError(#"from t | where s == "a\é""#, "RQ106", "unknown escape in string", at: #"\é"#)
        assertError("from t | where x == $", "RQ107", "expected a parameter name after `$`", at: "$")
        assertError("from t | where x == $ a", "RQ107", "expected a parameter name after `$`")
        assertError("from t | where `abc", "RQ108", "unterminated name in backticks", at: "`abc")
        assertError("from t | where `` > 1", "RQ108", "empty name in backticks", at: "``")
    }

    func testSyntaxErrors() {
        assertError("from t | where a >", "RQ110", "expected a value, found end of query")
        assertError("from t | where a > | take 1", "RQ110", "expected a value, found `|`", at: "|")
        assertError("from t | where (a + b", "RQ110", "expected `)`, found end of query", help: "to close the `(` at 1:16")
        assertError("from t | where f(a b)", "RQ110", "expected `,` or `)`, found `b`", help: "to close the `(` at 1:17")
        assertError("from t | where x in 1", "RQ110", "expected `(` after `in`, found number `1`")
        assertError("from t | where x in ()", "RQ110", "expected a value, found `)`", help: "the list after `in` needs at least one value")
        assertError("from t | where x between 1 or 2", "RQ110", "expected `and` after the lower bound, found keyword `or`")
        assertError("from t | where x is 1", "RQ110", "expected `null` after `is`, found number `1`")
        assertError("from t | where x is not true", "RQ110", "expected `null` after `is not`, found keyword `true`")
        assertError("from t | where x not 1", "RQ110", "expected `in` or `between` after `not`, found number `1`")
        assertError("from t | where a == not b", "RQ110", "expected a value, found keyword `not`")
        assertError("from t | where where > 1", "RQ110", "expected a value, found stage `where`",
                    help: "`where` is a keyword; write `` `where` `` for a name spelled like it")
        assertError("from t | take -1", "RQ110", "expected a row count after `take`, found `-`")
        assertError("from t | take 1.5", "RQ110", "expected a row count after `take`, found number `1.5`")
        assertError("from t | take $n", "RQ110", "expected a row count after `take`, found parameter `$n`")
        assertError("from t | derive x", "RQ110", "expected `=` after `x`, found end of query", help: "`derive NAME = EXPR, …`")
        assertError("from t | derive x == 1", "RQ110", "expected `=` after `x`, found `==`")
        assertError("from t | summarize count() by x", "RQ110", "expected `=` after `count`, found `(`",
                    help: "name each aggregate: `summarize n = count(…)`")
        assertError("from t | summarize n = count(), by x", "RQ110", "expected a column name, found keyword `by`", help: "remove the `,` before `by`")
        assertError("from t | summarize n = count() by", "RQ110", "expected a column name, found end of query")
        assertError("from t | select a + b", "RQ110", "expected `,` or `|`, found `+`", help: "to select a computed value, name it: `select x = …`")
        assertError("from t | select 1", "RQ110", "expected a column name, found number `1`")
        assertError("from t | sort by x", "RQ110", "expected a sort key, found keyword `by`", help: "write `sort KEY`, without `by`")
        assertError("from t | join accounts", "RQ110", "expected `on` after the table, found end of query")
        assertError("from t | join accounts using x", "RQ110", "expected `on` after the table, found `using`")
        assertError("from t | join left", "RQ110", "expected a table name, found end of query")
        assertError("from t |", "RQ110", "expected a stage after `|`, found end of query")
        assertError("from t | | take 1", "RQ110", "expected a stage after `|`, found `|`")
        assertError("from t | 42", "RQ110", "expected a stage after `|`, found number `42`")
        assertError("from", "RQ110", "expected a table name or `kpi` after `from`, found end of query", help: "name a table: `from payments`")
        assertError("from | where x", "RQ110", "expected a table name or `kpi` after `from`, found `|`")
        assertError("kpi x as @2025-01-01", "RQ110", "expected `of` after `as`, found date `@2025-01-01`")
        assertError("kpi x from to @2025-01-01", "RQ110", "expected a value, found `to`")
        assertError("kpi x by", "RQ110", "expected a dimension name, found end of query")
        assertError("kpi x by a, month @2025-01-01", "RQ110", "expected a dimension name, found `month`")
        assertError("kpi x grace", "RQ110", "expected a value, found end of query")
        assertError("kpi", "RQ110", "expected a KPI name, found end of query")
    }

    func testStageAndSourceErrors() {
        assertError("from t | summarise n = count()", "RQ111", "unknown stage `summarise`", help: "did you mean `summarize`?", at: "summarise")
        assertError("from t | filter x > 1", "RQ111", "unknown stage `filter`", help: "did you mean `where`?")
        assertError("from t | order x", "RQ111", "unknown stage `order`", help: "did you mean `sort`?")
        assertError("from t | limit 5", "RQ111", "unknown stage `limit`", help: "did you mean `take`?")
        assertError("from t | wehre x", "RQ111", "unknown stage `wehre`", help: "did you mean `where`?")
        assertError("from t | selct x", "RQ111", "unknown stage `selct`", help: "did you mean `select`?")
        assertError("from t | Sort x", "RQ111", "unknown stage `Sort`", help: "did you mean `sort`?")
        assertError("from t | project x", "RQ111", "unknown stage `project`", help: "did you mean `select`?")
        assertError("from t | frobnicate", "RQ111", "unknown stage `frobnicate`",
                    help: "the stages are `where`, `derive`, `select`, `summarize`, `sort`, `take`, `join`")
        assertError("where x > 1", "RQ112", "missing source: expected `from`, `kpi` or a table name, found stage `where`")
        assertError("| take 1", "RQ112", "missing source: expected `from`, `kpi` or a table name, found `|`")
        assertError("", "RQ112", "the query is empty")
        assertError("  # only a comment\n", "RQ112", "the query is empty")
        assertError("FROM payments", "RQ112", "missing source: expected `from`, `kpi` or a table name, found `FROM`",
                    help: "keywords are lowercase: write `from`", at: "FROM")
        assertError("from t | take 5 6", "RQ113", "unexpected number `6` after the `take` stage", at: "6")
        assertError("from t | where x > 1 y", "RQ113", "unexpected `y` after the `where` stage", help: "combine conditions with `and` or `or`")
        assertError("from t | derive a = 1 b = 2", "RQ113", "unexpected `b` after the `derive` stage", help: "separate the items with `,`")
        assertError("from t | sort a descending", "RQ113", "unexpected `descending` after the `sort` stage", help: "did you mean `desc`?")
        assertError("from t x", "RQ113", "unexpected `x` after the source", help: "a source is followed by stages: `from payments | where …`")
        assertError("from t | take 1; take 2", "RQ113", "unexpected stage `take` after `;`")
        assertError("from t;;", "RQ113", "unexpected `;` after `;`")
        assertError("from t | where x > 1 )", "RQ113", "unexpected `)` after the `where` stage")
        assertError("from t | take 5 wher", "RQ113", "unexpected `wher` after the `take` stage", help: "stages are joined by `|`: did you mean `| where`?")
        assertError("from t where x > 1", "RQ114", "missing `|` before `where`", at: "where")
        assertError("from t | where x > 1 sort x", "RQ114", "missing `|` before `sort`")
        assertError("from t | select a, b take 5", "RQ114", "missing `|` before `take`")
        assertError("kpi dso by portfolio take 5", "RQ114", "missing `|` before `take`")
        assertError("from t | where a = 1", "RQ115", "`=` is not a comparison", help: "use `==` to compare; `=` only names a column (`derive x = …`)", at: "=")
        assertError("from t | derive x = a = 1", "RQ115", "`=` is not a comparison")
        assertError("from t | where a < b = c", "RQ115", "`=` is not a comparison")
        assertError("from t | derive from = 1", "RQ116", "expected a column name, found keyword `from`", help: "write `` `from` `` to use `from` as a name")
        assertError("from t | select a, by", "RQ110", "expected a column name, found keyword `by`")
        assertError("from t | join on on x", "RQ116", "expected a table name, found keyword `on`")
        assertError("from t | join x on in", "RQ116", "expected a column name after `on`, found keyword `in`")
        assertError("kpi from", "RQ116", "expected a KPI name, found keyword `from`")
        assertError("kpi x by desc", "RQ116", "expected a dimension name, found keyword `desc`")
        assertError("kpi x from @2025-01-01 from @2025-02-01", "RQ117", "`from` is given twice in the `kpi` source", at: "from")
        assertError("kpi x as of @2025-01-01 by a as of @2025-02-01", "RQ117", "`as of` is given twice in the `kpi` source", at: "as of")
        assertError("kpi x summary summary", "RQ117", "`summary` is given twice in the `kpi` source")
        assertError("kpi x by a by b", "RQ117", "`by` is given twice in the `kpi` source")
        assertError("kpi x form @2025-01-01", "RQ118", "unknown `kpi` clause `form`", help: "did you mean `from`?", at: "form")
        assertError("kpi x asof @2025-01-01", "RQ118", "unknown `kpi` clause `asof`", help: "did you mean `as of`?")
        assertError("kpi x summry", "RQ118", "unknown `kpi` clause `summry`", help: "did you mean `summary`?")
        assertError("from t | where amоunt > 1", "RQ101", "unexpected character `о`",
                    help: "names are ASCII letters, digits and `_`; write other names in backticks, e.g. `` `montant_payé` ``", at: "о")
        assertError("from t | where a < b < c", "RQ120", "comparisons cannot be chained", at: "<")
        assertError("from t | where a == b is null", "RQ120", "comparisons cannot be chained", at: "is")
        assertError("from t | where a in (1) not in (2)", "RQ120", "comparisons cannot be chained", at: "not")
        assertError("from t | where a between 1 and 2 between 3 and 4", "RQ120", "comparisons cannot be chained")
    }

    func testNestingLimits() {
        let deep = "from t | where " + String(repeating: "(", count: Parser.maxNesting + 1) + "x" + String(repeating: ")", count: Parser.maxNesting + 1)
        assertError(deep, "RQ121", "expression is nested too deeply (more than \(Parser.maxNesting) levels)")
        assertError("from t | where " + String(repeating: "-", count: 100_000) + "x", "RQ121",
                    "expression is nested too deeply (more than \(Parser.maxNesting) levels)")
        assertError("from t | where " + String(repeating: "not ", count: 100_000) + "x", "RQ121",
                    "expression is nested too deeply (more than \(Parser.maxNesting) levels)")
        let chain = "from t | where " + Array(repeating: "x", count: 100_000).joined(separator: " or ")
        assertError(chain, "RQ121", "expression is nested too deeply (more than \(Parser.maxDepth) levels)")
        // A long flat list is not deep.
        XCTAssertNoThrow(try Parser.parse("from t | where x in (" + (0..<10_000).map(String.init).joined(separator: ", ") + ")"))
    }

    func testErrorsPointAtLineAndColumn() {
        let t = "from payments\n# a comment with é\n| where naïve_col > 1\n| summarise n = count()"
        guard let e = error(t) else { return }
        XCTAssertEqual(e.code, "RQ101")
        XCTAssertEqual(e.span?.line, 3)
        XCTAssertEqual(e.span?.column, 11)
        let u = "from payments\n| where x > 1\n| summarise n = count()\n"
        guard let f = error(u) else { return }
        XCTAssertEqual(f.span, Span(start: 30, end: 39, line: 3, column: 3))
        // At the end of the query the error points just after the last token, not at the empty last line.
        guard let g = error("from payments\n| where x >\n\n# done\n") else { return }
        XCTAssertEqual(g.span, Span(start: 25, end: 25, line: 2, column: 12))
    }

    // MARK: Rendered errors

    func testRenderedUnknownStage() {
        let t = "from payments\n| summarise n = count()"
        XCTAssertEqual(error(t)?.render(t), """
        error[RQ111]: unknown stage `summarise`
         --> query:2:3
          |
        2 | | summarise n = count()
          |   ^~~~~~~~~
          = help: did you mean `summarize`?

        """)
    }

    func testRenderedAssignmentInWhere() {
        let t = "from payments | where method = \"card\""
        XCTAssertEqual(error(t)?.render(t), """
        error[RQ115]: `=` is not a comparison
         --> query:1:30
          |
        1 | from payments | where method = "card"
          |                              ^
          = help: use `==` to compare; `=` only names a column (`derive x = …`)

        """)
    }

    func testRenderedBadDate() {
        let t = "kpi liquidation_rate\n  from @2025-02-30 to @2025-03-31"
        XCTAssertEqual(error(t)?.render(t, name: "q.rq"), """
        error[RQ103]: invalid date `@2025-02-30`
         --> q.rq:2:8
          |
        2 |   from @2025-02-30 to @2025-03-31
          |        ^~~~~~~~~~~
          = help: 2025-02 has 28 days

        """)
    }

    func testRenderedEndOfQuery() {
        let t = "from payments | where amount >"
        XCTAssertEqual(error(t)?.render(t), """
        error[RQ110]: expected a value, found end of query
         --> query:1:31
          |
        1 | from payments | where amount >
          |                               ^

        """)
    }

    func testRenderedUnterminatedString() {
        let t = "from contacts\n| where outcome == \"no_answer\n| take 5"
        XCTAssertEqual(error(t)?.render(t), """
        error[RQ102]: unterminated string
         --> query:2:20
          |
        2 | | where outcome == "no_answer
          |                    ^~~~~~~~~~
          = help: close the string with `"` on the same line; write a line break as `\\n`

        """)
    }

    // MARK: The file of known-bad queries

    struct BadQuery {
        var text: String
        var firstLine: String
        var location: String?
        var line: Int
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bad-queries.txt")

    /// Blocks separated by blank lines: the query's lines, then the error's first line (`error[…]: …`)
    /// and, optionally, its location line (`--> query:L:C`). `#` lines are comments of the query itself.
    static func badQueries() throws -> [BadQuery] {
        let lines = try String(contentsOf: fixtures, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [BadQuery] = []
        var query: [String] = [], expected: String?, location: String?, start = 0
        func flush() {
            if let expected { out.append(BadQuery(text: query.joined(separator: "\n"), firstLine: expected, location: location, line: start)) }
            query = []; expected = nil; location = nil
        }
        for (i, line) in lines.enumerated() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { flush(); continue }
            if line.hasPrefix("error[") { expected = line; continue }
            if line.hasPrefix("-->") { location = line; continue }
            if query.isEmpty { start = i + 1 }
            query.append(line)
        }
        flush()
        return out
    }

    func testKnownBadQueries() throws {
        let cases = try Self.badQueries()
        XCTAssertGreaterThan(cases.count, 40)
        var codes: Set<String> = []
        for c in cases {
            do {
                _ = try Parser.parse(c.text)
                XCTFail("bad-queries.txt:\(c.line): parsed without error: \(c.text)")
            } catch let e as QueryError {
                let rendered = e.render(c.text).split(separator: "\n").map(String.init)
                XCTAssertEqual(rendered.first, c.firstLine, "bad-queries.txt:\(c.line)\n\(e.render(c.text))")
                if let loc = c.location {
                    XCTAssertEqual(rendered.count > 1 ? rendered[1].trimmingCharacters(in: .whitespaces) : nil, loc, "bad-queries.txt:\(c.line)")
                }
                codes.insert(e.code)
            }
        }
        let all: Set<String> = ["RQ101", "RQ102", "RQ103", "RQ104", "RQ105", "RQ106", "RQ107", "RQ108", "RQ110", "RQ111", "RQ112",
                                "RQ113", "RQ114", "RQ115", "RQ116", "RQ117", "RQ118", "RQ120", "RQ121"]
        XCTAssertEqual(codes, all, "bad-queries.txt has an example of every syntax error")
    }

    func testEveryCodeIsDocumented() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/QUERY.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        for c in try Self.badQueries() {
            let code = String(c.firstLine.dropFirst("error[".count).prefix(5))
            XCTAssertTrue(text.contains("`\(code)`"), "docs/QUERY.md documents \(code)")
        }
    }
}
