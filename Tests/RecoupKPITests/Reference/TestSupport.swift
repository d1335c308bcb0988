import Foundation
import RecoupKPI
import RecoupStore
import XCTest

/// A temporary folder removed when released.
final class KPIScratch {
    let dir: String
    init() {
        dir = NSTemporaryDirectory() + "recoup-kpi-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: dir) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = dir + "/" + name
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// A hand-written book: its CSV text in one or more folders (imported in order, one
/// commit each), the store they make, and the reference's reading of the same files.
final class HandBook {
    static let contactsHeader = "contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s\n"
    static let paymentsHeader = "payment_id,account_id,paid_date,amount,method\n"
    static let promisesHeader = "promise_id,account_id,created_date,due_date,amount\n"

    let scratch = KPIScratch()
    private(set) var folders: [String] = []
    var store: String { scratch.dir + "/store" }

    /// Writes one folder of files (nil = no such file) and imports it.
    @discardableResult
    func add(accounts: String?, contacts: String? = nil, payments: String? = nil, promises: String? = nil) throws -> Int? {
        let folder = "book\(folders.count + 1)"
        if let accounts { scratch.write(folder + "/accounts.csv", Self.trimmed(accounts)) }
        if let contacts { scratch.write(folder + "/contacts.csv", Self.trimmed(contacts)) }
        if let payments { scratch.write(folder + "/payments.csv", Self.trimmed(payments)) }
        if let promises { scratch.write(folder + "/promises.csv", Self.trimmed(promises)) }
        let path = scratch.dir + "/" + folder
        folders.append(path)
        return try Importer.run(store: store, paths: [path]).commit
    }

    /// Literal blocks: leading spaces of each line and blank lines removed; ends with a newline.
    static func trimmed(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.drop(while: { $0 == " " }) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .joined(separator: "\n") + "\n"
    }

    /// The reference's book from the first `upTo` folders (all by default).
    func reference(upTo n: Int? = nil) throws -> ReferenceBook {
        try ReferenceBook.load(Array(folders.prefix(n ?? folders.count)))
    }

    func snapshot(commit: Int? = nil) throws -> Snapshot { try Store.open(store, commit: commit) }
}

// MARK: - Literal helpers

func tx(_ s: String) -> KPIValue { .text(s) }
func n(_ v: Int) -> KPIValue { .int(Int64(v)) }
/// Dollars as written in the CSV → cents.
func usd(_ dollars: Double) -> KPIValue { .money(Int64((dollars * 100).rounded())) }
func dec(_ x: Double) -> KPIValue { .decimal(x) }
let nul = KPIValue.null
func day(_ s: String) -> Int32 { RDay.parse(s)! }
func table(_ columns: [String], _ rows: [[KPIValue]]) -> KPITable { KPITable(columns: columns, rows: rows) }

// MARK: - Comparison

enum TableCompare {
    /// Money and ints exactly, decimals to 1e-9 relative (absolute 1e-9 near zero), text
    /// exactly, null only equals null. nil when equal, else the first difference.
    static func difference(_ got: KPITable, _ want: KPITable) -> String? {
        if got.columns != want.columns { return "columns differ: \(got.columns) vs \(want.columns)" }
        if got.rows.count != want.rows.count { return "row counts differ: \(got.rows.count) vs \(want.rows.count)" }
        for (r, (g, w)) in zip(got.rows, want.rows).enumerated() {
            if g.count != w.count { return "row \(r): \(g.count) cells vs \(w.count)" }
            for (c, (x, y)) in zip(g, w).enumerated() where !same(x, y) {
                return "row \(r) column \(got.columns[c]): \(raw(x)) vs \(raw(y))"
            }
        }
        return nil
    }

    static func same(_ x: KPIValue, _ y: KPIValue) -> Bool {
        switch (x, y) {
        case (.null, .null): return true
        case (.int(let a), .int(let b)), (.money(let a), .money(let b)): return a == b
        case (.text(let a), .text(let b)): return a == b
        case (.decimal(let a), .decimal(let b)):
            if a == b { return true }
            guard a.isFinite, b.isFinite else { return false }
            return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1)
        default: return false
        }
    }

    static func raw(_ v: KPIValue) -> String {
        switch v {
        case .null: return "null"
        case .int(let i): return "int \(i)"
        case .money(let c): return "money \(Money.format(c))"
        case .decimal(let d): return "decimal \(String(format: "%.17g", d))"
        case .text(let s): return "text \"\(s)\""
        default: return "\(v)"
        }
    }

    /// Every row with every cell's kind and full value.
    static func dump(_ t: KPITable) -> String {
        var s = "  " + t.columns.joined(separator: " | ") + "\n"
        for r in t.rows { s += "  " + r.map(raw).joined(separator: " | ") + "\n" }
        return s + "  (\(t.rows.count) rows)\n"
    }

    static func assertEqual(_ got: KPITable, _ want: KPITable, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        if let d = difference(got, want) {
            XCTFail("\(label): \(d)\n--- got:\n\(dump(got))--- expected:\n\(dump(want))", file: file, line: line)
        }
    }
}

// MARK: - Fixture cases

/// One KPI run on a hand book with its hand-worked answer (nil: the run must fail).
struct KPICase {
    let label: String
    let kpi: String
    let parameters: KPIParameters
    let expected: KPITable?

    init(_ label: String, _ kpi: String, _ parameters: KPIParameters, _ expected: KPITable?) {
        self.label = label
        self.kpi = kpi
        self.parameters = parameters
        self.expected = expected
    }
}

enum FixtureCheck {
    /// Each case through `ReferenceKPI.run` on the CSV files.
    static func reference(_ book: HandBook, _ cases: [KPICase], file: StaticString = #filePath, line: UInt = #line) throws {
        let rb = try book.reference()
        for c in cases {
            check(c, side: "reference", file: file, line: line) { try ReferenceKPI.run(c.kpi, book: rb, parameters: c.parameters) }
        }
    }

    /// Each case through `KPIRunner.run` on the imported store.
    static func engine(_ book: HandBook, _ cases: [KPICase], file: StaticString = #filePath, line: UInt = #line) throws {
        let snap = try book.snapshot()
        for c in cases {
            check(c, side: "engine", file: file, line: line) { try KPIRunner.run(c.kpi, snapshot: snap, parameters: c.parameters) }
        }
    }

    static func check(_ c: KPICase, side: String, file: StaticString, line: UInt, _ run: () throws -> KPITable) {
        let label = "[\(side)] \(c.kpi) — \(c.label)"
        do {
            let got = try run()
            if let want = c.expected {
                TableCompare.assertEqual(got, want, label, file: file, line: line)
            } else {
                XCTFail("\(label): expected an error, got\n\(TableCompare.dump(got))", file: file, line: line)
            }
        } catch {
            if c.expected != nil { XCTFail("\(label): threw \(error)", file: file, line: line) }
        }
    }
}
