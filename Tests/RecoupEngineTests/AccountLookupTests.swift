import Foundation
import RecoupStore
import XCTest

@testable import RecoupEngine

/// Account ids are found through the key column's text zone maps: only segments whose least and
/// greatest id (byte order) bracket a wanted id are decoded.
final class AccountLookupTests: XCTestCase {
    static let header =
        "account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date\n"

    static func accounts(_ ids: [String]) -> String {
        header + ids.map { "\($0),D\($0),card,2025-01-01,2025-02-01,2025-03-01,10.00,NY,America/New_York,,,open," }
            .joined(separator: "\n") + "\n"
    }

    func testOnlySegmentsThatCanHoldTheIdAreRead() throws {
        let dir = NSTemporaryDirectory() + "recoup-lookup-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Three segments of accounts (122,880 rows each at most), ids ascending.
        let n = 2 * Importer.segmentRows + 100
        let ids = (0..<n).map { "A" + String(repeating: "0", count: 7 - String($0).count) + String($0) }
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        try Self.accounts(ids).write(toFile: dir + "/in/accounts.csv", atomically: true, encoding: .utf8)
        _ = try Importer.run(store: dir + "/store", paths: [dir + "/in"])
        let snap = try Store.open(dir + "/store")
        let segments = snap.table("accounts").segments
        XCTAssertEqual(segments.count, 3)
        // Each segment's zone map: its first and last id (the file is in id order).
        var start = 0
        for seg in segments {
            let block = seg.columns.first { $0.column == "account_id" }!
            XCTAssertEqual(block.minText, ids[start])
            XCTAssertEqual(block.maxText, ids[start + seg.rows - 1])
            start += seg.rows
        }
        let last = segments[2].columns[0]
        XCTAssertFalse(last.mayHold(Array(ids[0].utf8)))
        XCTAssertTrue(last.mayHold(Array(ids[n - 1].utf8)))
        XCTAssertFalse(last.mayHold(Array("B".utf8)))
        XCTAssertEqual(
            try AccountLookup.keys(snap, ids: [ids[5], ids[n - 1], "Z99"]), [5, Int32(n - 1)])
        // With the first segment's file damaged, an id of the last is still found: the first is not read.
        try Data(repeating: 0, count: 64).write(to: URL(fileURLWithPath: dir + "/store/" + segments[0].file))
        XCTAssertEqual(try AccountLookup.keys(snap, ids: [ids[n - 2]]), [Int32(n - 2)])
        XCTAssertThrowsError(try AccountLookup.keys(snap, ids: [ids[7]]))
    }

    func testStoresWithoutTextZoneMapsReadEverySegment() throws {
        let json = """
            {"column":"account_id","offset":0,"length":1,"checksum":"0","encoding":"plain","codec":"none","plainBytes":1,"nulls":0}
            """
        let b = try JSONDecoder().decode(BlockManifest.self, from: Data(json.utf8))
        XCTAssertNil(b.minText)
        XCTAssertTrue(b.mayHold(Array("anything".utf8)))
    }
}
