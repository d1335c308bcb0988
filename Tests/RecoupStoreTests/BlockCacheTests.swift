import Foundation
import XCTest

@testable import RecoupStore

/// The decoded-block cache of long-lived processes: warm reads, reuse across commits, the budget.
final class BlockCacheTests: XCTestCase {
    var dir = ""

    override func setUp() {
        dir = NSTemporaryDirectory() + "recoup-cache-" + UUID().uuidString
        BlockCache.shared.budget = 0
    }

    override func tearDown() {
        BlockCache.shared.budget = 0
        try? FileManager.default.removeItem(atPath: dir)
    }

    func importPayments(_ rows: [String]) throws {
        let book = dir + "/book-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: book, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: dir + "/store") {
            let header =
                "account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date\n"
            let accounts = (0..<7).map {
                "A\($0),D\($0),card,2025-01-01,2025-01-31,2025-03-01,1000.00,CA,America/Los_Angeles,,,open,"
            }
            try (header + accounts.joined(separator: "\n") + "\n").write(
                toFile: book + "/accounts.csv", atomically: true, encoding: .utf8)
        }
        try ("payment_id,account_id,paid_date,amount,method\n" + rows.joined(separator: "\n") + "\n")
            .write(toFile: book + "/payments.csv", atomically: true, encoding: .utf8)
        _ = try Importer.run(store: dir + "/store", paths: [book])
    }

    func amounts(_ s: Snapshot) throws -> [Int64] {
        try s.readAll(table: "payments", column: "amount").flatMap { d -> [Int64] in
            guard case .int64(let v) = d else { return [] }
            return v
        }
    }

    func testSecondReadIsWarmAndNeedsNoFile() throws {
        try importPayments(["P1,A1,2025-03-10,100.50,card", "P2,A1,2025-03-12,7.00,ach"])
        let s = try Store.open(dir + "/store")
        BlockCache.shared.budget = 1 << 20
        let (hits, misses) = (BlockCache.shared.hits, BlockCache.shared.misses)
        XCTAssertEqual(try amounts(s), [10050, 700])
        XCTAssertEqual(BlockCache.shared.misses - misses, 1)
        // The segment file gone: the cached block still answers (nothing is read from disk).
        for f in try FileManager.default.contentsOfDirectory(atPath: dir + "/store/data/payments") {
            try FileManager.default.removeItem(atPath: dir + "/store/data/payments/" + f)
        }
        XCTAssertEqual(try amounts(s), [10050, 700])
        XCTAssertEqual(BlockCache.shared.hits - hits, 1)
        // Off again: the read goes to the file, which is gone.
        BlockCache.shared.budget = 0
        XCTAssertThrowsError(try amounts(s))
    }

    func testANewCommitReusesTheBlocksItKept() throws {
        try importPayments(["P1,A1,2025-03-10,100.50,card"])
        BlockCache.shared.budget = 1 << 20
        XCTAssertEqual(try amounts(try Store.open(dir + "/store")), [10050])
        try importPayments(["P9,A2,2025-04-01,1.00,card"])
        let s2 = try Store.open(dir + "/store")
        XCTAssertEqual(s2.table("payments").segments.count, 2, "the second import adds a segment")
        let misses = BlockCache.shared.misses
        XCTAssertEqual(try amounts(s2).sorted(), [100, 10050])
        XCTAssertEqual(BlockCache.shared.misses - misses, 1, "only the new segment's block is decoded")
    }

    func testTheBudgetIsKept() throws {
        try importPayments((1...2000).map { "P\($0),A\($0 % 7),2025-03-10,\($0).25,card" })
        let s = try Store.open(dir + "/store")
        // Room for one 16 kB column (2000 × 8 bytes) but not for it and the ids.
        BlockCache.shared.budget = 20_000
        _ = try amounts(s)
        _ = try s.readAll(table: "payments", column: "payment_id")
        XCTAssertLessThanOrEqual(BlockCache.shared.bytes, 20_000)
        XCTAssertGreaterThan(BlockCache.shared.bytes, 0)
        BlockCache.shared.budget = 0
        XCTAssertEqual(BlockCache.shared.bytes, 0)
    }
}
