import XCTest
@testable import RecoupQuery
import RecoupStore

/// Mistakes in queries: each with its code, its place and a useful hint.
final class QueryErrorTests: XCTestCase {
    static var book: QueryBook!
    override class func setUp() { book = try! QueryBook() }

    func error(_ text: String, _ params: [String: String] = [:]) -> QueryError? {
        do {
            _ = try Self.book.run(text, params)
            return nil
        } catch let e as QueryError {
            return e
        } catch {
            XCTFail("not a QueryError: \(error)")
            return nil
        }
    }

    func testUnknownColumnSuggestsTheNearestAndPointsAtIt() throws {
        let text = "from payments\n| where ammount > 0"
        let e = try XCTUnwrap(error(text))
        XCTAssertEqual(e.code, "RQ201")
        XCTAssertEqual(e.message, "unknown column `ammount`")
        XCTAssertEqual(e.help, "did you mean `amount`?")
        XCTAssertEqual(e.span?.line, 2)
        XCTAssertEqual(e.span?.column, 9)
        XCTAssertTrue(e.render(text).contains("2 | | where ammount > 0\n  |         ^~~~~~~"), e.render(text))
    }

    func testUnknownTableKpiAndFunction() throws {
        XCTAssertEqual(error("from paymnets")?.help, "did you mean `payments`?")
        XCTAssertEqual(error("kpi recovery_rat")?.help, "did you mean `recovery_rate`?")
        XCTAssertEqual(error("from payments | derive m = mnth(paid_date)")?.help, "did you mean `month`?")
    }

    func testTypeMismatches() throws {
        XCTAssertEqual(error("from payments | where amount > \"x\"")?.code, "RQ304")
        XCTAssertEqual(error("from payments | where amount")?.code, "RQ303")
        XCTAssertEqual(error("from accounts | derive x = principal + credit_score")?.code, "RQ306")
        XCTAssertEqual(try Self.book.rows("from payments | where payment_id == \"P4\" | select x = amount + 1"), [["100.99"]], "a literal next to money is money")
        XCTAssertEqual(error("from payments | where amount > 1.234")?.code, "RQ302", "three decimals cannot be money")
    }

    func testAggregatesOnlyInSummarize() throws {
        let e = try XCTUnwrap(error("from payments | where sum(amount) > 0"))
        XCTAssertEqual(e.code, "RQ320")
        let f = try XCTUnwrap(error("from payments | summarize total = sum(amount), m = method"))
        XCTAssertEqual(f.code, "RQ321")
    }

    func testMissingParameterAndLimits() throws {
        XCTAssertEqual(error("from payments | where paid_date >= $since")?.help, "pass --param since=VALUE")
        XCTAssertEqual(try QueryEngine.run("from payments", snapshot: Self.book.snapshot, options: QueryOptions(rowLimit: 6)).rows.count, 6)
        XCTAssertThrowsError(try QueryEngine.run("from payments", snapshot: Self.book.snapshot, options: QueryOptions(rowLimit: 5))) {
            XCTAssertEqual(($0 as? QueryError)?.code, "RQ902")
        }
        let cancelled = CancelToken()
        cancelled.cancel()
        XCTAssertThrowsError(try QueryEngine.run("from payments", snapshot: Self.book.snapshot, cancel: cancelled)) {
            XCTAssertEqual(($0 as? QueryError)?.code, "RQ900")
        }
    }

    func testScoresBeforeTraining() throws {
        XCTAssertEqual(error("from scores")?.code, "RQ204")
    }
}

extension QueryErrorTests {
    func testScoresSourceReadsTheLatestSavedScores() throws {
        let dir = Self.book.dir + "/store/scores"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        {"model_version":"p2p-1","as_of":"2025-06-01","store_commit":1,"scores":[
         {"account_id":"A1","as_of":"2025-06-01","model_version":"p2p-1","p_pay_30d":0.25,"expected_value":18762,"outstanding":75050,"best_slots":[],"reasons":[]},
         {"account_id":"A2","as_of":"2025-06-01","model_version":"p2p-1","p_pay_30d":0.5,"expected_value":15000,"outstanding":30000,"best_slots":[],"reasons":[]}]}
        """.write(toFile: dir + "/000001.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try Self.book.rows("from scores | where p_pay_30d > 0.3 | select account_id, expected_value"), [["A2", "150.00"]])
        XCTAssertEqual(try Self.book.rows("from scores | sort expected_value desc | take 1 | select account_id, as_of"), [["A1", "2025-06-01"]])
    }
}

extension QueryErrorTests {
    /// A score file in the current format (arrays, see `ScoreFiles`), written here by hand; it wins
    /// over an older JSON file with a lower number.
    func testScoresSourceReadsArrayScoreFiles() throws {
        let dir = Self.book.dir + "/store/scores"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"model_version":"p2p-1","as_of":"2025-06-01","store_commit":1,"scores":[]}"#
            .write(toFile: dir + "/000001.json", atomically: true, encoding: .utf8)
        var f = ArrayFile(metadata: #"{"model_version":"p2p-2","as_of":"2025-06-30","store_commit":1,"count":2}"#)
        f.put("account_id", ["A7", "A9"])
        f.put("p_pay_30d", [0.125, 0.75])
        f.put("expected_value", [1250, 300] as [Int64])
        f.put("outstanding", [10000, 400] as [Int64])
        f.put("slot", [UInt8](repeating: 255, count: 6))
        f.put("slot_p", [Double](repeating: 0, count: 6))
        f.put("reason_features", [] as [String])
        f.put("reason_feature", [Int16](repeating: -1, count: 12))
        f.put("reason_effect", [Double](repeating: 0, count: 12))
        try f.write(to: dir + "/000002.scores")
        XCTAssertEqual(try Self.book.rows("from scores | sort expected_value desc | select account_id, expected_value, model_version, as_of"),
                       [["A7", "12.50", "p2p-2", "2025-06-30"], ["A9", "3.00", "p2p-2", "2025-06-30"]])
        XCTAssertEqual(try Self.book.rows("from scores | where p_pay_30d > 0.5 | select account_id"), [["A9"]])
        // The decoded file is kept for the next query; a file written anew under the same name is read again.
        f.put("p_pay_30d", [0.875, 0.25])
        try f.write(to: dir + "/000002.scores")
        XCTAssertEqual(try Self.book.rows("from scores | where p_pay_30d > 0.5 | select account_id"), [["A7"]])
        // Damaged: an error naming the source, not a crash.
        try Data([0, 1, 2]).write(to: URL(fileURLWithPath: dir + "/000003.scores"))
        XCTAssertEqual(error("from scores")?.code, "RQ204")
    }
}
