import Foundation
import XCTest
@testable import RecoupStore

/// Files are read in parallel byte ranges; the result must not depend on where they were cut.
final class ChunkedImportTests: XCTestCase {
    override func tearDown() { Importer.chunkBytes = 24 << 20 }

    func testTinyChunksGiveTheSameStoreAsOneChunk() throws {
        let s = Scratch()
        CrashTests.writeBook(s, folder: "book", accounts: 0..<300, prefix: "x")
        // Quoted fields with line breaks and quotes, so cuts must respect quoting.
        s.write("book2/accounts.csv", "account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,status\n"
            + (0..<200).map { "\"Q\($0)\",\"D \"\"\($0)\"\"\",\"p,\($0 % 3)\",2024-01-01,2024-01-02,2024-01-03,5,CA,America/Chicago,open\n" }.joined())
        Importer.chunkBytes = 24 << 20
        let one = s.dir + "/one"
        _ = try Importer.run(store: one, paths: [s.dir + "/book", s.dir + "/book2"])
        Importer.chunkBytes = 97
        let many = s.dir + "/many"
        _ = try Importer.run(store: many, paths: [s.dir + "/book", s.dir + "/book2"])
        XCTAssertEqual(try contentDigest(Store.open(one)), try contentDigest(Store.open(many)))
        XCTAssertEqual(try Store.open(many).rows("accounts"), 500)
    }

    func testLineNumbersAndDuplicatesAcrossChunks() throws {
        let s = Scratch()
        _ = try Importer.run(store: s.store, paths: [Book.writeAll(s)])
        var text = "payment_id,account_id,paid_date,amount,method\n"
        for i in 0..<400 { text += "Z\(i),A1,2025-04-01,\(i + 1),card\n" }
        text += "Z5,A1,2025-04-01,6,card\n"       // identical to line 7: skipped
        text += "Z7,A1,2025-04-01,999,card\n"     // conflicts with line 9
        text += "Z900,A1,2025-04-31,1,card\n"     // bad date on line 404
        s.write("p/payments.csv", text)
        Importer.chunkBytes = 200
        let rejects = s.dir + "/rej.csv"
        let r = try Importer.run(store: s.store, paths: [s.dir + "/p"], rejectsPath: rejects)
        let counts = r.tables.first { $0.name == "payments" }!.counts
        XCTAssertEqual(counts.added, 400)
        XCTAssertEqual(counts.skipped, 1)
        XCTAssertEqual(counts.rejected, 2)
        let lines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(lines[1].hasPrefix("payments.csv,403,payment_id,Z7,conflict with an earlier row"), String(lines[1]))
        XCTAssertTrue(lines[2].hasPrefix("payments.csv,404,paid_date,2025-04-31,"), String(lines[2]))
    }
}
