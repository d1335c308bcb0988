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
