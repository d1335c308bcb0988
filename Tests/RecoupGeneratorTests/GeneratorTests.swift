import Foundation
import XCTest
@testable import RecoupGenerator
import RecoupStore

final class GeneratorTests: XCTestCase {
    static let end = CivilDate.days(year: 2025, month: 6, day: 30)

    func tempFolder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("recoup-gen-tests-\(getpid())")
            .appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        return url
    }

    override class func tearDown() {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recoup-gen-tests-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        super.tearDown()
    }

    func generate(_ accounts: Int, seed: UInt64, threads: Int? = nil, end: Int32 = GeneratorTests.end, name: String) throws -> (URL, GeneratorSummary) {
        let folder = tempFolder(name)
        let summary = try generateBook(GeneratorConfig(accounts: accounts, seed: seed, end: end, threads: threads), to: folder.path)
        return (folder, summary)
    }

    func bytes(_ folder: URL) throws -> [Data] {
        try ["accounts.csv", "contacts.csv", "payments.csv", "promises.csv"].map {
            try Data(contentsOf: folder.appendingPathComponent($0))
        }
    }

    // MARK: - Determinism

    func testSameSeedGivesIdenticalBytes() throws {
        let (a, sa) = try generate(3000, seed: 7, name: "same-a")
        let (b, sb) = try generate(3000, seed: 7, name: "same-b")
        XCTAssertEqual(try bytes(a), try bytes(b))
        XCTAssertEqual(sa.files, sb.files)
        XCTAssertEqual(sa.accounts, 3000)
    }

    func testThreadCountDoesNotChangeTheBytes() throws {
        // 5000 accounts span three blocks, so two workers really interleave.
        let (a, _) = try generate(5000, seed: 11, threads: 1, name: "threads-1")
        let (b, _) = try generate(5000, seed: 11, threads: 2, name: "threads-2")
        let (c, _) = try generate(5000, seed: 11, threads: 3, name: "threads-3")
        let ba = try bytes(a)
        XCTAssertEqual(ba, try bytes(b))
        XCTAssertEqual(ba, try bytes(c))
    }

    func testDifferentSeedDiffers() throws {
        let (a, _) = try generate(1000, seed: 1, name: "seed-1")
        let (b, _) = try generate(1000, seed: 2, name: "seed-2")
        let ba = try bytes(a), bb = try bytes(b)
        for i in 0..<4 { XCTAssertNotEqual(ba[i], bb[i]) }
    }

    func testAccountRowsDependOnlyOnSeedAndIndex() throws {
        // A smaller book with the same agent pool size (N/2000 + 5) and id widths shares its accounts' rows.
        let (a, _) = try generate(1000, seed: 5, name: "prefix-a")
        let (b, _) = try generate(1500, seed: 5, name: "prefix-b")
        let la = String(decoding: try Data(contentsOf: a.appendingPathComponent("accounts.csv")), as: UTF8.self).split(separator: "\n")
        let lb = String(decoding: try Data(contentsOf: b.appendingPathComponent("accounts.csv")), as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(Array(la), Array(lb.prefix(la.count)))
    }

    // MARK: - Errors

    func testBadConfigIsAUsageError() {
        XCTAssertThrowsError(try generateBook(GeneratorConfig(accounts: 0, seed: 1), to: tempFolder("zero").path)) { e in
            XCTAssertEqual((e as? RecoupError)?.kind, .usage)
        }
        let early = CivilDate.days(year: 1960, month: 1, day: 1)
        XCTAssertThrowsError(try generateBook(GeneratorConfig(accounts: 10, seed: 1, end: early), to: tempFolder("early").path)) { e in
            XCTAssertEqual((e as? RecoupError)?.kind, .usage)
        }
    }

    func testUnwritableFolderIsCannotCreate() throws {
        let blocker = tempFolder("blocker")
        try FileManager.default.createDirectory(at: blocker.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not a folder".utf8).write(to: blocker)
        XCTAssertThrowsError(try generateBook(GeneratorConfig(accounts: 10, seed: 1), to: blocker.appendingPathComponent("book").path)) { e in
            XCTAssertEqual((e as? RecoupError)?.kind, .cannotCreate)
        }
    }

    // MARK: - The contract

    func testEveryRowSatisfiesTheDataContract() throws {
        let (folder, summary) = try generate(2000, seed: 3, name: "contract")
        let book = try BookChecker(folder: folder, end: Int(Self.end))
        XCTAssertEqual(book.problems, [])
        XCTAssertEqual(book.accounts.count, 2000)
        XCTAssertEqual(book.contacts.count, summary.contacts)
        XCTAssertEqual(book.payments.count, summary.payments)
        XCTAssertEqual(book.promises.count, summary.promises)
        // Volumes per account roughly as intended.
        let n = Double(book.accounts.count)
        XCTAssertGreaterThan(Double(book.contacts.count) / n, 5)
        XCTAssertLessThan(Double(book.contacts.count) / n, 12)
        XCTAssertGreaterThan(Double(book.payments.count) / n, 1.2)
        XCTAssertGreaterThan(Double(book.promises.count) / n, 0.2)
        // Ids are fixed width and sequential per file.
        XCTAssertEqual(book.accountOrder.first, "A0000001")
        XCTAssertEqual(book.contacts.first?.id, "C00000001")
        XCTAssertEqual(book.contacts.last?.id, "C" + String(repeating: "0", count: 8 - String(book.contacts.count).count) + String(book.contacts.count))
    }

    func testAnotherEndDateMovesTheWholeBook() throws {
        let end = CivilDate.days(year: 2021, month: 3, day: 14)
        let (folder, _) = try generate(800, seed: 9, end: end, name: "other-end")
        let book = try BookChecker(folder: folder, end: Int(end))
        XCTAssertEqual(book.problems, [])
        let latest = book.accounts.values.map(\.placed).max()!
        XCTAssertGreaterThan(latest, Int(end) - 20)
    }

    // MARK: - Planted structure

    func testPlantedStructure() throws {
        let seed: UInt64 = 4
        let (folder, _) = try generate(6000, seed: seed, name: "structure")
        let book = try BookChecker(folder: folder, end: Int(Self.end))
        XCTAssertEqual(book.problems, [])
        let accounts = book.accounts
        let n = Double(accounts.count)

        // Portfolios, including the first-party invoice book.
        let portfolios = Set(accounts.values.map(\.portfolio))
        XCTAssertEqual(portfolios, ["card", "telco", "utility", "medical", "auto", "invoice"])
        let invoices = accounts.values.filter { $0.portfolio == "invoice" }
        XCTAssertTrue(invoices.allSatisfy { $0.placed == $0.opened && $0.due == $0.opened + 30 })
        XCTAssertTrue(accounts.values.filter { $0.portfolio != "invoice" }.allSatisfy { $0.placed > $0.due + 30 })
        // Placements spread over two years.
        let placedDays = accounts.values.map(\.placed)
        XCTAssertGreaterThan(placedDays.max()! - placedDays.min()!, 700)

        // Debtors, scores, agents.
        var perDebtor: [String: Int] = [:]
        for a in accounts.values { perDebtor[a.debtor, default: 0] += 1 }
        let shared = Double(accounts.values.filter { perDebtor[$0.debtor]! > 1 }.count) / n
        XCTAssertEqual(shared, 0.2, accuracy: 0.05)
        let missingScore = Double(accounts.values.filter { $0.score == nil }.count) / n
        XCTAssertEqual(missingScore, 0.1, accuracy: 0.04)
        let unassigned = Double(accounts.values.filter { $0.agent.isEmpty }.count) / n
        XCTAssertGreaterThan(unassigned, 0.05)
        XCTAssertLessThan(unassigned, 0.35)
        // Every status occurs; open dominates and mostly has no status_date.
        var statuses: [String: Int] = [:]
        for a in accounts.values { statuses[a.status, default: 0] += 1 }
        XCTAssertEqual(Set(statuses.keys), ["open", "disputed", "cease_contact", "bankrupt", "closed"])
        XCTAssertEqual(statuses.max { $0.value < $1.value }?.key, "open")
        let openWithDate = accounts.values.filter { $0.status == "open" && $0.statusDate != nil }.count
        XCTAssertLessThan(Double(openWithDate), 0.1 * Double(statuses["open"]!))

        // Payments: reversals, history before placement, overpayments, settlements below principal.
        var paid: [String: Int64] = [:]
        var reversals = 0, history = 0
        for p in book.payments {
            let a = accounts[p.account]!
            if p.cents < 0 { reversals += 1 }
            if p.day < a.placed { history += 1 } else { paid[p.account, default: 0] += p.cents }
        }
        XCTAssertGreaterThan(reversals, 0)
        XCTAssertLessThan(Double(reversals), 0.1 * Double(book.payments.count))
        XCTAssertGreaterThan(history, 0)
        let overpaid = paid.filter { $0.value > accounts[$0.key]!.principal }.count
        XCTAssertGreaterThan(overpaid, 0)
        XCTAssertLessThan(Double(overpaid), 0.03 * n)
        // Invoices: most paid within ten days of the due date; some never paid.
        let invoicePaidNearDue = invoices.filter { inv in
            book.payments.contains { $0.account == inv.id && $0.cents > 0 && abs($0.day - inv.due) <= 10 }
        }.count
        XCTAssertGreaterThan(Double(invoicePaidNearDue) / Double(invoices.count), 0.5)
        XCTAssertGreaterThan(invoices.filter { paid[$0.id, default: 0] == 0 && $0.due < Int(Self.end) - 120 }.count, 0)

        // Contacts: channels, directions, timestamp styles.
        XCTAssertEqual(Set(book.contacts.map(\.channel)), ["call", "sms", "email", "letter"])
        let inbound = book.contacts.filter { $0.direction == "inbound" }.count
        XCTAssertGreaterThan(inbound, 0)
        XCTAssertLessThan(Double(inbound), 0.2 * Double(book.contacts.count))
        let calls = book.contacts.filter { $0.channel == "call" }.count
        XCTAssertGreaterThan(Double(calls), 0.5 * Double(book.contacts.count))
        let withOffset = book.contacts.filter { $0.rawTs.last != "Z" }.count
        XCTAssertEqual(Double(withOffset) / Double(book.contacts.count), 0.2, accuracy: 0.05)
        XCTAssertTrue(book.contacts.contains { $0.rawTs.count == 17 })  // no seconds
        XCTAssertTrue(book.contacts.filter { $0.channel == "call" }.allSatisfy {
            ($0.duration != nil) == !["no_answer", "busy"].contains($0.outcome)
        })

        // Promises are made on promise contacts the same day and are kept more by willing debtors.
        var promiseContactDays = Set<String>()
        for c in book.contacts where c.outcome == "promise" { promiseContactDays.insert(c.account + "@" + String(c.localDay)) }
        XCTAssertTrue(book.promises.allSatisfy { promiseContactDays.contains($0.account + "@" + String($0.created)) })
        XCTAssertEqual(book.promises.count, book.contacts.filter { $0.outcome == "promise" }.count)
        var paymentsByAccount: [String: [BookChecker.Payment]] = [:]
        for p in book.payments { paymentsByAccount[p.account, default: []].append(p) }
        func keptRate(_ filter: (BookChecker.Account) -> Bool) -> Double {
            var judged = 0, kept = 0
            for pr in book.promises where pr.due + 3 <= Int(Self.end) && filter(accounts[pr.account]!) {
                judged += 1
                let sum = paymentsByAccount[pr.account, default: []].filter { $0.day >= pr.created && $0.day <= pr.due + 3 }.reduce(0) { $0 + $1.cents }
                if sum >= pr.cents { kept += 1 }
            }
            return Double(kept) / Double(max(judged, 1))
        }
        let keptHigh = keptRate { ($0.score ?? 0) >= 660 }
        let keptLow = keptRate { ($0.score ?? 999) < 540 }
        XCTAssertGreaterThan(keptHigh, keptLow + 0.1, "kept rate by credit score: \(keptHigh) vs \(keptLow)")
        XCTAssertGreaterThan(keptRate { _ in true }, 0.35)
        XCTAssertLessThan(keptRate { _ in true }, 0.8)

        // Nothing dated after the end (also checked row by row), and placements reach the end.
        XCTAssertGreaterThan(placedDays.max()!, Int(Self.end) - 10)
    }

    func testRightPartyContactsPeakAtTheDebtorsPreferredHours() throws {
        let seed: UInt64 = 8
        let (folder, _) = try generate(6000, seed: seed, name: "hours")
        let book = try BookChecker(folder: folder, end: Int(Self.end))
        XCTAssertEqual(book.problems, [])
        var near = (calls: 0, rpc: 0), far = (calls: 0, rpc: 0), goodDay = (calls: 0, rpc: 0), badDay = (calls: 0, rpc: 0)
        var profiles: [String: DebtorProfile] = [:]
        for c in book.contacts where c.channel == "call" && c.direction == "outbound" {
            let account = book.accounts[c.account]!
            if profiles[account.debtor] == nil {
                profiles[account.debtor] = DebtorProfile(seed: seed, index: Int(account.debtor.dropFirst())! - 1)
            }
            let d = profiles[account.debtor]!
            if d.phoneBad { continue }
            let isRPC = BookChecker.rpc.contains(c.outcome) ? 1 : 0
            let distance = abs(c.localHour - d.peakHour) / d.width
            if distance <= 0.75 {
                near.calls += 1; near.rpc += isRPC
            } else if distance >= 2 {
                far.calls += 1; far.rpc += isRPC
            }
            let weekday = ((c.localDay + 3) % 7 + 7) % 7  // Monday = 0
            if d.goodDays & (1 << UInt8(weekday)) != 0 { goodDay.calls += 1; goodDay.rpc += isRPC } else { badDay.calls += 1; badDay.rpc += isRPC }
        }
        let nearRate = Double(near.rpc) / Double(near.calls), farRate = Double(far.rpc) / Double(far.calls)
        XCTAssertGreaterThan(near.calls, 1000)
        XCTAssertGreaterThan(far.calls, 1000)
        XCTAssertGreaterThan(nearRate, 2.5 * farRate, "RPC near the preferred hour \(nearRate), far from it \(farRate)")
        let goodRate = Double(goodDay.rpc) / Double(goodDay.calls), badRate = Double(badDay.rpc) / Double(badDay.calls)
        XCTAssertGreaterThan(goodRate, 1.4 * badRate, "RPC on good days \(goodRate), other days \(badRate)")
    }

    func testCallingRulesAreMostlyKeptButSometimesBroken() throws {
        let (folder, _) = try generate(6000, seed: 12, name: "rules")
        let book = try BookChecker(folder: folder, end: Int(Self.end))
        XCTAssertEqual(book.problems, [])
        var byAccount: [String: [BookChecker.Contact]] = [:]
        for c in book.contacts { byAccount[c.account, default: []].append(c) }
        var hours = 0, seven = 0, afterConversation = 0, cease = 0, outboundCalls = 0
        for (id, list) in byAccount {
            let sorted = list.sorted { ($0.utc, $0.id) < ($1.utc, $1.id) }
            let calls = sorted.filter { $0.channel == "call" && $0.direction == "outbound" }
            let conversations = sorted.filter { $0.channel == "call" && BookChecker.rpc.contains($0.outcome) }
            for (i, call) in calls.enumerated() {
                outboundCalls += 1
                if call.localHour < 8 || call.localHour >= 21 { hours += 1 }
                let inWindow = calls[...i].filter { call.localDay - $0.localDay <= 6 }.count
                if inWindow >= 8 { seven += 1 }
                if conversations.contains(where: { $0.utc < call.utc && call.localDay - $0.localDay <= 6 && call.localDay >= $0.localDay }) {
                    afterConversation += 1
                }
            }
            let account = book.accounts[id]!
            if account.status == "cease_contact" || account.status == "bankrupt" {
                cease += sorted.filter { $0.direction == "outbound" && $0.localDay >= account.statusDate! }.count
            }
        }
        for (name, count) in [("calling_hours", hours), ("seven_in_seven", seven), ("after_conversation", afterConversation), ("cease_contact", cease)] {
            XCTAssertGreaterThan(count, 0, name)
            XCTAssertLessThan(Double(count), 0.01 * Double(outboundCalls), name)
        }
    }
}
