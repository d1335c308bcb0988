import Foundation
import RecoupGenerator
import RecoupStore
import XCTest

@testable import RecoupQuery

/// Fast paths agree with the slow path they stand for, on a book whose contacts span several segments.
final class FastPathTests: XCTestCase {
    static var snapshot: Snapshot!
    static var dir = NSTemporaryDirectory() + "recoup-fastpath-" + UUID().uuidString

    override class func setUp() {
        _ = try! generateBook(GeneratorConfig(accounts: 16000, seed: 9), to: dir + "/book")
        _ = try! Importer.run(store: dir + "/store", paths: [dir + "/book"])
        snapshot = try! Store.open(dir + "/store")
    }

    override class func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func rows(_ text: String) throws -> [[String]] {
        try QueryEngine.run(text, snapshot: Self.snapshot, options: QueryOptions(rowLimit: Int.max)).rows.map {
            $0.map(\.description)
        }
    }

    /// `take N` straight after the source reads only the leading segments; `where true` before it
    /// makes the executor read every segment and filter first. Both keep the same rows in the same order,
    /// also when N falls on, just past or beyond a segment boundary.
    func testTakeReadsTheSameRowsAsAFullScan() throws {
        let segments = Self.snapshot.table("contacts").segments
        XCTAssertGreaterThanOrEqual(segments.count, 2, "the book should span segments")
        let first = segments[0].rows
        let total = segments.reduce(0) { $0 + $1.rows }
        for n in [0, 1, 5, first - 1, first, first + 1, total, total + 10] {
            let fast = try rows("from contacts | take \(n)")
            let slow = try rows("from contacts | where true | take \(n)")
            XCTAssertEqual(fast.count, min(n, total), "take \(n)")
            XCTAssertTrue(fast == slow, "take \(n): the fast path's rows differ from the full scan's")
        }
    }

    /// Filters and top-k run segment by segment inside the scan (in parallel, each segment's kept rows
    /// and early columns cut on their own, then put end to end) and give exactly the rows of the plain
    /// plan, which reads every column whole and filters after: on contacts spanning several segments,
    /// with enums, dictionary strings, local time and today() in the filters.
    func testSegmentwiseScansMatchThePlainPlan() throws {
        XCTAssertGreaterThanOrEqual(Self.snapshot.table("contacts").segments.count, 2)
        let queries = [
            "from contacts | where channel == \"call\" and outcome in (\"right_party\", \"promise\") | select contact_id, account_id, ts, agent_id",
            "from contacts | where local_hour(ts, account) >= 20 | derive h = local_hour(ts, account) | select contact_id, h, outcome",
            "from contacts | where ts >= today() - 30 and direction == \"inbound\" | summarize n = count() by channel | sort channel",
            "from contacts | where channel == \"call\" | sort duration_s desc, contact_id | take 25 | select contact_id, duration_s",
            "from contacts | sort ts desc, contact_id | take 7 | select contact_id, ts",
            "from payments | where amount > 100 and method == \"card\" | join accounts on account_id | sort amount desc, payment_id | take 30 | select payment_id, portfolio, amount",
            "from accounts | where status == \"open\" and principal > 2000 | select account_id, agent_id, principal",
        ]
        for q in queries {
            let executor = Executor(snapshot: Self.snapshot, options: QueryOptions(rowLimit: Int.max), cancel: nil)
            let parsed = try Parser.parse(q)
            let optimized = try executor.execute(executor.plan(parsed).plan)
            let plain = try executor.execute(executor.plan(parsed, rules: []).plan)
            XCTAssertGreaterThan(plain.rows.count, 0, q)
            XCTAssertTrue(optimized == plain, "\(q): \(optimized.rows.count) rows against \(plain.rows.count)")
        }
    }

    /// `where account_id == …` reads only the segments of that account: the same rows as the plain
    /// plan, for an account in the first, a middle and the last segment, on accounts and events.
    func testAccountIDFiltersMatchThePlainPlan() throws {
        let ids = try rows("from accounts | select account_id").map { $0[0] }
        let picks = [ids[3], ids[ids.count / 2], ids[ids.count - 1]]
        var queries: [String] = []
        for id in picks {
            queries += [
                "from accounts | where account_id == \"\(id)\" | select account_id, principal",
                "from contacts | where account_id == \"\(id)\" | select contact_id, ts",
                "from payments | where \"\(id)\" == account_id | select payment_id, amount",
            ]
        }
        queries.append("from contacts | where account_id in (\"\(picks[0])\", \"\(picks[2])\") and channel == \"call\" | select contact_id")
        for q in queries {
            let executor = Executor(snapshot: Self.snapshot, options: QueryOptions(rowLimit: Int.max), cancel: nil)
            let parsed = try Parser.parse(q)
            let optimized = try executor.execute(executor.plan(parsed).plan)
            let plain = try executor.execute(executor.plan(parsed, rules: []).plan)
            XCTAssertTrue(optimized == plain, "\(q): \(optimized.rows.count) rows against \(plain.rows.count)")
            if q.hasPrefix("from accounts") { XCTAssertEqual(optimized.rows.count, 1, q) }
        }
    }

    func testTakeAfterRowByRowStages() throws {
        let fast = try rows("from accounts | derive p = principal * 2 | select account_id, p | take 7")
        let slow = try rows("from accounts | where true | derive p = principal * 2 | select account_id, p | take 7")
        XCTAssertEqual(fast.count, 7)
        XCTAssertEqual(fast, slow)
        // A sort before `take` is not a prefix of the source: all rows are read and the top kept.
        let top = try rows("from payments | sort amount desc, payment_id | take 3")
        let all = try rows("from payments | sort amount desc, payment_id")
        XCTAssertEqual(top, Array(all.prefix(3)))
    }
}
