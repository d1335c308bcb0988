import Foundation
import Hummingbird
import HummingbirdTesting
import RecoupServer
import RecoupStore
import XCTest

final class AuditAndQueueFileTests: XCTestCase {
    func testLongIdListsKeepCountAndDigest() throws {
        let ids = (0..<150).map { "A\($0)" }
        let record = AuditRecord(time: Date(timeIntervalSince1970: 1_700_000_000.25), token: "t", tokenID: "id", method: "POST",
                                 path: "/v1/scores:batch", status: 200, accountIDs: ids, asOf: "2025-06-30", modelVersion: "m", storeCommit: 3)
        let line = record.line
        XCTAssertTrue(line.hasPrefix(#"{"time":"2023-11-14T22:13:20.250Z","token":"t""#), line)
        XCTAssertTrue(line.contains(#""count":150,"digest":"sha256:"#), line)
        XCTAssertFalse(line.contains("A149"))
        XCTAssertTrue(line.hasSuffix("}\n"))
        let short = AuditRecord(time: Date(), token: "t", tokenID: "id", method: "GET", path: "/v1/scores/A1", status: 200,
                                accountIDs: ["A1"], asOf: nil, modelVersion: nil, storeCommit: nil)
        XCTAssertTrue(short.line.contains(#""as_of":null,"model_version":null,"store_commit":null,"count":1,"account_ids":["A1"]"#), short.line)
    }

    func testAuditLinesEscapeWhatNeedsIt() throws {
        let r = AuditRecord(time: Date(), token: "a\"b\\c", tokenID: "id", method: "GET", path: "/v1/scores/x\ty", status: 200,
                            accountIDs: ["x\ty", "é\u{1}"], asOf: nil, modelVersion: nil, storeCommit: 1)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.bytes)) as? [String: Any])
        XCTAssertEqual(o["token"] as? String, "a\"b\\c")
        XCTAssertEqual(o["account_ids"] as? [String], ["x\ty", "é\u{1}"])
        XCTAssertEqual(r.bytes.last, 10)
    }

    func testAuditLogFiltersBySinceTokenAndAccount() async throws {
        for mode in AuditDurability.allCases { try await auditLogFilters(mode) }
    }

    func auditLogFilters(_ mode: AuditDurability) async throws {
        let f = try ServerFixture(audit: mode)
        try await f.server.makeApplication().test(.router) { client in
            _ = try await client.get("/v1/scores/A1", f.headers("dialer"))
            _ = try await client.get("/v1/scores/A2", f.headers("admin"))
            _ = try await client.get("/v1/queues/everyone?limit=2", f.headers("dialer"))
            _ = try await client.get("/v1/queues", f.headers("dialer"))   // no account data: not audited
            _ = try await client.get("/v1/scores/NOPE", f.headers("dialer"))   // nothing returned: not audited
        }
        XCTAssertEqual(try AuditReader.read(store: f.store, since: nil, token: nil, account: nil).count, 3)
        XCTAssertEqual(try AuditReader.read(store: f.store, since: nil, token: "dialer", account: nil).map(\.entry.path),
                       ["/v1/scores/A1", "/v1/queues/everyone?limit=2"])
        XCTAssertEqual(try AuditReader.read(store: f.store, since: nil, token: nil, account: "A1").count, 2)
        XCTAssertEqual(try AuditReader.read(store: f.store, since: "2999-01-01", token: nil, account: nil).count, 0)
        XCTAssertEqual(try AuditReader.read(store: f.store, since: "2000-01-01", token: nil, account: nil).count, 3)
        // Append-only: the file only grows, one line per record.
        let text = try String(contentsOfFile: AuditLog.path(store: f.store), encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").count, 3)
    }

    /// The repository's queues.yaml parses and every queue's query runs on a store.
    func testRepositoryQueuesFileIsValid() async throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("queues.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let defs = try QueueFile.parse(text)
        XCTAssertGreaterThanOrEqual(defs.count, 2)
        let f = try ServerFixture(queues: text)
        XCTAssertEqual(f.server.holder.state.queueOrder, defs.map(\.name))
    }

    func testBadQueueFilesAreRefused() throws {
        XCTAssertThrowsError(try QueueFile.parse("queues: [{name: a, filter: x, colour: red}]"))
        XCTAssertThrowsError(try QueueFile.parse("queues: [{name: a}, {name: a}]"))
        XCTAssertThrowsError(try QueueFile.parse("queues: [{name: 'a b'}]"))
        XCTAssertThrowsError(try QueueFile.parse("lists: []"))
        XCTAssertEqual(try QueueFile.parse("queues: [{name: a}]").first?.order, "expected_value desc")
        // A filter with an error stops the server at start, with the place, scores or not.
        for scored in [true, false] {
            XCTAssertThrowsError(try ServerFixture(queues: "queues: [{name: a, filter: 'expected_valu > 1'}]", scored: scored)) { e in
                XCTAssertTrue("\(e)".contains("expected_valu"), "\(e)")
                XCTAssertTrue(((e as? RecoupError)?.details ?? "").contains("^"), "\(e)")
            }
            XCTAssertThrowsError(try ServerFixture(queues: "queues: [{name: a, filter: 'true', order: 'p_pay desc'}]", scored: scored))
        }
    }

    /// A filter or order is one expression on its own: text that would close the `where (…)` it is
    /// placed in and add stages of its own (an unbalanced parenthesis, a `|`) is refused at start,
    /// never run as a different query.
    func testAFilterCannotChangeTheQueryAroundIt() throws {
        let breakouts = [
            "queues: [{name: a, filter: 'expected_value > 0) | take 0 | where (true'}]",
            "queues: [{name: a, filter: 'true) | where (false'}]",
            "queues: [{name: a, filter: 'true | take 1'}]",
            "queues: [{name: a, filter: 'true', order: 'account_id | take 0 | sort account_id'}]",
            "queues: [{name: a, filter: 'true', order: 'expected_value desc) '}]",
        ]
        for scored in [true, false] {
            for text in breakouts {
                XCTAssertThrowsError(try ServerFixture(queues: text, scored: scored), text) { e in
                    let message = (e as? RecoupError)?.message ?? "\(e)"
                    XCTAssertTrue(message.contains("queue `a`: filter:") || message.contains("queue `a`: order:"), message)
                }
            }
        }
        // The same filter with its parentheses balanced is an ordinary filter.
        let ok = try QueueFile.parse("queues: [{name: a, filter: '(expected_value > 0) and (p_pay_30d >= 0)'}]")[0]
        let plan = try ok.plan()
        XCTAssertEqual(plan.stages.count, 5, "\(plan.stages)")
    }

    func testAStoreWithoutScoresServesEmptyQueuesAnd503ForScores() async throws {
        let f = try ServerFixture(scored: false)
        try await f.server.makeApplication().test(.router) { client in
            let h = try await client.get("/v1/health")
            XCTAssertTrue(h.object["model_version"] is NSNull, h.text)
            let q = try await client.get("/v1/queues/likely", f.headers("dialer"))
            XCTAssertEqual(q.status, .ok)
            XCTAssertEqual(q.object["total"] as? Int, 0)
            let s = try await client.get("/v1/scores/A1", f.headers("dialer"))
            XCTAssertEqual(s.status, .serviceUnavailable)
            XCTAssertEqual(s.errorCode, "no_scores")
        }
    }
}
