import Foundation
import XCTest

/// A small checker of DATA.md written independently of the generator (and of the store's
/// parsers): it reads a generated folder, checks every row, and keeps what the structure tests need.
struct BookChecker {
    struct Account {
        let id: String
        let debtor: String
        let portfolio: String
        let opened: Int
        let due: Int
        let placed: Int
        let principal: Int64
        let region: String
        let zone: TimeZone
        let agent: String
        let score: Int?
        let status: String
        let statusDate: Int?
    }

    struct Contact {
        let id: String
        let account: String
        let utc: Int64
        /// Local wall time, seconds since the epoch in the account's zone.
        let local: Int64
        let rawTs: String
        let channel: String
        let direction: String
        let outcome: String
        let agent: String
        let duration: Int?

        var localDay: Int { Int((local - (local % 86400 + 86400) % 86400) / 86400) }
        var localHour: Double { Double((local % 86400 + 86400) % 86400) / 3600 }
    }

    struct Payment {
        let id: String
        let account: String
        let day: Int
        let cents: Int64
        let method: String
    }

    struct Promise {
        let id: String
        let account: String
        let created: Int
        let due: Int
        let cents: Int64
    }

    var accounts: [String: Account] = [:]
    var accountOrder: [String] = []
    var contacts: [Contact] = []
    var payments: [Payment] = []
    var promises: [Promise] = []
    var problems: [String] = []

    static let rpc: Set<String> = ["right_party", "promise", "refused", "dispute", "replied"]

    init(folder: URL, end: Int) throws {
        try readAccounts(folder.appendingPathComponent("accounts.csv"), end: end)
        try readContacts(folder.appendingPathComponent("contacts.csv"), end: end)
        try readPayments(folder.appendingPathComponent("payments.csv"), end: end)
        try readPromises(folder.appendingPathComponent("promises.csv"), end: end)
    }

    mutating func problem(_ file: String, _ line: Int, _ what: String) {
        if problems.count < 50 { problems.append("\(file):\(line): \(what)") }
    }

    // MARK: - Value parsers (independent of RecoupStore)

    nonisolated(unsafe) static var dateCache: [String: Int?] = [:]
    static let utcCalendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// Days since 1970-01-01 for a strict `YYYY-MM-DD` real date.
    static func date(_ s: Substring) -> Int? {
        let key = String(s)
        if let cached = dateCache[key] { return cached }
        var result: Int?
        let b = Array(s.utf8)
        if b.count == 10, b[4] == 0x2D, b[7] == 0x2D,
           let y = Int(String(s.prefix(4))), let m = Int(String(s.dropFirst(5).prefix(2))), let d = Int(String(s.suffix(2))),
           b.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || ($0.element >= 0x30 && $0.element <= 0x39) }) {
            let comps = DateComponents(calendar: utcCalendar, timeZone: utcCalendar.timeZone, year: y, month: m, day: d)
            if comps.isValidDate(in: utcCalendar), let date = utcCalendar.date(from: comps) {
                result = Int((date.timeIntervalSince1970 / 86400).rounded(.down))
            }
        }
        dateCache[key] = result
        return result
    }

    /// `YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)` → (UTC seconds, offset seconds); nil when malformed.
    static func timestamp(_ s: Substring) -> (Int64, Int)? {
        guard s.count >= 17 else { return nil }
        guard let day = date(s.prefix(10)) else { return nil }
        let rest = Array(s.dropFirst(10).utf8)
        guard rest[0] == 0x54 else { return nil }  // T
        func num(_ i: Int) -> Int? {
            guard i + 1 < rest.count, (0x30...0x39).contains(rest[i]), (0x30...0x39).contains(rest[i + 1]) else { return nil }
            return Int(rest[i] - 0x30) * 10 + Int(rest[i + 1] - 0x30)
        }
        guard let hh = num(1), rest[3] == 0x3A, let mm = num(4), hh < 24, mm < 60 else { return nil }
        var i = 6
        var ss = 0
        if i < rest.count && rest[i] == 0x3A {
            guard let v = num(i + 1), v < 60 else { return nil }
            ss = v
            i += 3
        }
        var offset = 0
        if i == rest.count - 1 && rest[i] == 0x5A {
            offset = 0
        } else if i == rest.count - 6, rest[i] == 0x2B || rest[i] == 0x2D, let oh = num(i + 1), rest[i + 3] == 0x3A, let om = num(i + 4) {
            offset = (oh * 3600 + om * 60) * (rest[i] == 0x2D ? -1 : 1)
        } else {
            return nil
        }
        let local = Int64(day) * 86400 + Int64(hh * 3600 + mm * 60 + ss)
        return (local - Int64(offset), offset)
    }

    /// Money as cents: optional `-`, digits, optional `.` and 1–2 digits.
    static func money(_ s: Substring) -> Int64? {
        var b = Array(s.utf8)
        var negative = false
        if b.first == 0x2D { negative = true; b.removeFirst() }
        guard !b.isEmpty else { return nil }
        var whole: Int64 = 0, frac: Int64 = 0, fracDigits = 0, seenDot = false, wholeDigits = 0
        for c in b {
            if c == 0x2E {
                guard !seenDot else { return nil }
                seenDot = true
            } else if (0x30...0x39).contains(c) {
                if seenDot { frac = frac * 10 + Int64(c - 0x30); fracDigits += 1 } else { whole = whole * 10 + Int64(c - 0x30); wholeDigits += 1 }
            } else {
                return nil
            }
        }
        guard wholeDigits > 0, !seenDot || (1...2).contains(fracDigits) else { return nil }
        let cents = whole * 100 + (fracDigits == 1 ? frac * 10 : frac)
        return negative ? -cents : cents
    }

    static func isID(_ s: Substring, prefix: Character, width: inout Int?) -> Bool {
        guard s.utf8.count <= 64, s.first == prefix, s.count > 1 else { return false }
        guard s.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        if let w = width { return w == s.count }
        width = s.count
        return true
    }

    static func lines(_ url: URL) throws -> [Substring] {
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("\n"), "\(url.lastPathComponent) ends with a newline")
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0 }
    }

    // MARK: - Files

    mutating func readAccounts(_ url: URL, end: Int) throws {
        let lines = try Self.lines(url)
        let file = "accounts.csv"
        XCTAssertEqual(lines.first, "account_id,debtor_id,portfolio,opened_date,due_date,placed_date,principal,region,timezone,agent_id,credit_score,status,status_date")
        var idWidth: Int?, debtorWidth: Int?, agentWidth: Int?
        var zones: [String: TimeZone] = [:]
        for (n, line) in lines.enumerated().dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 13 else { problem(file, n + 1, "field count \(f.count)"); continue }
            if !Self.isID(f[0], prefix: "A", width: &idWidth) { problem(file, n + 1, "account id \(f[0])") }
            if !Self.isID(f[1], prefix: "D", width: &debtorWidth) { problem(file, n + 1, "debtor id \(f[1])") }
            if f[2].isEmpty || !f[2].allSatisfy({ $0.isLowercase }) { problem(file, n + 1, "portfolio \(f[2])") }
            guard let opened = Self.date(f[3]), let due = Self.date(f[4]), let placed = Self.date(f[5]) else {
                problem(file, n + 1, "bad date"); continue
            }
            if due < opened { problem(file, n + 1, "due before opened") }
            if placed < opened { problem(file, n + 1, "placed before opened") }
            if placed > end || opened > end { problem(file, n + 1, "placed after end") }
            guard let principal = Self.money(f[6]), principal > 0 else { problem(file, n + 1, "principal \(f[6])"); continue }
            if f[7].count != 2 || !f[7].allSatisfy({ $0.isUppercase }) { problem(file, n + 1, "region \(f[7])") }
            let zoneName = String(f[8])
            if zones[zoneName] == nil { zones[zoneName] = TimeZone(identifier: zoneName) }
            guard let zone = zones[zoneName] else { problem(file, n + 1, "unknown zone \(zoneName)"); continue }
            if !f[9].isEmpty && !Self.isID(f[9], prefix: "G", width: &agentWidth) { problem(file, n + 1, "agent \(f[9])") }
            var score: Int?
            if !f[10].isEmpty {
                score = Int(f[10])
                if score == nil || !(300...850).contains(score!) { problem(file, n + 1, "credit score \(f[10])") }
            }
            let status = String(f[11])
            if !["open", "disputed", "cease_contact", "bankrupt", "closed"].contains(status) { problem(file, n + 1, "status \(status)") }
            var statusDate: Int?
            if !f[12].isEmpty {
                statusDate = Self.date(f[12])
                if statusDate == nil { problem(file, n + 1, "status date \(f[12])") }
                if let s = statusDate, s < placed || s > end { problem(file, n + 1, "status date outside [placed, end]") }
            } else if status != "open" {
                problem(file, n + 1, "\(status) without status_date")
            }
            let id = String(f[0])
            if accounts[id] != nil { problem(file, n + 1, "duplicate \(id)") }
            accounts[id] = Account(id: id, debtor: String(f[1]), portfolio: String(f[2]), opened: opened, due: due, placed: placed,
                                   principal: principal, region: String(f[7]), zone: zone, agent: String(f[9]), score: score,
                                   status: status, statusDate: statusDate)
            accountOrder.append(id)
        }
    }

    mutating func readContacts(_ url: URL, end: Int) throws {
        let lines = try Self.lines(url)
        let file = "contacts.csv"
        XCTAssertEqual(lines.first, "contact_id,account_id,ts,channel,direction,outcome,agent_id,duration_s")
        var idWidth: Int?, accountWidth: Int?, agentWidth: Int?
        var seen = Set<Substring>()
        let outcomesByChannel: [String: Set<String>] = [
            "call": ["no_answer", "busy", "voicemail", "wrong_party", "right_party", "promise", "refused", "dispute"],
            "sms": ["delivered", "bounced", "opened", "replied"],
            "email": ["delivered", "bounced", "opened", "replied"],
            "letter": ["delivered", "bounced"],
        ]
        for (n, line) in lines.enumerated().dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 8 else { problem(file, n + 1, "field count \(f.count)"); continue }
            if !Self.isID(f[0], prefix: "C", width: &idWidth) { problem(file, n + 1, "contact id \(f[0])") }
            if !seen.insert(f[0]).inserted { problem(file, n + 1, "duplicate \(f[0])") }
            _ = Self.isID(f[1], prefix: "A", width: &accountWidth)
            guard let account = accounts[String(f[1])] else { problem(file, n + 1, "unknown account \(f[1])"); continue }
            guard let (utc, offset) = Self.timestamp(f[2]) else { problem(file, n + 1, "timestamp \(f[2])"); continue }
            let zoneOffset = account.zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc)))
            if f[2].last != "Z" && offset != zoneOffset { problem(file, n + 1, "offset \(offset) is not the zone's \(zoneOffset)") }
            let local = utc + Int64(zoneOffset)
            if utc >= Int64(end + 1) * 86400 || local >= Int64(end + 1) * 86400 { problem(file, n + 1, "after end: \(f[2])") }
            let channel = String(f[3]), direction = String(f[4]), outcome = String(f[5])
            guard let allowed = outcomesByChannel[channel] else { problem(file, n + 1, "channel \(channel)"); continue }
            if direction != "outbound" && direction != "inbound" { problem(file, n + 1, "direction \(direction)") }
            if !allowed.contains(outcome) { problem(file, n + 1, "outcome \(outcome) on \(channel)") }
            if !f[6].isEmpty && !Self.isID(f[6], prefix: "G", width: &agentWidth) { problem(file, n + 1, "agent \(f[6])") }
            var duration: Int?
            if !f[7].isEmpty {
                duration = Int(f[7])
                if duration == nil || duration! < 0 { problem(file, n + 1, "duration \(f[7])") }
                if channel != "call" { problem(file, n + 1, "duration on \(channel)") }
            }
            if channel == "call" && f[6].isEmpty { problem(file, n + 1, "call without agent") }
            contacts.append(Contact(id: String(f[0]), account: account.id, utc: utc, local: local, rawTs: String(f[2]), channel: channel,
                                    direction: direction, outcome: outcome, agent: String(f[6]), duration: duration))
        }
    }

    mutating func readPayments(_ url: URL, end: Int) throws {
        let lines = try Self.lines(url)
        let file = "payments.csv"
        XCTAssertEqual(lines.first, "payment_id,account_id,paid_date,amount,method")
        var idWidth: Int?
        var seen = Set<Substring>()
        for (n, line) in lines.enumerated().dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 5 else { problem(file, n + 1, "field count \(f.count)"); continue }
            if !Self.isID(f[0], prefix: "P", width: &idWidth) { problem(file, n + 1, "payment id \(f[0])") }
            if !seen.insert(f[0]).inserted { problem(file, n + 1, "duplicate \(f[0])") }
            guard let account = accounts[String(f[1])] else { problem(file, n + 1, "unknown account \(f[1])"); continue }
            guard let day = Self.date(f[2]) else { problem(file, n + 1, "date \(f[2])"); continue }
            if day > end { problem(file, n + 1, "after end") }
            if day < account.opened { problem(file, n + 1, "paid before the account was opened") }
            guard let cents = Self.money(f[3]), cents != 0 else { problem(file, n + 1, "amount \(f[3])"); continue }
            if !["card", "ach", "check", "cash", "other"].contains(String(f[4])) { problem(file, n + 1, "method \(f[4])") }
            payments.append(Payment(id: String(f[0]), account: account.id, day: day, cents: cents, method: String(f[4])))
        }
    }

    mutating func readPromises(_ url: URL, end: Int) throws {
        let lines = try Self.lines(url)
        let file = "promises.csv"
        XCTAssertEqual(lines.first, "promise_id,account_id,created_date,due_date,amount")
        var idWidth: Int?
        var seen = Set<Substring>()
        for (n, line) in lines.enumerated().dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 5 else { problem(file, n + 1, "field count \(f.count)"); continue }
            if !Self.isID(f[0], prefix: "R", width: &idWidth) { problem(file, n + 1, "promise id \(f[0])") }
            if !seen.insert(f[0]).inserted { problem(file, n + 1, "duplicate \(f[0])") }
            guard let account = accounts[String(f[1])] else { problem(file, n + 1, "unknown account \(f[1])"); continue }
            guard let created = Self.date(f[2]), let due = Self.date(f[3]) else { problem(file, n + 1, "dates"); continue }
            if due < created { problem(file, n + 1, "due before created") }
            if created > end || due > end { problem(file, n + 1, "after end") }
            if created < account.placed { problem(file, n + 1, "promise before placement") }
            guard let cents = Self.money(f[4]), cents > 0 else { problem(file, n + 1, "amount \(f[4])"); continue }
            if cents > account.principal { problem(file, n + 1, "promise above principal") }
            promises.append(Promise(id: String(f[0]), account: account.id, created: created, due: due, cents: cents))
        }
    }
}
