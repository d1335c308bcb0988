import Foundation
import XCTest
@testable import RecoupStore

final class ImportTests: XCTestCase {
    func testImportsTheContractAndReadsBackExactValues() throws {
        let s = Scratch()
        let summary = try Importer.run(store: s.store, paths: [Book.writeAll(s)])
        XCTAssertEqual(summary.commit, 1)
        let snap = try Store.open(s.store)
        XCTAssertEqual(snap.rows("accounts"), 3)
        XCTAssertEqual(snap.rows("contacts"), 3)
        XCTAssertEqual(snap.rows("payments"), 3)
        XCTAssertEqual(snap.rows("promises"), 1)
        XCTAssertEqual(strings(try column(snap, "accounts", "account_id")), ["A1", "A2", "A3"])
        // Money in cents, exactly.
        XCTAssertEqual(ints(try column(snap, "accounts", "principal")), [120050, 30000, 9999])
        // Dates as days since 1970-01-01: 2025-01-01 is day 20089.
        XCTAssertEqual(ints(try column(snap, "accounts", "opened_date")), [20089, 20103, 20120])
        // Empty status_date means placed_date; empty optional score is null.
        XCTAssertEqual(ints(try column(snap, "accounts", "status_date")), [20148, 20180, 20120])
        XCTAssertEqual(ints(try column(snap, "accounts", "credit_score")), [640, Null.int64, 812])
        XCTAssertEqual(ints(try column(snap, "accounts", "status")), [0, 1, 0])
        // Dictionary-stored strings.
        let portfolio = snap.dictionary(table: "accounts", column: "portfolio")
        XCTAssertEqual(ints(try column(snap, "accounts", "portfolio")).map { portfolio[Int($0)] }, ["card", "card", "invoice"])
        XCTAssertEqual(ints(try column(snap, "accounts", "agent_id"))[1], Int64(Null.int32))
        // Timestamps to UTC seconds: 2025-03-06T09:30:00-08:00 = 17:30Z.
        let day = Int64(CivilDate.days(year: 2025, month: 3, day: 6)) * 86400
        XCTAssertEqual(ints(try column(snap, "contacts", "ts"))[1], day + 17 * 3600 + 30 * 60)
        // Account references become account keys (rows of accounts).
        XCTAssertEqual(ints(try column(snap, "payments", "account_id")), [0, 0, 2])
        XCTAssertEqual(ints(try column(snap, "payments", "amount")), [10050, -10050, 9999])
    }

    func testReimportingTheSameRowsChangesNothing() throws {
        let s = Scratch()
        let book = Book.writeAll(s)
        _ = try Importer.run(store: s.store, paths: [book])
        let before = try contentDigest(Store.open(s.store))
        let again = try Importer.run(store: s.store, paths: [book])
        XCTAssertNil(again.commit, "events already stored and identical accounts bring nothing new")
        XCTAssertEqual(try Store.commits(s.store), [1])
        XCTAssertEqual(try contentDigest(Store.open(s.store)), before)
        let contacts = again.tables.first { $0.name == "contacts" }!.counts
        XCTAssertEqual(contacts.skipped, 3)
        XCTAssertEqual(contacts.added, 0)
    }

    func testAccountsUpsertAndEventsAppend() throws {
        let s = Scratch()
        _ = try Importer.run(store: s.store, paths: [Book.writeAll(s)])
        s.write("day2/accounts.csv", """
        account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,status,status_date
        A2,D1,card,2025-01-15,2025-02-14,2025-03-01,300,CA,America/Los_Angeles,cease_contact,2025-05-01
        A4,D3,telco,2025-04-01,2025-04-30,2025-06-01,45.10,TX,America/Chicago,open,

        """)
        s.write("day2/payments.csv", "payment_id,account_id,paid_date,amount,method\nP4,A4,2025-06-02,10,cash\nP1,A1,2025-03-10,100.50,card\n")
        let r = try Importer.run(store: s.store, paths: [s.dir + "/day2"])
        XCTAssertEqual(r.commit, 2)
        let snap = try Store.open(s.store)
        XCTAssertEqual(snap.rows("accounts"), 4)
        XCTAssertEqual(ints(try column(snap, "accounts", "status")), [0, 2, 0, 0])
        XCTAssertEqual(ints(try column(snap, "accounts", "agent_id"))[1], Int64(Null.int32), "an absent optional column is null")
        XCTAssertEqual(snap.rows("payments"), 4, "P1 identical (100.50 = 100.5) is skipped, P4 appended")
        XCTAssertEqual(ints(try column(snap, "payments", "account_id")).last, 3)
        // The earlier commit still reads as it was.
        let old = try Store.open(s.store, commit: 1)
        XCTAssertEqual(old.rows("accounts"), 3)
        XCTAssertEqual(ints(try column(old, "accounts", "status")), [0, 1, 0])
    }

    func testQuotedFieldsAndCRLF() throws {
        let s = Scratch()
        _ = try Importer.run(store: s.store, paths: [Book.writeAll(s)])
        s.write("q/accounts.csv", "account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,status\r\n"
            + "\"A,5\",\"D \"\"big\"\" 5\",card,2025-01-01,2025-01-02,2025-01-03,\"7.00\",CA,America/Los_Angeles,open\r\n")
        _ = try Importer.run(store: s.store, paths: [s.dir + "/q/accounts.csv"])
        let snap = try Store.open(s.store)
        XCTAssertEqual(strings(try column(snap, "accounts", "account_id")).last, "A,5")
        XCTAssertEqual(strings(try column(snap, "accounts", "debtor_id")).last, "D \"big\" 5")
        XCTAssertEqual(ints(try column(snap, "accounts", "principal")).last, 700)
    }

    func testLineNumbersCountLineBreaksInsideQuotes() throws {
        let s = Scratch()
        s.write("n/accounts.csv", "account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,status\n"
            + "A1,D1,\"two\nlines\",2025-01-01,2025-01-02,2025-01-03,7,CA,America/Los_Angeles,open\n"
            + "A2,D1,card,2025-01-01,2025-01-02,2025-01-03,7,CA,Mars/Olympus,open\n")
        let rejects = s.dir + "/rej.csv"
        _ = try Importer.run(store: s.store, paths: [s.dir + "/n"], rejectsPath: rejects)
        let r = try String(contentsOfFile: rejects, encoding: .utf8)
        XCTAssertTrue(r.contains("accounts.csv,2,portfolio,\"two\nlines\",contains a control character"), r)
        XCTAssertTrue(r.contains("accounts.csv,4,timezone,Mars/Olympus,is not a known IANA time zone"), r)
    }

    func testRejectsModeCommitsGoodRowsAndListsBadOnes() throws {
        let s = Scratch()
        _ = try Importer.run(store: s.store, paths: [Book.writeAll(s)])
        s.write("r/payments.csv", "payment_id,account_id,paid_date,amount,method\nP10,A1,2025-04-01,5,card\nP11,A9,2025-04-01,5,card\nP12,A1,2025-04-31,5,card\nP13,A2,2025-04-02,1.234,card\n")
        let rejects = s.dir + "/rejects.csv"
        let r = try Importer.run(store: s.store, paths: [s.dir + "/r"], rejectsPath: rejects)
        XCTAssertEqual(r.commit, 2)
        XCTAssertEqual(try Store.open(s.store).rows("payments"), 4)
        let text = try String(contentsOfFile: rejects, encoding: .utf8)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(lines[0], "file,line,column,value,reason,record")
        XCTAssertTrue(lines[1].hasPrefix("payments.csv,3,account_id,A9,names an unknown account"), String(lines[1]))
        XCTAssertTrue(lines[2].hasPrefix("payments.csv,4,paid_date,2025-04-31,is not a real calendar date"), String(lines[2]))
        XCTAssertTrue(lines[3].hasPrefix("payments.csv,5,amount,1.234,has more than 2 fraction digits"), String(lines[3]))
    }

    func testSecondWriterIsRefusedWithExit75() throws {
        let s = Scratch()
        _ = try Importer.run(store: s.store, paths: [Book.writeAll(s)])
        let first = try StoreWriter(root: s.store, create: false)
        XCTAssertThrowsError(try StoreWriter(root: s.store, create: false)) { e in
            XCTAssertEqual((e as? RecoupError)?.exitCode, 75)
        }
        _ = first
    }

    func testFlippedByteIsCaughtByTheChecksum() throws {
        let s = Scratch()
        _ = try Importer.run(store: s.store, paths: [Book.writeAll(s)])
        let snap = try Store.open(s.store)
        let seg = snap.table("payments").segments[0]
        let block = seg.columns.first { $0.column == "amount" }!
        let path = s.store + "/" + seg.file
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        bytes[block.offset + block.length / 2] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try snap.read(table: "payments", segment: 0, column: "amount")) { e in
            let m = (e as? RecoupError)?.message ?? ""
            XCTAssertEqual((e as? RecoupError)?.exitCode, 65)
            XCTAssertTrue(m.contains("checksum") && m.contains("payments") && m.contains("amount") && m.contains("segment 0"), m)
        }
        XCTAssertNoThrow(try snap.read(table: "payments", segment: 0, column: "paid_date"), "other blocks still read")
    }

    func testUnknownCommitAndMissingStore() throws {
        let s = Scratch()
        XCTAssertThrowsError(try Store.open(s.store)) { XCTAssertEqual(($0 as? RecoupError)?.exitCode, 66) }
        _ = try Importer.run(store: s.store, paths: [Book.writeAll(s)])
        XCTAssertThrowsError(try Store.open(s.store, commit: 7)) { XCTAssertEqual(($0 as? RecoupError)?.exitCode, 66) }
    }
}
