import Foundation
import XCTest
@testable import RecoupStore

/// Kills a real `recoup import` process at random moments and checks that the
/// store then opens and holds exactly the state before or after the import.
final class CrashTests: XCTestCase {
    static var binary: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/recoup").path
    }

    /// A book of `n` accounts with a few events each, written by plain loops.
    static func writeBook(_ s: Scratch, folder: String, accounts range: Range<Int>, prefix: String) {
        var a = "account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,status\n"
        var c = "contact_id,account_id,ts,channel,direction,outcome\n"
        var p = "payment_id,account_id,paid_date,amount,method\n"
        for i in range {
            a += "A\(i),D\(i / 3),p\(i % 5),2024-01-0\(1 + i % 9),2024-02-0\(1 + i % 9),2024-03-0\(1 + i % 9),\(100 + i).\(i % 100),CA,America/Los_Angeles,open\n"
            for k in 0..<4 { c += "\(prefix)C\(i)-\(k),A\(i),2024-04-\(10 + k)T1\(k):00:00Z,call,outbound,no_answer\n" }
            p += "\(prefix)P\(i),A\(i),2024-05-1\(i % 10),\(i % 50 + 1).25,card\n"
        }
        s.write(folder + "/accounts.csv", a)
        s.write(folder + "/contacts.csv", c)
        s.write(folder + "/payments.csv", p)
    }

    func testKilledImportLeavesTheStoreBeforeOrAfter() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw XCTSkip("no debug build of recoup at \(Self.binary); run `swift build` first")
        }
        let s = Scratch()
        Self.writeBook(s, folder: "base", accounts: 0..<2000, prefix: "b")
        Self.writeBook(s, folder: "big", accounts: 1000..<25000, prefix: "g")
        let baseStore = s.dir + "/base-store"
        _ = try Importer.run(store: baseStore, paths: [s.dir + "/base"])
        let before = try contentDigest(Store.open(baseStore))
        let refStore = s.dir + "/ref-store"
        try FileManager.default.copyItem(atPath: baseStore, toPath: refStore)
        let t0 = Date()
        XCTAssertEqual(try run([Self.binary, "import", "--store", refStore, s.dir + "/big"]), 0)
        let duration = Date().timeIntervalSince(t0)
        let after = try contentDigest(Store.open(refStore))
        XCTAssertNotEqual(before, after)

        var rng = SystemRandomNumberGenerator()
        var seen = Set<String>()
        for trial in 0..<12 {
            let store = s.dir + "/trial-\(trial)"
            try FileManager.default.copyItem(atPath: baseStore, toPath: store)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Self.binary)
            p.arguments = ["import", "--store", store, s.dir + "/big"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32(Double.random(in: 0...(duration * 1.1), using: &rng) * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let state = try contentDigest(Store.open(store))
            XCTAssertTrue(state == before || state == after, "trial \(trial): the store is neither before nor after")
            seen.insert(state == before ? "before" : "after")
            // The next writer cleans up and completes the import.
            XCTAssertEqual(try run([Self.binary, "import", "--store", store, s.dir + "/big"]), 0)
            XCTAssertEqual(try contentDigest(Store.open(store)), after)
            try FileManager.default.removeItem(atPath: store)
        }
        print("crash trials ended: \(seen.sorted())")
    }

    private func run(_ args: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: args[0])
        p.arguments = Array(args.dropFirst())
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
