import Foundation
import RecoupEngine
import RecoupStore

/// The columns of one store snapshot that KPIs read, loaded once on first
/// use (only the columns needed, decoded in parallel), plus derived
/// per-contact local time.
final class Book {
    let snapshot: Snapshot
    init(_ snapshot: Snapshot) { self.snapshot = snapshot }

    var accountCount: Int { snapshot.rows("accounts") }

    // Accounts (row = account key).
    lazy var placed: [Int32] = load { try TableScan(snapshot, "accounts").int32("placed_date") }
    lazy var opened: [Int32] = load { try TableScan(snapshot, "accounts").int32("opened_date") }
    lazy var due: [Int32] = load { try TableScan(snapshot, "accounts").int32("due_date") }
    lazy var principal: [Int64] = load { try TableScan(snapshot, "accounts").int64("principal") }
    lazy var status: [UInt8] = load { try TableScan(snapshot, "accounts").uint8("status") }
    lazy var statusDate: [Int32] = load { try TableScan(snapshot, "accounts").int32("status_date") }
    lazy var timezone: [Int32] = load { try TableScan(snapshot, "accounts").int32("timezone") }
    lazy var accountIDs: StringColumn = load { try TableScan(snapshot, "accounts").text("account_id") }

    // Payments.
    lazy var paymentAccount: [Int32] = load { try TableScan(snapshot, "payments").int32("account_id") }
    lazy var paidDate: [Int32] = load { try TableScan(snapshot, "payments").int32("paid_date") }
    lazy var paymentAmount: [Int64] = load { try TableScan(snapshot, "payments").int64("amount") }

    // Promises.
    lazy var promiseAccount: [Int32] = load { try TableScan(snapshot, "promises").int32("account_id") }
    lazy var promiseCreated: [Int32] = load { try TableScan(snapshot, "promises").int32("created_date") }
    lazy var promiseDue: [Int32] = load { try TableScan(snapshot, "promises").int32("due_date") }
    lazy var promiseAmount: [Int64] = load { try TableScan(snapshot, "promises").int64("amount") }

    // Contacts.
    lazy var contactAccount: [Int32] = load { try TableScan(snapshot, "contacts").int32("account_id") }
    lazy var contactTS: [Int64] = load { try TableScan(snapshot, "contacts").int64("ts") }
    lazy var channel: [UInt8] = load { try TableScan(snapshot, "contacts").uint8("channel") }
    lazy var direction: [UInt8] = load { try TableScan(snapshot, "contacts").uint8("direction") }
    lazy var outcome: [UInt8] = load { try TableScan(snapshot, "contacts").uint8("outcome") }
    /// Contact ids, decoded one segment at a time and only where asked for (a few rows of output).
    lazy var contactIDs = SegmentedText(snapshot, table: "contacts", column: "contact_id")

    /// Per contact: local wall time in seconds since the epoch, in its account's (current) zone.
    lazy var local = LocalTime.convert(ts: contactTS, accounts: contactAccount,
                                       zoneOf: timezone, zones: snapshot.dictionary(table: "accounts", column: "timezone"))
    var localSeconds: [Int64] { local.seconds }
    var localDate: [Int32] { local.dates }

    /// Errors while loading are kept and rethrown by `check()`; lazy properties cannot throw.
    private(set) var failure: Error?
    private func load<T>(_ body: () throws -> T) -> T where T: RangeReplaceableCollection {
        do { return try body() } catch { failure = failure ?? error; return T() }
    }
    private func load(_ body: () throws -> StringColumn) -> StringColumn {
        do { return try body() } catch { failure = failure ?? error; return StringColumn() }
    }

    func check() throws { if let failure { throw failure } }

    static let outbound: UInt8 = 0
    static let inbound: UInt8 = 1
    static let call: UInt8 = 0
    /// Outcome codes that make a right-party contact (DATA.md).
    static let rpcOutcomes: [Bool] = Schema.outcomes.map { Schema.rpcOutcomes.contains($0) }
    static let promiseOutcome = UInt8(Schema.outcomes.firstIndex(of: "promise")!)

    /// KPIS.md: the latest of opened_date, placed_date, paid_date, promises'
    /// created_date and contacts' local dates. Dates come from the zone maps;
    /// only contacts near the latest instant are converted to local time.
    func defaultAsOf() throws -> Int32 {
        func zoneMax(_ table: String, _ column: String) -> Int64? {
            snapshot.table(table).segments.compactMap { $0.columns.first { $0.column == column }?.max }.max()
        }
        var a = [zoneMax("accounts", "opened_date"), zoneMax("accounts", "placed_date"), zoneMax("payments", "paid_date"),
                 zoneMax("promises", "created_date")].compactMap { $0 }.max().map { Int32($0) } ?? Int32.min
        // No contact can have a local date past the latest instant plus the largest offset of any zone in use:
        // when that bound does not pass the other tables' latest date, the contacts need not be read.
        let zoneNames = snapshot.dictionary(table: "accounts", column: "timezone")
        let maxOffset = zoneNames.compactMap { TimeZoneCache.shared.table($0)?.offsets.max() }.max() ?? 18 * 3600
        if let latest = zoneMax("contacts", "ts"), CivilDate.day(ofSeconds: latest + Int64(maxOffset)) > a {
            // UTC offsets are within ±18 h: only contacts in the last 2 days can hold the latest local date.
            let since = latest - 2 * 86400
            let clock = AccountClock(zoneOf: timezone, zoneNames: zoneNames)
            let perSegment = try TableScan(snapshot, "contacts").pruned("ts", atLeast: since).map(["ts", "account_id"]) { cols -> Int64 in
                let ts = cols[0].int64Values, keys = cols[1].int32Values
                var m = Int64.min
                var clock = clock
                for r in ts.indices where ts[r] >= since { m = max(m, clock.local(ts[r], account: Int(keys[r]))) }
                return m
            }
            if let m = perSegment.max(), m != Int64.min { a = max(a, CivilDate.day(ofSeconds: m)) }
        }
        try check()
        guard a != Int32.min else { throw RecoupError(.noInput, "the store holds no data yet: nothing to compute a KPI on") }
        return a
    }

    /// Σ amount of each account's payments with placed_date ≤ paid_date ≤ t.
    func collected(through t: Int32) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: accountCount)
        let placed = self.placed, dates = paidDate, amount = paymentAmount
        for (p, k) in paymentAccount.enumerated() {
            let d = dates[p]
            if d <= t && d >= placed[Int(k)] { try Aggregate.add(&out[Int(k)], amount[p]) }
        }
        return out
    }

    /// outstanding(a, t) per account, computed once per date (dso and cei ask for AR(to) twice).
    private var outstandingCache: [Int32: [Int64]] = [:]

    /// outstanding(a, t) = max(principal − collected through t, 0), for every account.
    func outstanding(at t: Int32) throws -> [Int64] {
        if let cached = outstandingCache[t] { return cached }
        let out = try computeOutstanding(at: t)
        outstandingCache[t] = out
        return out
    }

    private func computeOutstanding(at t: Int32) throws -> [Int64] {
        let c = try collected(through: t)
        var out = [Int64](repeating: 0, count: accountCount)
        let principal = self.principal
        for a in 0..<accountCount {
            let (b, o) = principal[a].subtractingReportingOverflow(c[a])
            if o { throw Aggregate.Overflow() }
            out[a] = max(b, 0)
        }
        return out
    }
}

/// Local wall time from UTC instants, one zone table per account time zone.
enum LocalTime {
    /// Local wall seconds and local dates of instants `ts` of accounts `accounts`.
    static func convert(ts: [Int64], accounts: [Int32], zoneOf: [Int32], zones: [String]) -> (seconds: [Int64], dates: [Int32]) {
        let clock = AccountClock(zoneOf: zoneOf, zoneNames: zones)
        var out = [Int64](repeating: 0, count: ts.count)
        var dates = [Int32](repeating: 0, count: ts.count)
        let chunk = 1 << 16
        let n = (ts.count + chunk - 1) / chunk
        out.withUnsafeMutableBufferPointer { o in
            dates.withUnsafeMutableBufferPointer { d in
                ts.withUnsafeBufferPointer { t in
                    accounts.withUnsafeBufferPointer { acc in
                        DispatchQueue.concurrentPerform(iterations: n) { c in
                            var mine = clock
                            for r in (c * chunk)..<min(t.count, (c + 1) * chunk) {
                                let local = mine.local(t[r], account: Int(acc[r]))
                                o[r] = local
                                d[r] = CivilDate.day(ofSeconds: local)
                            }
                        }
                    }
                }
            }
        }
        return (out, dates)
    }
}

/// A text column read lazily by segment: `self[row]` decodes the row's segment
/// on first use and keeps it. Thread-safe.
final class SegmentedText: @unchecked Sendable {
    private let snapshot: Snapshot
    private let table: String
    private let column: String
    private let starts: [Int]
    private var cache: [Int: StringColumn] = [:]
    private let lock = NSLock()

    init(_ snapshot: Snapshot, table: String, column: String) {
        self.snapshot = snapshot
        self.table = table
        self.column = column
        starts = TableScan(snapshot, table).segmentStarts
    }

    private func segment(of row: Int) -> Int {
        var lo = 0, hi = starts.count - 1
        while hi - lo > 1 { let m = (lo + hi) / 2; if starts[m] <= row { lo = m } else { hi = m } }
        return lo
    }

    private func column(_ s: Int) -> StringColumn {
        lock.lock()
        defer { lock.unlock() }
        if let c = cache[s] { return c }
        let c = ((try? snapshot.read(table: table, segment: s, column: column))?.stringValues) ?? StringColumn()
        cache[s] = c
        return c
    }

    subscript(row: Int) -> String {
        let s = segment(of: row)
        return column(s)[row - starts[s]]
    }

    /// Byte-wise order of rows i and j.
    func lexicographicallyPrecedes(_ i: Int, _ j: Int) -> Bool {
        self[i].utf8.lexicographicallyPrecedes(self[j].utf8)
    }
}
