import Foundation
import RecoupStore
import XCTest

@testable import RecoupQuery

/// The plan `--explain` prints for queries on `QueryBook` (plans written out by hand from the
/// rules' descriptions), and the binder's promise: a mistake is reported before any data is read.
final class PlanTests: XCTestCase {
    func explain(_ b: QueryBook, _ q: String) throws -> String { try QueryEngine.explain(q, snapshot: b.snapshot) }

    func testFilterPushdownPruningLateMaterializationAndTopK() throws {
        let b = try QueryBook()
        XCTAssertEqual(
            try explain(
                b,
                """
                from contacts | where channel == "call" and ts >= @2025-03-01 | summarize n = count() by outcome | sort n desc | take 2
                """),
            """
            scan contacts: 1 of 1 segments, 4 rows
                filter: channel == "call" and ts >= @2025-03-01
                read first: ts, channel
                then, for the kept rows only: outcome
                zone maps: ts ≥ 2025-03-01T00:00:00Z
            | summarize n = count() by outcome
            | top-k 2 by n desc (bounded heap)
            → outcome string, n int
            rules: top-k, filter pushdown, column pruning, late materialization

            """)
    }

    func testZoneMapsSkipSegmentsThatCannotMatch() throws {
        let b = try QueryBook()
        // Every payment is dated before July 2025: the only segment is ruled out by its zone map.
        XCTAssertEqual(
            try explain(b, "from payments | where paid_date >= @2025-07-01 and amount > 10 | select payment_id"),
            """
            scan payments: 0 of 1 segments, 0 rows
                filter: paid_date >= @2025-07-01 and amount > 10
                read first: paid_date, amount
                then, for the kept rows only: payment_id
                zone maps: paid_date ≥ 2025-07-01, amount ≥ 10.00
            | select payment_id
            → payment_id string
            rules: filter pushdown, column pruning, late materialization

            """)
        XCTAssertEqual(
            try b.run("from payments | where paid_date >= @2025-07-01 and amount > 10 | select payment_id").rows, [])
    }

    func testFirstRowsAndJoinsReadOnlyWhatTheyNeed() throws {
        let b = try QueryBook()
        XCTAssertEqual(
            try explain(b, "from payments | take 2"),
            """
            scan payments: 1 of 1 segments, 6 rows
                columns: payment_id, account_id, paid_date, amount, method
                first 2 rows only
            | take 2
            → payment_id string, account_id string, paid_date date, amount money, method string
            rules: first rows

            """)
        // Each side reads only the columns named; promises' `amount` is asked for as `promises_amount`
        // (payments has an `amount`), and joins on account_id go through the account keys, not the column.
        XCTAssertEqual(
            try explain(
                b,
                """
                from payments | join accounts on account_id | join left promises on account_id | select amount, portfolio, promises_amount
                """),
            """
            scan payments: 1 of 1 segments, 6 rows
                columns: amount
            | join accounts on account_id (by account key)
                scan accounts: 1 of 1 segments, 4 rows
                    columns: portfolio
            | join left promises on account_id (by account key)
                scan promises: 1 of 1 segments, 2 rows
                    columns: amount
            | select amount, portfolio, promises_amount
            → amount money, portfolio string, promises_amount money
            rules: column pruning

            """)
        XCTAssertEqual(
            try b.run(
                """
                from payments | join accounts on account_id | join left promises on account_id | select amount, portfolio, promises_amount | sort amount | take 2
                """
            ).rows.map { $0.map(\.description) }, [["-100.50", "card", "200.00"], ["0.01", "card", "50.00"]])
    }

    /// `join left T | where T's key is null` reads only T's account keys and pairs no rows.
    func testAntiJoinReadsOnlyTheRightsAccountKeys() throws {
        let b = try QueryBook()
        XCTAssertEqual(
            try explain(
                b,
                "from accounts | join left contacts on account_id | where contact_id is null | summarize n = count() by portfolio"
            ),
            """
            scan accounts: 1 of 1 segments, 4 rows
                columns: portfolio
            | join left contacts on account_id (anti-join by account key: the rows with no match)
                scan contacts: 1 of 1 segments, 4 rows
                    columns: (none)
            | summarize n = count() by portfolio
            → portfolio string, n int
            rules: anti-join, column pruning

            """)
        // A right column that can be empty is not a key: the filter stays after a left join.
        XCTAssertFalse(
            try explain(b, "from accounts | join left contacts on account_id | where contacts_agent_id is null").contains("anti-join"))
        // An inner join never has unmatched rows to keep.
        XCTAssertFalse(
            try explain(b, "from accounts | join contacts on account_id | where contact_id is null").contains("anti-join"))
    }

    /// A `where` after a `derive` it does not depend on, or after a `sort`, runs in the scan.
    func testFiltersMoveEarlyIntoTheScan() throws {
        let b = try QueryBook()
        let plan = try explain(b, "from payments | derive x = amount * 2 | sort amount desc | where method == \"card\" | take 1")
        XCTAssertTrue(plan.contains("    filter: method == \"card\""), plan)
        XCTAssertTrue(plan.contains("| top-k 1 by amount desc"), plan)
        XCTAssertTrue(plan.contains("filter early"), plan)
        // A filter on the derived name stays where it is.
        let kept = try explain(b, "from payments | derive x = amount * 2 | where x > 0")
        XCTAssertTrue(kept.contains("| filter x > 0"), kept)
    }

    func testExplainReportsMistakesAsARunWould() throws {
        let b = try QueryBook()
        XCTAssertThrowsError(try explain(b, "from contacts | where channel == 3")) { e in
            XCTAssertEqual((e as? QueryError)?.code, "RQ304")
        }
        XCTAssertThrowsError(try explain(b, "from contact")) { e in
            XCTAssertEqual((e as? QueryError)?.help, "did you mean `contacts`?")
        }
    }

    /// With the contacts' segment file gone, a query with a type error in its last stage still
    /// reports the type error: the binder found it without reading data. The same query without the
    /// mistake fails on the missing file, which shows the data would have been needed.
    func testTypeErrorsComeBeforeAnyDataIsRead() throws {
        let b = try QueryBook()
        let data = b.dir + "/store/data/contacts"
        for f in try FileManager.default.contentsOfDirectory(atPath: data) {
            try FileManager.default.removeItem(atPath: data + "/" + f)
        }
        let q =
            "from contacts | where channel == \"call\" | derive h = local_hour(ts) | summarize n = count() by h | sort n"
        XCTAssertThrowsError(try b.run(q + " | where n > \"many\"")) { e in
            XCTAssertEqual((e as? QueryError)?.code, "RQ304", "\(e)")
        }
        XCTAssertThrowsError(try b.run(q + " | derive x = sum(n)")) { e in
            XCTAssertEqual((e as? QueryError)?.code, "RQ320")
        }
        XCTAssertThrowsError(try b.run(q)) { e in XCTAssertFalse(e is QueryError, "the run needs the data: \(e)") }
        // A KPI source binds on the KPI's declared columns: its type error comes before it is computed.
        XCTAssertThrowsError(try b.run("kpi contact_effectiveness by channel | where rpc_rate > \"high\"")) { e in
            XCTAssertEqual((e as? QueryError)?.code, "RQ304", "\(e)")
        }
        // Computing it needs the contacts: the run fails on the missing file (RQ207 wraps the store's error).
        XCTAssertThrowsError(try b.run("kpi contact_effectiveness by channel")) { e in
            XCTAssertEqual((e as? QueryError)?.code, "RQ207", "\(e)")
            XCTAssertTrue((e as? QueryError)?.message.contains("store is damaged") ?? false, "\(e)")
        }
        XCTAssertEqual(
            try QueryEngine.bind(
                Parser.parse("kpi contact_effectiveness by channel | select channel, rpc_rate"), snapshot: b.snapshot),
            [QueryColumn(name: "channel", type: .string, unit: .text), QueryColumn(name: "rpc_rate", type: .float, unit: .rate)])
        // The result's columns are known without the data too.
        XCTAssertEqual(try QueryEngine.bind(Parser.parse(q), snapshot: b.snapshot).map(\.name), ["h", "n"])
    }
}
