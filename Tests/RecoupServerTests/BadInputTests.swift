import Foundation
import Hummingbird
import HummingbirdTesting
import RecoupServer
import XCTest

/// What a client can get wrong is answered 4xx with a JSON error, never 5xx.
final class BadInputTests: XCTestCase {
    func testBadBodiesAndParameters() async throws {
        let f = try ServerFixture()
        let admin = f.headers("admin")
        let cases: [(String, String, String?, Int, String)] = [
            ("POST", "/v1/scores:batch", "{", 400, "malformed_json"),
            ("POST", "/v1/scores:batch", "", 400, "malformed_json"),
            ("POST", "/v1/scores:batch", "[1,2]", 400, "malformed_json"),
            ("POST", "/v1/scores:batch", #"{"account_ids":["A1"],"extra":1}"#, 400, "unknown_field"),
            ("POST", "/v1/scores:batch", #"{"accounts":["A1"]}"#, 400, "unknown_field"),
            ("POST", "/v1/scores:batch", #"{"account_ids":"A1"}"#, 400, "invalid_field"),
            ("POST", "/v1/scores:batch", #"{"account_ids":[1]}"#, 400, "invalid_field"),
            ("POST", "/v1/query", #"{"query":"from accounts","limit":3}"#, 400, "unknown_field"),
            ("POST", "/v1/query", #"{"query":42}"#, 400, "invalid_field"),
            ("POST", "/v1/query", #"{"query":"from accounts","params":[1]}"#, 400, "invalid_field"),
            ("POST", "/v1/query", #"{"query":"from payments | where ammount > 0"}"#, 400, "invalid_query"),
            ("POST", "/v1/query", #"{"query":""# + String(repeating: "x", count: 70_000) + #""}"#, 400, "query_too_long"),
            ("GET", "/v1/scores/UNKNOWN", nil, 404, "unknown_account"),
            ("GET", "/v1/queues/everyone?limit=0", nil, 400, "invalid_parameter"),
            ("GET", "/v1/queues/everyone?limit=abc", nil, 400, "invalid_parameter"),
            ("GET", "/v1/queues/everyone?limit=100000", nil, 400, "invalid_parameter"),
            ("GET", "/v1/queues/everyone?offset=-1", nil, 400, "invalid_parameter"),
            ("GET", "/v1/queues/everyone?page=2", nil, 400, "unknown_parameter"),
            ("GET", "/v1/nothing-here", nil, 404, "not_found"),
        ]
        try await f.server.makeApplication().test(.router) { client in
            for (method, uri, body, status, code) in cases {
                var h = admin
                h[.contentType] = "application/json"
                let r = try await client.execute(uri: uri, method: method == "GET" ? .get : .post, headers: h, body: body.map { ByteBuffer(string: $0) })
                XCTAssertEqual(Int(r.status.code), status, "\(method) \(uri.prefix(80)): \(r.text.prefix(300))")
                XCTAssertEqual(r.errorCode, code, "\(method) \(uri.prefix(80)): \(r.text.prefix(300))")
                XCTAssertFalse(r.text.contains("Swift/") || r.text.contains("Fatal"), r.text)
            }
        }
    }

    func testInvalidQueryGivesThePlace() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.post("/v1/query", f.headers("analyst"), body: #"{"query":"from payments\n| where ammount > 0"}"#)
            XCTAssertEqual(r.status, .badRequest)
            let e = r.object["error"] as? [String: Any] ?? [:]
            XCTAssertEqual(e["line"] as? Int, 2)
            XCTAssertEqual(e["column"] as? Int, 9)
            XCTAssertTrue((e["help"] as? String ?? "").contains("amount"), "\(e)")
            XCTAssertTrue((e["rendered"] as? String ?? "").contains("^"), "\(e)")
        }
    }

    func testHugeBodiesAre413() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.router) { client in
            let ids = (0..<200_000).map { "\"ACCOUNT\($0)\"" }.joined(separator: ",")
            let big = try await client.post("/v1/scores:batch", f.headers("dialer"), body: "{\"account_ids\":[\(ids)]}")
            XCTAssertEqual(big.status, .contentTooLarge)
            XCTAssertEqual(big.errorCode, "body_too_large")
            let many = (0..<10_001).map { "\"A\($0)\"" }.joined(separator: ",")
            let tooMany = try await client.post("/v1/scores:batch", f.headers("dialer"), body: "{\"account_ids\":[\(many)]}")
            XCTAssertEqual(tooMany.status, .contentTooLarge)
            XCTAssertEqual(tooMany.errorCode, "too_many_accounts")
            let justRight = (0..<10_000).map { "\"A\($0)\"" }.joined(separator: ",")
            let ok = try await client.post("/v1/scores:batch", f.headers("dialer"), body: "{\"account_ids\":[\(justRight)]}")
            XCTAssertEqual(ok.status, .ok)
            XCTAssertEqual((ok.object["scores"] as? [Any])?.count, 7)
            XCTAssertEqual((ok.object["not_found"] as? [Any])?.count, 9_993)
        }
    }

    func testTooExpensiveQueryTimesOut() async throws {
        let f = try ServerFixture(queryTimeLimit: 0.000001)
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.post("/v1/query", f.headers("analyst"), body: #"{"query":"from contacts | join accounts on account_id | summarize n = count() by portfolio"}"#)
            XCTAssertEqual(r.status, .unprocessableContent, r.text)
            XCTAssertEqual(r.errorCode, "query_timeout")
        }
    }
}
