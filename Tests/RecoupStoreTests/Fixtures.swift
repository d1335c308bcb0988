import Foundation
import XCTest
@testable import RecoupStore

/// A temporary folder with CSV files written from literal text.
final class Scratch {
    let dir: String
    init() {
        dir = NSTemporaryDirectory() + "recoup-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: dir) }

    var store: String { dir + "/store" }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = dir + "/" + name
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

enum Book {
    static let accounts = """
    account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date
    A1,D1,card,2025-01-01,2025-01-31,2025-03-01,1200.50,CA,America/Los_Angeles,G1,640,open,
    A2,D1,card,2025-01-15,2025-02-14,2025-03-01,300,CA,America/Los_Angeles,,,disputed,2025-04-02
    A3,D2,invoice,2025-02-01,2025-03-03,2025-02-01,99.99,NY,America/New_York,G2,812,open,

    """
    static let contacts = """
    contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s
    C1,A1,2025-03-05T15:00:00Z,call,outbound,right_party,G1,120
    C2,A1,2025-03-06T09:30:00-08:00,call,outbound,no_answer,G1,
    C3,A3,2025-03-07T14:05Z,sms,outbound,delivered,,

    """
    static let payments = """
    payment_id,account_id,paid_date,amount,method
    P1,A1,2025-03-10,100.5,card
    P2,A1,2025-03-12,-100.50,card
    P3,A3,2025-02-20,99.99,ach

    """
    static let promises = """
    promise_id,account_id,created_date,due_date,amount
    R1,A1,2025-03-05,2025-03-15,200

    """

    static func writeAll(_ s: Scratch, folder: String = "book") -> String {
        s.write(folder + "/accounts.csv", accounts)
        s.write(folder + "/contacts.csv", contacts)
        s.write(folder + "/payments.csv", payments)
        s.write(folder + "/promises.csv", promises)
        return s.dir + "/" + folder
    }
}

/// A digest of everything a snapshot holds, decoded, to compare states.
func contentDigest(_ snap: Snapshot) throws -> String {
    var parts: [String] = []
    for schema in Schema.tables {
        parts.append("\(schema.name):\(snap.rows(schema.name))")
        for spec in schema.columns {
            for col in try snap.readAll(table: schema.name, column: spec.name) {
                parts.append("\(spec.name)=\(col)")
            }
            if spec.storage == .dictionary { parts.append("\(snap.dictionary(table: schema.name, column: spec.name))") }
        }
    }
    return String(XXH64.hash(Array(parts.joined(separator: "|").utf8)), radix: 16)
}

func ints(_ d: ColumnData) -> [Int64] {
    switch d {
    case .uint8(let v): v.map(Int64.init)
    case .int32(let v): v.map(Int64.init)
    case .int64(let v): v
    case .string: []
    }
}

func strings(_ d: ColumnData) -> [String] {
    if case .string(let s) = d { return s.strings }
    return []
}

func column(_ snap: Snapshot, _ table: String, _ name: String) throws -> ColumnData {
    let parts = try snap.readAll(table: table, column: name)
    guard var first = parts.first else { return .int64([]) }
    for p in parts.dropFirst() {
        switch (first, p) {
        case (.int64(let a), .int64(let b)): first = .int64(a + b)
        case (.int32(let a), .int32(let b)): first = .int32(a + b)
        case (.uint8(let a), .uint8(let b)): first = .uint8(a + b)
        case (.string(let a), .string(let b)): first = .string(StringColumn(a.strings + b.strings))
        default: XCTFail("mixed types")
        }
    }
    return first
}
