import RecoupKPI
import RecoupStore
import XCTest

@testable import RecoupQuery

/// Units flow from a KPI's declared fields through the stages (docs/QUERY.md "Units"), bound without
/// data and the same when run; the expected units are read off the rules by hand.
final class UnitTests: XCTestCase {
    func units(_ b: QueryBook, _ q: String) throws -> [String: KPIUnit?] {
        let bound = try QueryEngine.bind(Parser.parse(q), snapshot: b.snapshot)
        let run = try b.run(q).columns
        XCTAssertEqual(bound, run, "bound and run agree: \(q)")
        return Dictionary(uniqueKeysWithValues: run.map { ($0.name, $0.unit) })
    }

    func testKPIFieldsAndWhatIsDerivedFromThem() throws {
        let b = try QueryBook()
        let asOf = "as of @2025-06-30"
        var u = try units(b, "kpi collector_performance \(asOf) | summarize rpc = sum(rpc), attempts = sum(attempts), n = count(), c = sum(collected) | derive rpc_rate = rpc / attempts, per = c / n, share = c / c, x = rpc_rate * 100, gap = rpc_rate - rpc_rate")
        XCTAssertEqual(u["rpc"], .count)
        XCTAssertEqual(u["attempts"], .count)
        XCTAssertEqual(u["n"], .count)
        XCTAssertEqual(u["c"], .money)
        XCTAssertEqual(u["rpc_rate"], .rate)  // count / count
        XCTAssertEqual(u["per"], .some(nil))  // money / count: no unit claimed
        XCTAssertEqual(u["share"], .rate)  // money / money
        XCTAssertEqual(u["x"], .some(nil))  // × 100 changes the meaning
        XCTAssertEqual(u["gap"], .points)  // a difference of rates
        // Dimensions, renames, joins and sorts keep units; the local hour is a number, not a count.
        u = try units(b, "kpi contact_effectiveness \(asOf) by local_hour | select hour = local_hour, r = rpc_rate, conv = round(conversion_7d, 2) | sort r desc | take 3")
        XCTAssertEqual(u["hour"], .integer)
        XCTAssertEqual(u["r"], .rate)
        XCTAssertEqual(u["conv"], .rate)
        u = try units(b, "kpi dso \(asOf) | summarize d = avg(dso), m = max(ar_end)")
        XCTAssertEqual(u["d"], .days)
        XCTAssertEqual(u["m"], .money)
        // Stored tables carry no units beyond their types; counts made from them are counts.
        u = try units(b, "from payments | summarize n = count(), s = sum(amount) by method")
        XCTAssertEqual(u["n"], .count)
        XCTAssertEqual(u["s"], .some(nil))
        XCTAssertEqual(u["method"], .some(nil))
    }
}
