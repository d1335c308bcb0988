import Foundation
import RecoupKPI
@testable import RecoupQuery
import RecoupStore

/// A small book imported into a temporary store, and a helper to run queries on it.
final class QueryBook {
    let dir: String
    let snapshot: Snapshot

    static let accounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    A1,D1,card,2025-01-01,2025-01-31,2025-03-01,1000.00,CA,America/Los_Angeles,G1,640,open,
    A2,D1,card,2025-01-15,2025-02-14,2025-03-01,300.00,CA,America/Los_Angeles,,,disputed,2025-04-02
    A3,D2,invoice,2025-02-01,2025-03-03,2025-02-01,99.99,NY,America/New_York,G2,812,open,
    A4,D3,telco,2025-02-10,2025-03-10,2025-04-15,50.00,NY,America/New_York,G2,700,closed,2025-05-20

    """
    static let payments = """
    payment_id,account_id,paid_date,amount,method
    P1,A1,2025-03-10,100.50,card
    P2,A1,2025-03-12,-100.50,card
    P3,A1,2025-04-01,250.00,ach
    P4,A3,2025-02-20,99.99,ach
    P5,A4,2025-05-19,50.00,cash
    P6,A2,2025-06-01,0.01,check

    """
    static let contacts = """
    contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s
    C1,A1,2025-03-05T15:00:00Z,call,outbound,right_party,G1,120
    C2,A1,2025-03-06T02:30:00Z,call,outbound,no_answer,G1,
    C3,A3,2025-03-07T14:05:00Z,sms,outbound,delivered,,
    C4,A2,2025-06-01T20:00:00Z,call,inbound,promise,G1,300

    """
    static let promises = """
    promise_id,account_id,created_date,due_date,amount
    R1,A1,2025-03-05,2025-03-15,200
    R2,A2,2025-06-01,2025-06-10,50

    """

    init() throws {
        dir = NSTemporaryDirectory() + "recoup-query-" + UUID().uuidString
        let book = dir + "/book"
        try FileManager.default.createDirectory(atPath: book, withIntermediateDirectories: true)
        for (name, text) in [("accounts", Self.accounts), ("payments", Self.payments), ("contacts", Self.contacts), ("promises", Self.promises)] {
            try text.write(toFile: book + "/\(name).csv", atomically: true, encoding: .utf8)
        }
        _ = try Importer.run(store: dir + "/store", paths: [book])
        snapshot = try Store.open(dir + "/store")
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func run(_ text: String, _ params: [String: String] = [:]) throws -> QueryResult {
        try QueryEngine.run(text, snapshot: snapshot, options: QueryOptions(parameters: params))
    }

    /// Rows as printed (csv cells), for compact assertions.
    func rows(_ text: String, _ params: [String: String] = [:]) throws -> [[String]] {
        try run(text, params).rows.map { $0.map(\.description) }
    }
}
