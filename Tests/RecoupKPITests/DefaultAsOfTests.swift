import Foundation
import XCTest
@testable import RecoupKPI
import RecoupStore

/// The default as-of date counts contacts by their local date, also when the
/// latest contact lies past the other tables' dates only in local time.
final class DefaultAsOfTests: XCTestCase {
    func asOf(zone: String, contactTS: String) throws -> String {
        let dir = NSTemporaryDirectory() + "recoup-asof-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
        try """
        account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,status
        A1,D1,card,2025-01-01,2025-01-31,2025-03-01,100,XX,\(zone),open

        """.write(toFile: dir + "/b/accounts.csv", atomically: true, encoding: .utf8)
        try "payment_id,account_id,paid_date,amount,method\nP1,A1,2025-06-29,5,card\n".write(toFile: dir + "/b/payments.csv", atomically: true, encoding: .utf8)
        try "contact_id,account_id,ts,channel,direction,outcome\nC1,A1,\(contactTS),call,outbound,busy\n".write(toFile: dir + "/b/contacts.csv", atomically: true, encoding: .utf8)
        _ = try Importer.run(store: dir + "/s", paths: [dir + "/b"])
        return CivilDate.format(try KPIRunner.defaultAsOf(Store.open(dir + "/s")))
    }

    func testLocalDateOfTheLatestContact() throws {
        // 02:00Z on 07-01 is 22:00 on 06-30 in New York: A = 06-30, not 07-01.
        XCTAssertEqual(try asOf(zone: "America/New_York", contactTS: "2025-07-01T02:00:00Z"), "2025-06-30")
        // 20:00Z on 06-30 is 05:00 on 07-01 in Tokyo: A = 07-01.
        XCTAssertEqual(try asOf(zone: "Asia/Tokyo", contactTS: "2025-06-30T20:00:00Z"), "2025-07-01")
        // A contact older than the latest payment leaves A at the payment.
        XCTAssertEqual(try asOf(zone: "Asia/Tokyo", contactTS: "2025-06-01T20:00:00Z"), "2025-06-29")
    }
}
