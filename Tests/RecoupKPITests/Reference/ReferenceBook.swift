import Foundation

/// Calendar days for the reference, computed with Foundation's Gregorian calendar in
/// UTC (independent of RecoupStore's CivilDate). A day is days since 1970-01-01.
enum RDay {
    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// The day of a real calendar date, or nil (Feb 30 and the like).
    static func day(_ y: Int, _ m: Int, _ d: Int) -> Int32? {
        guard let date = utc.date(from: DateComponents(year: y, month: m, day: d)) else { return nil }
        let days = Int32((date.timeIntervalSince1970 / 86400).rounded(.down))
        let back = ymd(days)
        return back == (y, m, d) ? days : nil
    }

    static func ymd(_ day: Int32) -> (Int, Int, Int) {
        let c = utc.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(day) * 86400))
        return (c.year!, c.month!, c.day!)
    }

    /// `YYYY-MM-DD` → day; nil if malformed or impossible.
    static func parse(_ s: String) -> Int32? {
        let p = s.split(separator: "-", omittingEmptySubsequences: false)
        guard s.utf8.count == 10, s.allSatisfy({ $0 == "-" || isDigit($0) }), p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
              let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]) else { return nil }
        return day(y, m, d)
    }

    static func format(_ day: Int32) -> String {
        let (y, m, d) = ymd(day)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    /// A month as a running number: year × 12 + (month − 1).
    static func month(_ day: Int32) -> Int {
        let (y, m, _) = ymd(day)
        return y * 12 + m - 1
    }

    static func firstDay(ofMonth month: Int) -> Int32 { day(month / 12, month % 12 + 1, 1)! }

    static func lastDay(ofMonth month: Int) -> Int32 { firstDay(ofMonth: month + 1) - 1 }

    /// `YYYY-MM` of a month number.
    static func monthText(_ month: Int) -> String { String(format: "%04d-%02d", month / 12, month % 12 + 1) }
}

func isDigit(_ c: Character) -> Bool { c >= "0" && c <= "9" }

struct RAccount {
    var id: String
    var debtor: String
    var portfolio: String
    var opened: Int32
    var due: Int32
    var placed: Int32
    var principal: Int64
    var region: String
    var timezone: String
    /// "" when none.
    var agent: String
    var status: String
    /// The given status_date; nil when empty.
    var statusDate: Int32?
}

/// A contact with its local wall time in its account's zone.
struct RContact {
    var id: String
    var account: String
    /// Seconds since the epoch, UTC.
    var ts: Int64
    var channel: String
    var direction: String
    var outcome: String
    var agent: String
    var localDate: Int32
    var localHour: Int
    var localMinute: Int
    var localSecond: Int
    /// 0 = mon ... 6 = sun.
    var localWeekday: Int
    /// Seconds east of UTC at ts.
    var offset: Int

    var isOutbound: Bool { direction == "outbound" }
    var isRPC: Bool { ["right_party", "promise", "refused", "dispute", "replied"].contains(outcome) }
}

struct RPayment {
    var id: String
    var account: String
    var paid: Int32
    var amount: Int64
}

struct RPromise {
    var id: String
    var account: String
    var created: Int32
    var due: Int32
    var amount: Int64
}

struct ReferenceError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// The four files read straight from CSV, row by row, with no store involved.
final class ReferenceBook {
    var accounts: [RAccount] = []
    var contacts: [RContact] = []
    var payments: [RPayment] = []
    var promises: [RPromise] = []

    private(set) var accountIndex: [String: Int] = [:]
    private(set) var paymentsByAccount: [String: [RPayment]] = [:]
    private(set) var contactsByAccount: [String: [RContact]] = [:]

    func account(_ id: String) -> RAccount { accounts[accountIndex[id]!] }

    /// Loads each folder's accounts.csv, contacts.csv, payments.csv and promises.csv (a
    /// missing file is skipped), in order: a later accounts row replaces an earlier one
    /// with the same id; an event id seen again is skipped.
    static func load(_ folders: [String]) throws -> ReferenceBook {
        let book = ReferenceBook()
        var calendars: [String: Calendar] = [:]
        var seenEvents = Set<String>()
        let fm = FileManager.default
        for folder in folders {
            let ap = folder + "/accounts.csv"
            if fm.fileExists(atPath: ap) {
                for r in try ReferenceCSV.read(path: ap) {
                    let a = try parseAccount(r)
                    if let i = book.accountIndex[a.id] { book.accounts[i] = a } else {
                        book.accountIndex[a.id] = book.accounts.count
                        book.accounts.append(a)
                    }
                }
            }
            let cp = folder + "/contacts.csv"
            if fm.fileExists(atPath: cp) {
                for r in try ReferenceCSV.read(path: cp) {
                    let id = try field(r, "contact_id")
                    guard seenEvents.insert("C" + id).inserted else { continue }
                    let accountId = try field(r, "account_id")
                    guard let ai = book.accountIndex[accountId] else { throw ReferenceError("contact \(id): unknown account \(accountId)") }
                    let tzName = book.accounts[ai].timezone
                    if calendars[tzName] == nil {
                        guard let tz = TimeZone(identifier: tzName) else { throw ReferenceError("unknown zone \(tzName)") }
                        var cal = Calendar(identifier: .gregorian)
                        cal.timeZone = tz
                        calendars[tzName] = cal
                    }
                    guard let ts = parseTimestamp(try field(r, "ts")) else { throw ReferenceError("contact \(id): bad ts") }
                    let cal = calendars[tzName]!
                    let date = Date(timeIntervalSince1970: Double(ts))
                    let lc = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
                    // Foundation: weekday 1 = Sunday ... 7 = Saturday → 0 = mon ... 6 = sun.
                    let weekday = (lc.weekday! + 5) % 7
                    book.contacts.append(RContact(
                        id: id, account: accountId, ts: ts,
                        channel: try field(r, "channel"), direction: try field(r, "direction"), outcome: try field(r, "outcome"),
                        agent: r["agent_id"] ?? "",
                        localDate: RDay.day(lc.year!, lc.month!, lc.day!)!,
                        localHour: lc.hour!, localMinute: lc.minute!, localSecond: lc.second!, localWeekday: weekday,
                        offset: cal.timeZone.secondsFromGMT(for: date)))
                }
            }
            let pp = folder + "/payments.csv"
            if fm.fileExists(atPath: pp) {
                for r in try ReferenceCSV.read(path: pp) {
                    let id = try field(r, "payment_id")
                    guard seenEvents.insert("P" + id).inserted else { continue }
                    book.payments.append(RPayment(
                        id: id, account: try field(r, "account_id"),
                        paid: try date(r, "paid_date"), amount: try money(r, "amount")))
                }
            }
            let rp = folder + "/promises.csv"
            if fm.fileExists(atPath: rp) {
                for r in try ReferenceCSV.read(path: rp) {
                    let id = try field(r, "promise_id")
                    guard seenEvents.insert("R" + id).inserted else { continue }
                    book.promises.append(RPromise(
                        id: id, account: try field(r, "account_id"),
                        created: try date(r, "created_date"), due: try date(r, "due_date"), amount: try money(r, "amount")))
                }
            }
        }
        for p in book.payments {
            guard book.accountIndex[p.account] != nil else { throw ReferenceError("payment \(p.id): unknown account") }
            book.paymentsByAccount[p.account, default: []].append(p)
        }
        for p in book.promises where book.accountIndex[p.account] == nil {
            throw ReferenceError("promise \(p.id): unknown account")
        }
        for c in book.contacts { book.contactsByAccount[c.account, default: []].append(c) }
        return book
    }

    static func field(_ r: [String: String], _ name: String) throws -> String {
        guard let v = r[name] else { throw ReferenceError("missing column \(name)") }
        return v
    }

    static func date(_ r: [String: String], _ name: String) throws -> Int32 {
        let v = try field(r, name)
        guard let d = RDay.parse(v) else { throw ReferenceError("bad date \(name)=\(v)") }
        return d
    }

    static func money(_ r: [String: String], _ name: String) throws -> Int64 {
        let v = try field(r, name)
        guard let c = parseMoney(v) else { throw ReferenceError("bad money \(name)=\(v)") }
        return c
    }

    static func parseAccount(_ r: [String: String]) throws -> RAccount {
        let sd = r["status_date"] ?? ""
        return RAccount(
            id: try field(r, "account_id"), debtor: try field(r, "debtor_id"), portfolio: try field(r, "portfolio"),
            opened: try date(r, "opened_date"), due: try date(r, "due_date"), placed: try date(r, "placed_date"),
            principal: try money(r, "principal"), region: try field(r, "region"), timezone: try field(r, "timezone"),
            agent: r["agent_id"] ?? "", status: try field(r, "status"),
            statusDate: sd.isEmpty ? nil : try date(r, "status_date"))
    }

    /// `-12.5` → -1250 cents; at most 2 fraction digits.
    static func parseMoney(_ s: String) -> Int64? {
        var t = Substring(s)
        var negative = false
        if t.hasPrefix("-") { negative = true; t = t.dropFirst() }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty, parts[0].allSatisfy(isDigit), let whole = Int64(parts[0]) else { return nil }
        var cents = whole * 100
        if parts.count == 2 {
            let f = parts[1]
            guard (1...2).contains(f.count), f.allSatisfy(isDigit), let fv = Int64(f) else { return nil }
            cents += f.count == 1 ? fv * 10 : fv
        }
        return negative ? -cents : cents
    }

    /// `2025-03-04T14:05:00Z`, `2025-03-04T09:05:00-05:00`, `2025-03-04T14:05Z` → seconds UTC.
    static func parseTimestamp(_ s: String) -> Int64? {
        let u = Array(s.utf8)
        guard u.count >= 17, u[10] == UInt8(ascii: "T") else { return nil }
        guard let day = RDay.parse(String(decoding: u[0..<10], as: UTF8.self)) else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= u.count else { return nil }
            var v = 0
            for i in r {
                guard u[i] >= 48 && u[i] <= 57 else { return nil }
                v = v * 10 + Int(u[i] - 48)
            }
            return v
        }
        guard let h = num(11..<13), u[13] == UInt8(ascii: ":"), let mi = num(14..<16) else { return nil }
        var i = 16
        var sec = 0
        if i < u.count && u[i] == UInt8(ascii: ":") {
            guard let sv = num(17..<19) else { return nil }
            sec = sv
            i = 19
        }
        guard i < u.count else { return nil }
        var offset = 0
        if u[i] == UInt8(ascii: "Z") {
            guard i + 1 == u.count else { return nil }
        } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            guard i + 6 == u.count, u[i + 3] == UInt8(ascii: ":"), let oh = num((i + 1)..<(i + 3)), let om = num((i + 4)..<(i + 6)) else { return nil }
            offset = (oh * 3600 + om * 60) * (u[i] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        guard h < 24, mi < 60, sec < 60 else { return nil }
        return Int64(day) * 86400 + Int64(h * 3600 + mi * 60 + sec) - Int64(offset)
    }
}
