import Foundation
import Hummingbird
import HummingbirdTesting
import RecoupServer
import XCTest

final class EndpointTests: XCTestCase {
    func testHealthNeedsNoToken() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.get("/v1/health")
            XCTAssertEqual(r.status, .ok)
            XCTAssertEqual(r.object["status"] as? String, "ok")
            XCTAssertEqual(r.object["store_commit"] as? Int, 1)
            XCTAssertEqual(r.object["model_version"] as? String, "p2p-test-1")
        }
    }

    /// The same server over real sockets (HTTP/1.1 on a free loopback port).
    func testOverALiveSocket() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.live) { client in
            let h = try await client.get("/v1/health")
            XCTAssertEqual(h.status, .ok)
            let s = try await client.get("/v1/scores/A3", f.headers("dialer"))
            XCTAssertEqual(s.object["account_id"] as? String, "A3")
            let q = try await client.get("/v1/queues/everyone?limit=1", f.headers("dialer"))
            XCTAssertEqual((q.object["accounts"] as? [Any])?.count, 1)
            let none = try await client.get("/v1/scores/A3")
            XCTAssertEqual(none.status, .unauthorized)
            XCTAssertEqual(none.errorCode, "unauthorized")
        }
    }

    func testOneScoreIsAPIShapedAndAudited() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.get("/v1/scores/A1", f.headers("dialer"))
            XCTAssertEqual(r.status, .ok)
            XCTAssertEqual(r.headers[.contentType], "application/json")
            XCTAssertTrue(r.text.hasPrefix("{\"account_id\":\"A1\",\"as_of\":\"2025-06-30\",\"model_version\":\"p2p-test-1\",\"p_pay_30d\":0.5,\"expected_value\":324.75,\"outstanding\":649.50,"), r.text)
            XCTAssertEqual((r.object["best_slots"] as? [Any])?.count, 2)
            let encoded = try await client.get("/v1/scores/%41%31", f.headers("dialer"))
            XCTAssertEqual(encoded.object["account_id"] as? String, "A1")
            let missing = try await client.get("/v1/scores/NOPE", f.headers("dialer"))
            XCTAssertEqual(missing.status, .notFound)
            XCTAssertEqual(missing.errorCode, "unknown_account")
        }
        let lines = try AuditReader.read(store: f.store, since: nil, token: "dialer", account: "A1")
        XCTAssertEqual(lines.map(\.entry.path), ["/v1/scores/A1", "/v1/scores/%41%31"])
        XCTAssertEqual(lines.first?.entry.model_version, "p2p-test-1")
        XCTAssertEqual(lines.first?.entry.as_of, "2025-06-30")
        XCTAssertEqual(try AuditReader.read(store: f.store, since: nil, token: nil, account: "NOPE").count, 0)
    }

    func testBatchReportsUnknownIds() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.post("/v1/scores:batch", f.headers("dialer"), body: #"{"account_ids":["A3","X9","A1","A3"]}"#)
            XCTAssertEqual(r.status, .ok, r.text)
            let scores = r.object["scores"] as? [[String: Any]] ?? []
            XCTAssertEqual(scores.map { $0["account_id"] as? String }, ["A3", "A1"])
            XCTAssertEqual(r.object["not_found"] as? [String], ["X9"])
            XCTAssertEqual(r.object["model_version"] as? String, "p2p-test-1")
        }
        let audit = try AuditReader.read(store: f.store, since: nil, token: nil, account: nil)
        XCTAssertEqual(audit.last?.entry.account_ids, ["A3", "A1"])
    }

    func testQueuesNeverHoldCeaseContactBankruptOrClosed() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.router) { client in
            let list = try await client.get("/v1/queues", f.headers("dialer"))
            XCTAssertEqual(list.status, .ok)
            let queues = list.object["queues"] as? [[String: Any]] ?? []
            XCTAssertEqual(queues.map { $0["name"] as? String }, ["everyone", "likely", "big"])
            XCTAssertEqual(queues.first?["order"] as? String, "expected_value desc")

            let all = try await client.get("/v1/queues/everyone", f.headers("dialer"))
            XCTAssertEqual(all.status, .ok, all.text)
            let ids = (all.object["accounts"] as? [[String: Any]] ?? []).compactMap { $0["account_id"] as? String }
            // Expected value descending; A4 closed, A5 cease_contact, A6 bankrupt are never there.
            XCTAssertEqual(ids, ["A1", "A7", "A2", "A3"])
            XCTAssertEqual(all.object["total"] as? Int, 4)

            let likely = try await client.get("/v1/queues/likely?limit=2&offset=1", f.headers("dialer"))
            XCTAssertEqual((likely.object["accounts"] as? [[String: Any]] ?? []).compactMap { $0["account_id"] as? String }, ["A1", "A7"])
            XCTAssertEqual(likely.object["offset"] as? Int, 1)
            XCTAssertEqual(likely.object["limit"] as? Int, 2)
            XCTAssertEqual(likely.object["total"] as? Int, 3)

            let past = try await client.get("/v1/queues/likely?offset=50", f.headers("dialer"))
            XCTAssertEqual(past.status, .ok)
            XCTAssertEqual((past.object["accounts"] as? [Any])?.count, 0)

            let unknown = try await client.get("/v1/queues/nope", f.headers("dialer"))
            XCTAssertEqual(unknown.status, .notFound)
            XCTAssertEqual(unknown.errorCode, "unknown_queue")
        }
        let page = try AuditReader.read(store: f.store, since: nil, token: "dialer", account: "A7")
        XCTAssertEqual(page.count, 2)
    }

    func testQueryReturnsColumnsAndRows() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.post("/v1/query", f.headers("analyst"), body: #"""
                {"query":"from accounts | where principal >= $min | summarize n = count(), total = sum(principal) by portfolio | sort portfolio","params":{"min":100}}
                """#)
            XCTAssertEqual(r.status, .ok, r.text)
            XCTAssertEqual(r.text, #"{"columns":[{"name":"portfolio","type":"string"},{"name":"n","type":"int"},{"name":"total","type":"money"}],"rows":[["card",4,13300.00],["telco",1,800.00]]}"# + "\n")
            let ids = try await client.post("/v1/query", f.headers("analyst"), body: #"{"query":"from scores | sort account_id | take 2 | select account_id"}"#)
            XCTAssertEqual(ids.status, .ok, ids.text)
        }
        XCTAssertEqual(try AuditReader.read(store: f.store, since: nil, token: "analyst", account: nil).last?.entry.account_ids, ["A1", "A2"])
    }

    func testKPI() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.get("/v1/kpi/recovery_rate?as_of=2025-06-30&by=portfolio", f.headers("manager"))
            XCTAssertEqual(r.status, .ok, r.text)
            XCTAssertEqual(r.object["kpi"] as? String, "recovery_rate")
            XCTAssertFalse((r.object["rows"] as? [[String: Any]] ?? []).isEmpty)
            XCTAssertTrue((r.object["columns"] as? [String] ?? []).contains("portfolio"))
            let unknown = try await client.get("/v1/kpi/recovery_rat", f.headers("manager"))
            XCTAssertEqual(unknown.status, .notFound)
            XCTAssertTrue(unknown.text.contains("did you mean `recovery_rate`"), unknown.text)
            for bad in ["/v1/kpi/recovery_rate?as_of=2025-02-30", "/v1/kpi/recovery_rate?by=portfolo", "/v1/kpi/recovery_rate?colour=red",
                        "/v1/kpi/dso?from=2025-06-30&to=2025-01-01"] {
                let b = try await client.get(bad, f.headers("manager"))
                XCTAssertEqual(b.status, .badRequest, "\(bad): \(b.text)")
                XCTAssertNotNil(b.errorCode)
            }
        }
    }

    func testReports() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.router) { client in
            let list = try await client.get("/v1/reports", f.headers("manager"))
            XCTAssertEqual(list.status, .ok)
            let reports = list.object["reports"] as? [[String: Any]] ?? []
            XCTAssertEqual(reports.map { $0["name"] as? String }, ["monthly", "never"])
            XCTAssertEqual((reports[0]["latest"] as? [String: Any])?["as_of"] as? String, "2025-06-30")
            XCTAssertEqual(reports[0]["title"] as? String, "Monthly collections")
            XCTAssertTrue(reports[1]["latest"] is NSNull)

            let html = try await client.get("/v1/reports/monthly/latest", f.headers("manager"))
            XCTAssertEqual(html.status, .ok)
            XCTAssertEqual(html.headers[.contentType], "text/html; charset=utf-8")
            XCTAssertEqual(html.text, "<html><body>monthly 2025-06-30</body></html>")
            var h = f.headers("manager")
            h[.accept] = "application/json"
            let json = try await client.get("/v1/reports/monthly/latest", h)
            XCTAssertEqual(json.object["as_of"] as? String, "2025-06-30")

            let never = try await client.get("/v1/reports/never/latest", f.headers("manager"))
            XCTAssertEqual(never.status, .notFound)
            XCTAssertEqual(never.errorCode, "report_not_run")
            let unknown = try await client.get("/v1/reports/..%2Fetc/latest", f.headers("manager"))
            XCTAssertEqual(unknown.status, .notFound)
        }
    }

    func testMetricsCountRequestsByRoute() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.router) { client in
            _ = try await client.get("/v1/scores/A1", f.headers("dialer"))
            _ = try await client.get("/v1/scores/A2", f.headers("dialer"))
            _ = try await client.get("/v1/scores/A2")
            let m = try await client.get("/metrics")
            XCTAssertEqual(m.status, .ok)
            XCTAssertTrue(m.text.contains(#"recoup_http_requests_total{route="/v1/scores/{account_id}",method="GET",status="200"} 2"#), m.text)
            XCTAssertTrue(m.text.contains(#"status="401"} 1"#), m.text)
            XCTAssertTrue(m.text.contains("recoup_http_request_duration_seconds_bucket"), m.text)
            XCTAssertTrue(m.text.contains("recoup_store_commit 1"), m.text)
            XCTAssertTrue(m.text.contains("recoup_scores_loaded 7"), m.text)
            XCTAssertTrue(m.text.contains(#"recoup_queue_accounts{queue="everyone"} 4"#), m.text)
        }
    }
}
