import Foundation
import Hummingbird
import HummingbirdTesting
import RecoupServer
import RecoupStore
import XCTest

/// A tiny store (seven accounts, one of each status and more), a hand-written score file, queues, a
/// report history folder and one token per scope.
final class ServerFixture: @unchecked Sendable {
    let dir: String
    var store: String { dir + "/store" }
    var reportsDir: String { dir + "/reports" }
    var tokens: [String: String] = [:]
    let server: APIServer

    static let accounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    A1,D1,card,2025-01-01,2025-01-31,2025-03-01,1000.00,CA,America/Los_Angeles,G1,640,open,
    A2,D1,card,2025-01-15,2025-02-14,2025-03-01,300.00,CA,America/Los_Angeles,,,disputed,2025-04-02
    A3,D2,invoice,2025-02-01,2025-03-03,2025-02-01,99.99,NY,America/New_York,G2,812,open,
    A4,D3,telco,2025-02-10,2025-03-10,2025-04-15,50.00,NY,America/New_York,G2,700,closed,2025-05-20
    A5,D4,card,2025-01-01,2025-01-31,2025-03-01,5000.00,TX,America/Chicago,G1,600,cease_contact,2025-05-01
    A6,D5,card,2025-01-01,2025-01-31,2025-03-01,7000.00,TX,America/Chicago,G1,580,bankrupt,2025-05-02
    A7,D6,telco,2025-01-01,2025-01-31,2025-03-01,800.00,CA,America/Los_Angeles,G2,700,open,

    """
    static let payments = """
    payment_id,account_id,paid_date,amount,method
    P1,A1,2025-03-10,100.50,card
    P3,A1,2025-04-01,250.00,ach
    P4,A3,2025-02-20,50.00,ach

    """
    static let contacts = """
    contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s
    C1,A1,2025-03-05T15:00:00Z,call,outbound,right_party,G1,120
    C2,A7,2025-03-06T18:30:00Z,call,outbound,no_answer,G2,

    """
    static let promises = """
    promise_id,account_id,created_date,due_date,amount
    R1,A1,2025-03-05,2025-03-15,200

    """

    /// (id, p_pay_30d, expected value in cents, outstanding in cents)
    static let scoreRows: [(String, Double, Int64, Int64)] = [
        ("A1", 0.5, 32475, 64950), ("A2", 0.2, 6000, 30000), ("A3", 0.9, 4500, 4999), ("A4", 0.1, 500, 5000),
        ("A5", 0.8, 400000, 500000), ("A6", 0.7, 490000, 700000), ("A7", 0.3, 24000, 80000),
    ]

    static let queues = """
    queues:
      - name: everyone
        description: every account with a score, even what the filter tries to add back
        filter: status in ("cease_contact", "bankrupt", "closed") or true
      - name: likely
        description: likely payers, most likely first
        filter: p_pay_30d >= 0.25
        order: p_pay_30d desc
      - name: big
        filter: expected_value >= 100
    """

    init(pollInterval: Double = 1, queryTimeLimit: Double = 10, queues: String = ServerFixture.queues, audit: AuditDurability = .written, scored: Bool = true) throws {
        dir = NSTemporaryDirectory() + "recoup-server-" + UUID().uuidString
        try Self.writeBook(dir + "/book", accounts: Self.accounts, payments: Self.payments, contacts: Self.contacts, promises: Self.promises)
        _ = try Importer.run(store: dir + "/store", paths: [dir + "/book"])
        if scored { try Self.writeScores(store: dir + "/store", number: 1, modelVersion: "p2p-test-1", rows: Self.scoreRows) }
        // Reports: a definition run twice, one never run.
        try FileManager.default.createDirectory(atPath: dir + "/reports", withIntermediateDirectories: true)
        try "title: Monthly collections\n".write(toFile: dir + "/reports/monthly.yaml", atomically: true, encoding: .utf8)
        try "title: Never run\n".write(toFile: dir + "/reports/never.yaml", atomically: true, encoding: .utf8)
        for d in ["2025-05-31", "2025-06-30"] {
            let run = dir + "/store/reports/monthly/" + d
            try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
            try "<html><body>monthly \(d)</body></html>".write(toFile: run + "/report.html", atomically: true, encoding: .utf8)
            try """
            {"name":"monthly","title":"Monthly collections","as_of":"\(d)","store_commit":1,"kpi_version":"1","generated_at":"\(d)T06:00:00Z","sections":[]}
            """.write(toFile: run + "/report.json", atomically: true, encoding: .utf8)
        }
        for (name, scopes) in [("admin", ["admin"]), ("dialer", ["scores:read"]), ("analyst", ["query:run"]), ("manager", ["reports:read"]), ("gone", ["admin"])] {
            tokens[name] = try TokenStore.create(store: dir + "/store", name: name, scopes: scopes).1
        }
        _ = try TokenStore.revoke(store: dir + "/store", nameOrID: "gone")
        var config = ServerConfiguration(store: dir + "/store", reportsDirectory: dir + "/reports")
        config.pollInterval = pollInterval
        config.queryTimeLimit = queryTimeLimit
        config.port = 0
        config.auditDurability = audit
        server = try APIServer(config: config, queues: try QueueFile.parse(queues))
    }

    deinit {
        server.audit.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    static func writeBook(_ book: String, accounts: String, payments: String, contacts: String, promises: String) throws {
        try FileManager.default.createDirectory(atPath: book, withIntermediateDirectories: true)
        for (name, text) in [("accounts", accounts), ("payments", payments), ("contacts", contacts), ("promises", promises)] {
            try text.write(toFile: book + "/\(name).csv", atomically: true, encoding: .utf8)
        }
    }

    /// A score file in RecoupModels' saved form (money in cents).
    static func writeScores(store: String, number: Int, modelVersion: String, rows: [(String, Double, Int64, Int64)]) throws {
        let scores = rows.map { r in
            "{\"account_id\":\"\(r.0)\",\"as_of\":\"2025-06-30\",\"model_version\":\"\(modelVersion)\",\"p_pay_30d\":\(r.1),"
                + "\"expected_value\":\(r.2),\"outstanding\":\(r.3),"
                + "\"best_slots\":[{\"weekday\":\"tue\",\"hour\":18,\"p_rpc\":0.33},{\"weekday\":\"wed\",\"hour\":10,\"p_rpc\":0.25}],"
                + "\"reasons\":[{\"feature\":\"days_since_last_payment\",\"effect\":-0.12},{\"feature\":\"rpc_30d\",\"effect\":0.2}]}"
        }
        let text = "{\"model_version\":\"\(modelVersion)\",\"as_of\":\"2025-06-30\",\"store_commit\":1,\"scores\":[\n"
            + scores.joined(separator: ",\n") + "]}\n"
        try FileManager.default.createDirectory(atPath: store + "/scores", withIntermediateDirectories: true)
        let path = store + "/scores/" + String(format: "%06d", number) + ".json"
        try text.write(toFile: path + ".tmp", atomically: false, encoding: .utf8)
        XCTAssertEqual(rename(path + ".tmp", path), 0)
    }

    func headers(_ token: String?) -> HTTPFields {
        guard let token else { return [:] }
        return [.authorization: "Bearer " + (tokens[token] ?? token)]
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }

    var object: [String: Any] { (json as? [String: Any]) ?? [:] }

    /// `error.code` of a JSON error body.
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
}

extension TestClientProtocol {
    func get(_ uri: String, _ headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }

    func post(_ uri: String, _ headers: HTTPFields = [:], body: String) async throws -> TestResponse {
        var h = headers
        h[.contentType] = "application/json"
        return try await execute(uri: uri, method: .post, headers: h, body: ByteBuffer(string: body))
    }
}
