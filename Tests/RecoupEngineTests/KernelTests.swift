import XCTest
@testable import RecoupEngine
import RecoupStore

final class KernelTests: XCTestCase {
    func testGroupingGivesDenseIdsInFirstSeenOrderAndSkipsExcludedRows() {
        let a = GroupKey(codes: [2, 0, 2, 1, 0], cardinality: 3)
        let b = GroupKey(codes: [1, 1, 1, 0, 1], cardinality: 2)
        let g = Grouping([a, b], rows: 5) { $0 != 3 }
        XCTAssertEqual(g.ids, [0, 1, 0, -1, 1])
        XCTAssertEqual(g.keys, [[2, 1], [0, 1]])
        // Sorted by the first key's rank: code 0 before code 2.
        XCTAssertEqual(g.sortedGroups(rank: [[0, 1, 2], [0, 1]]), [1, 0])
    }

    func testGroupingFallsBackToAHashMapForLargeKeySpaces() {
        let a = GroupKey(codes: [5_000_000, 7, 5_000_000], cardinality: 6_000_000)
        let b = GroupKey(codes: [3, 3, 3], cardinality: 10)
        let g = Grouping([a, b], rows: 3)
        XCTAssertEqual(g.ids, [0, 1, 0])
    }

    func testMoneySumsAreCheckedNotWrapped() throws {
        XCTAssertEqual(try Aggregate.sum([5, -7, 100], groups: [0, 0, 1], count: 2), [-2, 100])
        XCTAssertThrowsError(try Aggregate.sum([Int64.max, 1], groups: [0, 0], count: 1))
        XCTAssertEqual(Aggregate.count(groups: [1, -1, 1, 0], count: 2), [1, 2])
    }

    func testAccountIndexGroupsRowsByAccountInTimeOrder() {
        let idx = AccountIndex(keys: [1, 0, 1, 1, 2], accounts: 3, time: [30, 5, 10, 20, 1]) { $0 != 4 }
        XCTAssertEqual(Array(idx.rows(of: 0)), [1])
        XCTAssertEqual(Array(idx.rows(of: 1)), [2, 3, 0])
        XCTAssertEqual(Array(idx.rows(of: 2)), [])
    }

    func testCodePointOrderIsByteOrderNotLocaleOrder() {
        // "Z" (U+005A) sorts before "a" (U+0061); "é" (U+00E9) after "z"; "" first.
        XCTAssertEqual(CodePointOrder.ranks(["a", "Z", "", "é", "z"]), [2, 1, 0, 4, 3])
    }
}
