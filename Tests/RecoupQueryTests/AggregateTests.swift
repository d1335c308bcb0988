import Foundation
import RecoupStore
import XCTest

@testable import RecoupQuery

/// The aggregate registry and each aggregate's edge cases on `QueryBook` (answers from its rows).
final class AggregateTests: XCTestCase {
    func testNamesAreUniqueAndAreTheDocumentedOnes() throws {
        XCTAssertEqual(Set(Aggregates.names).count, Aggregates.all.count, "two aggregates share a name")
        // docs/QUERY.md: "Aggregates (only in `summarize`): `count()`, `count(x)`, …"
        let doc = try String(
            contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../docs/QUERY.md").standardized.path, encoding: .utf8)
        let line = try XCTUnwrap(
            doc.range(of: "Aggregates (only in `summarize`):").map { doc[$0.upperBound...] }
                .map { $0.prefix { $0 != "." } })
        let documented = Set(
            line.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }
                .map { String($0.element.prefix { $0 != "(" }) })
        XCTAssertEqual(documented, Set(Aggregates.names))
        for name in Aggregates.names { XCTAssertNotNil(Aggregates.named(name)) }
    }

    func testNullsAreSkippedAndAnEmptyGroupIsNull() throws {
        let b = try QueryBook()
        // credit_score: 640, null, 812, 700.
        let r = try b.run(
            """
            from accounts | summarize rows = count(), scores = count(credit_score), lo = min(credit_score), hi = max(credit_score),
              mean = avg(credit_score), mid = median(credit_score), first_id = min(account_id), last_id = max(account_id)
            """)
        XCTAssertEqual(
            r.rows.map { $0.map(\.description) }, [["4", "3", "640", "812", "717.3333333", "700", "A1", "A4"]])
        let none = try b.run(
            "from accounts | where credit_score is null | summarize s = sum(credit_score), m = max(credit_score), n = count(credit_score)"
        )
        XCTAssertEqual(none.rows, [[.null, .null, .int(0)]])
    }

    func testMoneySumsAreCheckedForOverflow() throws {
        let b = try QueryBook()
        // cents(principal) × 8e13: A1 gives 8.0e18, A2 2.4e18 — each fits in Int64, their sum does not.
        XCTAssertThrowsError(
            try b.run("from accounts | derive big = cents(principal) * 80000000000000 | summarize s = sum(big)")
        ) { e in
            XCTAssertEqual((e as? QueryError)?.code, "RQ305")
            XCTAssertEqual((e as? QueryError)?.message, "the sum overflowed")
        }
        XCTAssertEqual(
            try b.run(
                "from accounts | where account_id == \"A1\" | derive big = cents(principal) * 80000000000000 | summarize s = sum(big)"
            ).rows,
            [[.int(8_000_000_000_000_000_000)]])
    }

    func testCountDistinctBitmapAndHashPathsAgree() throws {
        let b = try QueryBook()
        let q =
            "from payments | summarize payers = count_distinct(account_id), days = count_distinct(paid_date) by method | sort method"
        let bitmap = try b.run(q)
        let saved = CountDistinct.bitmapLimit
        CountDistinct.bitmapLimit = 0
        defer { CountDistinct.bitmapLimit = saved }
        XCTAssertEqual(try b.run(q), bitmap)
        // ach: P3 (A1, 04-01), P4 (A3, 02-20); card: P1, P2 (A1, 03-10 and 03-12); cash: P5; check: P6.
        XCTAssertEqual(
            bitmap.rows.map { $0.map(\.description) },
            [["ach", "2", "2"], ["card", "1", "2"], ["cash", "1", "1"], ["check", "1", "1"]])
    }
}

/// Quickselect against sorting, on shapes that break naive pivots (sorted, reversed, all equal, few values).
final class SelectionTests: XCTestCase {
    func testSelectionFindsTheSortedRank() {
        var rng = SystemRandomNumberGenerator()
        let shapes: [[Double]] = [
            Array(0..<1000).map(Double.init), Array((0..<1000).reversed()).map(Double.init),
            Array(repeating: 7, count: 500), (0..<999).map { Double($0 % 3) }, [5], [2, 1],
            (0..<777).map { _ in Double(Int.random(in: -50...50, using: &rng)) },
        ]
        for shape in shapes {
            let sorted = shape.sorted()
            for k in Set([0, shape.count / 2, shape.count - 1, shape.count * 9 / 10]) {
                var copy = shape
                let v = copy.withUnsafeMutableBufferPointer { Selection.select($0, rank: k) }
                XCTAssertEqual(v, sorted[k], "rank \(k) of \(shape.count)")
                XCTAssertTrue(copy[..<k].allSatisfy { $0 <= v } && copy[(k + 1)...].allSatisfy { $0 >= v })
            }
        }
    }
}
