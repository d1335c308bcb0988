import Foundation
import XCTest
@testable import RecoupKPI
import RecoupStore

/// The KPI registry: every KPI of KPIS.md once, each name with its own implementation, and an unknown
/// name an error with a suggestion (never another KPI's numbers).
final class RegistryTests: XCTestCase {
    /// KPIS.md's names, written out here as the contract lists them.
    static let contract = [
        "recovery_rate", "liquidation", "dso", "days_to_collect", "aging", "cei",
        "contact_effectiveness", "promise_adherence", "collector_performance", "roll_rate", "call_compliance",
    ]

    /// One placed account in New York, with the payments given.
    func oneAccount(payments: String? = nil) throws -> HandBook {
        let book = HandBook()
        try book.add(accounts: """
            account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,status
            A1,D1,card,2025-01-01,2025-01-31,2025-03-01,100,NY,America/New_York,open
            """, payments: payments)
        return book
    }

    func testNamesAreUniqueAndAreTheContractsNames() {
        XCTAssertEqual(Set(KPIRunner.names).count, KPIRunner.names.count, "a KPI name is registered twice")
        XCTAssertEqual(KPIRunner.names.sorted(), Self.contract.sorted())
    }

    /// Each name runs its own KPI: the first output column differs by KPI family, and no two KPIs give
    /// the same columns (a name falling through to another KPI's code would repeat its columns).
    func testEachNameRunsItsOwnKPI() throws {
        let book = try oneAccount(payments: HandBook.paymentsHeader + "P1,A1,2025-04-02,10,card\n")
        let snap = try book.snapshot()
        var seen: [[String]: String] = [:]
        for name in KPIRunner.names {
            var p = KPIParameters()
            p.asOf = CivilDate.parse("2025-06-30")
            let t = try KPIRunner.run(name, snapshot: snap, parameters: p)
            if let other = seen[t.columns] { XCTFail("\(name) gives the same columns as \(other): \(t.columns)") }
            seen[t.columns] = name
        }
    }

    func testUnknownNameSuggests() throws {
        let book = try oneAccount()
        let snap = try book.snapshot()
        for (typo, meant) in [("dso_x", "dso"), ("recovry_rate", "recovery_rate"), ("call_complaince", "call_compliance")] {
            XCTAssertThrowsError(try KPIRunner.run(typo, snapshot: snap, parameters: KPIParameters())) { e in
                let text = (e as? RecoupError)?.message ?? ""
                XCTAssertTrue(text.contains("unknown KPI `\(typo)`"), text)
                XCTAssertTrue(text.contains("did you mean `\(meant)`?"), text)
            }
        }
    }
}

/// A rate whose value is not a number (0/0 reached by a KPI or a model metric) is `null` in JSON, so
/// the document stays valid; a text cell with CR LF is quoted in CSV.
final class KPITableWritingTests: XCTestCase {
    func testNonFiniteDecimalsAreNullInJSON() throws {
        let t = KPITable(columns: ["model", "auc", "lift"], rows: [[.text("x"), .decimal(.nan), .decimal(.infinity)]])
        let json = t.json()
        XCTAssertTrue(json.contains("\"auc\": null"), json)
        XCTAssertTrue(json.contains("\"lift\": null"), json)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        XCTAssertEqual(parsed?.count, 1)
    }

    func testCRLFInATextCellIsQuotedInCSV() {
        let t = KPITable(columns: ["note"], rows: [[.text("first\r\nsecond")]])
        XCTAssertEqual(t.csv(), "note\n\"first\r\nsecond\"\n")
    }
}

/// The one parameter reading every front end uses: the same limits and suggestions everywhere.
final class KPIParameterParsingTests: XCTestCase {
    func testGraceLimits() throws {
        XCTAssertEqual(try KPIParameters.grace(0), 0)
        XCTAssertEqual(try KPIParameters.grace(365), 365)
        XCTAssertEqual(try KPIParameters.grace(text: " 7"), 7)
        for bad in [-1, 366, Int.max] { XCTAssertThrowsError(try KPIParameters.grace(bad), "\(bad)") }
        for bad in ["", "3.5", "x", "-2"] { XCTAssertThrowsError(try KPIParameters.grace(text: bad), bad) }
    }

    func testDimensionsAndSuggestions() throws {
        XCTAssertEqual(try KPIParameters.dimensions(commaSeparated: "portfolio, region"), [.portfolio, .region])
        XCTAssertEqual(try KPIParameters.dimensions(commaSeparated: ""), [])
        XCTAssertThrowsError(try KPIParameters.dimension("portfolo")) { e in
            XCTAssertEqual((e as? RecoupError)?.message, "unknown dimension `portfolo`; did you mean `portfolio`?")
        }
        XCTAssertThrowsError(try KPIParameters.kpiName("dso_x")) { e in
            XCTAssertEqual((e as? RecoupError)?.message, "unknown KPI `dso_x`; did you mean `dso`?")
        }
        XCTAssertEqual(try KPIParameters.kpiName("cei"), "cei")
    }
}
