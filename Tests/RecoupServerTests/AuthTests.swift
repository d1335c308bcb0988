import Foundation
import Hummingbird
import HummingbirdTesting
import RecoupServer
import XCTest

/// Every protected endpoint against every kind of caller: none, unknown, revoked, each scope, admin.
final class AuthTests: XCTestCase {
    /// (method, uri, body, scope it needs)
    static let endpoints: [(HTTPRequest.Method, String, String?, String)] = [
        (.get, "/v1/scores/A1", nil, "scores:read"),
        (.post, "/v1/scores:batch", #"{"account_ids":["A1"]}"#, "scores:read"),
        (.get, "/v1/queues", nil, "scores:read"),
        (.get, "/v1/queues/everyone", nil, "scores:read"),
        (.post, "/v1/query", #"{"query":"from accounts | take 1"}"#, "query:run"),
        (.get, "/v1/kpi/recovery_rate", nil, "reports:read"),
        (.get, "/v1/reports", nil, "reports:read"),
        (.get, "/v1/reports/monthly/latest", nil, "reports:read"),
    ]

    func testMatrix() async throws {
        let f = try ServerFixture()
        let scopeOf = ["dialer": "scores:read", "analyst": "query:run", "manager": "reports:read"]
        try await f.server.makeApplication().test(.router) { client in
            for (method, uri, body, scope) in Self.endpoints {
                func call(_ headers: HTTPFields) async throws -> TestResponse {
                    try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
                }
                let callers: [(String, HTTPFields, HTTPResponse.Status)] = [
                    ("none", [:], .unauthorized),
                    ("not bearer", [.authorization: "Basic YTpi"], .unauthorized),
                    ("unknown", [.authorization: "Bearer rcp_000000000000_" + String(repeating: "0", count: 48)], .unauthorized),
                    ("garbage", [.authorization: "Bearer hello"], .unauthorized),
                    ("wrong secret", [.authorization: "Bearer " + String(f.tokens["admin"]!.dropLast(2)) + "00"], .unauthorized),
                    ("revoked", f.headers("gone"), .unauthorized),
                    ("admin", f.headers("admin"), .ok),
                ] + scopeOf.map { name, s in (name, f.headers(name), s == scope ? .ok : .forbidden) }
                for (who, headers, expected) in callers {
                    let r = try await call(headers)
                    XCTAssertEqual(r.status, expected, "\(who) \(method) \(uri): \(r.text)")
                    if expected != .ok {
                        XCTAssertEqual(r.errorCode, expected == .unauthorized ? "unauthorized" : "forbidden", "\(who) \(uri)")
                        XCTAssertEqual(r.headers[.contentType], "application/json")
                    }
                }
            }
            for open in ["/v1/health", "/metrics", "/openapi.yaml"] {
                let r = try await client.get(open)
                XCTAssertEqual(r.status, .ok, open)
            }
        }
    }

    func testTokensAreStoredHashedAndRevocationIsPickedUp() async throws {
        let f = try ServerFixture()
        let file = try String(contentsOfFile: TokenStore.path(store: f.store), encoding: .utf8)
        for (_, secret) in f.tokens {
            XCTAssertFalse(file.contains(String(secret.split(separator: "_").last!)), "a secret is stored in clear")
        }
        let listed = try TokenStore.load(store: f.store)
        XCTAssertEqual(listed.count, 5)
        XCTAssertNotNil(listed.first { $0.name == "gone" }?.revoked)
        XCTAssertThrowsError(try TokenStore.create(store: f.store, name: "admin", scopes: ["admin"]))
        XCTAssertThrowsError(try TokenStore.create(store: f.store, name: "x", scopes: ["scores:write"]))

        try await f.server.makeApplication().test(.router) { client in
            let before = try await client.get("/v1/queues", f.headers("dialer"))
            XCTAssertEqual(before.status, .ok)
            _ = try TokenStore.revoke(store: f.store, nameOrID: "dialer")
            let (_, fresh) = try TokenStore.create(store: f.store, name: "fresh", scopes: ["scores:read"])
            f.server.holder.refresh()
            let after = try await client.get("/v1/queues", f.headers("dialer"))
            XCTAssertEqual(after.status, .unauthorized)
            let new = try await client.get("/v1/queues", [.authorization: "Bearer " + fresh])
            XCTAssertEqual(new.status, .ok)
        }
    }
}
