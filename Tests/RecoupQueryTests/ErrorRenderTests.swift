import XCTest
@testable import RecoupQuery

final class ErrorRenderTests: XCTestCase {
    func testCaretUnderTheSpan() {
        let text = "from payments\n| where ammount > 0"
        let e = QueryError("RQ201", "unknown column `ammount`", at: Span(start: 22, end: 29, line: 2, column: 9), help: "did you mean `amount`?")
        XCTAssertEqual(e.render(text), """
        error[RQ201]: unknown column `ammount`
         --> query:2:9
          |
        2 | | where ammount > 0
          |         ^~~~~~~
          = help: did you mean `amount`?

        """)
    }
}

final class ErrorRenderEdgeTests: XCTestCase {
    func testWindowsLineEndingsTabsAndNonASCII() {
        let text = "from payments\r\n|\twhere région > 0"
        // `région` starts at byte 23 (after "from payments\r\n|\twhere "), 7 bytes, 6 characters.
        let e = QueryError("RQ201", "unknown column `région`", at: Span(start: 23, end: 30, line: 2, column: 9))
        let r = e.render(text)
        XCTAssertTrue(r.contains("2 | |\twhere région > 0\n"), r)
        XCTAssertTrue(r.contains("  |  \t      ^~~~~~\n"), r)
    }
}
