import Foundation
import Hummingbird
import HummingbirdTesting
import RecoupServer
import RecoupStore
import XCTest

/// New commits and score files are served without a restart; requests keep being answered, each from
/// one consistent state, while an import commits.
final class PickupTests: XCTestCase {
    static let moreAccounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    B1,D9,card,2025-05-01,2025-05-31,2025-06-01,2500.00,CA,America/Los_Angeles,G1,650,open,
    B2,D9,card,2025-05-01,2025-05-31,2025-06-01,900.00,CA,America/Los_Angeles,G1,650,closed,2025-06-10

    """

    func importMore(_ f: ServerFixture) throws {
        let book = f.dir + "/more"
        try ServerFixture.writeBook(
            book, accounts: Self.moreAccounts,
            payments: "payment_id,account_id,paid_date,amount,method\nP9,B1,2025-06-05,10.00,card\n",
            contacts: "contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s\n",
            promises: "promise_id,account_id,created_date,due_date,amount\n")
        _ = try Importer.run(store: f.store, paths: [book])
    }

    func testNewCommitAndScoresArePickedUpByThePoller() async throws {
        let f = try ServerFixture(pollInterval: 0.05)
        let poller = f.server.startPolling()
        defer { poller.cancel() }
        try await f.server.makeApplication().test(.router) { client in
            try self.importMore(f)
            try await Self.waitFor { try await client.get("/v1/health").object["store_commit"] as? Int == 2 }
            // B1 has no score yet: not in a queue, 404 for its score.
            let before = try await client.get("/v1/scores/B1", f.headers("dialer"))
            XCTAssertEqual(before.status, .notFound)

            try ServerFixture.writeScores(store: f.store, number: 2, modelVersion: "p2p-test-2",
                                          rows: ServerFixture.scoreRows + [("B1", 0.6, 150000, 250000), ("B2", 0.9, 81000, 90000)])
            try await Self.waitFor { try await client.get("/v1/health").object["model_version"] as? String == "p2p-test-2" }
            let after = try await client.get("/v1/scores/B1", f.headers("dialer"))
            XCTAssertEqual(after.status, .ok)
            XCTAssertEqual(after.object["model_version"] as? String, "p2p-test-2")
            let q = try await client.get("/v1/queues/everyone", f.headers("dialer"))
            let ids = (q.object["accounts"] as? [[String: Any]] ?? []).compactMap { $0["account_id"] as? String }
            XCTAssertEqual(ids.first, "B1")
            XCTAssertFalse(ids.contains("B2"), "closed B2 must not be queued")
            XCTAssertEqual(q.object["store_commit"] as? Int, 2)
        }
    }

    func testRequestsAreServedWhileAnImportCommits() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.router) { client in
            let importing = Flag()
            let importer = Task.detached {
                defer { importing.clear() }
                try await Task.sleep(nanoseconds: 5_000_000)
                try self.importMore(f)
            }
            let refresher = Task.detached {
                for _ in 0..<50 {
                    f.server.holder.refresh()
                    try await Task.sleep(nanoseconds: 2_000_000)
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                      var i = worker
                      // Until the import has committed, and at least 30 requests each.
                      while importing.isSet || i < 240 {
                        i += 8
                        switch i % 3 {
                        case 0:
                            let r = try await client.get("/v1/scores/A\(i % 7 + 1)", f.headers("dialer"))
                            XCTAssertEqual(r.status, .ok, r.text)
                        case 1:
                            let r = try await client.post("/v1/query", f.headers("analyst"), body: #"{"query":"from accounts | summarize n = count()"}"#)
                            XCTAssertEqual(r.status, .ok, r.text)
                            let n = ((r.object["rows"] as? [[Any]])?.first?.first as? NSNumber)?.intValue
                            XCTAssertTrue(n == 7 || n == 9, "a query saw \(String(describing: n)) accounts: half a commit")
                        default:
                            let r = try await client.get("/v1/queues/everyone?limit=10", f.headers("dialer"))
                            XCTAssertEqual(r.status, .ok, r.text)
                            let total = r.object["total"] as? Int
                            XCTAssertEqual(total, 4, "no new scores, so the queue stays the same")
                        }
                      }
                    }
                }
                try await group.waitForAll()
            }
            try await importer.value
            try await refresher.value
            f.server.holder.refresh()
            let h = try await client.get("/v1/health")
            XCTAssertEqual(h.object["store_commit"] as? Int, 2)
            let r = try await client.post("/v1/query", f.headers("analyst"), body: #"{"query":"from accounts | summarize n = count()"}"#)
            XCTAssertEqual(((r.object["rows"] as? [[Any]])?.first?.first as? NSNumber)?.intValue, 9)
        }
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = true
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
        func clear() { lock.lock(); value = false; lock.unlock() }
    }

    static func waitFor(_ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTFail("timed out waiting")
    }
}
