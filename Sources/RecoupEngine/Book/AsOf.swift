import Foundation
import RecoupStore

/// What is known at A (KPIS.md), written once: an account is known when placed_date ≤ A; its
/// payments, promises and contacts count when their date (a contact's local date in the account's
/// zone, a promise's created_date) lies in [placed_date, A]. Rows before placement count nowhere.
public enum AsOf {
    /// The account is in the book at A.
    @inlinable @inline(__always)
    public static func known(placed p: Int32, asOf a: Int32) -> Bool { p != Null.int32 && p <= a }

    /// An event dated `d` of an account placed on `p` counts at A.
    @inlinable @inline(__always)
    public static func counts(date d: Int32, placed p: Int32, asOf a: Int32) -> Bool {
        p != Null.int32 && p <= d && d <= a
    }

    /// An event dated `d` counts at A and falls in `from...to`.
    @inlinable @inline(__always)
    public static func counts(date d: Int32, placed p: Int32, asOf a: Int32, from: Int32, to: Int32) -> Bool {
        counts(date: d, placed: p, asOf: a) && d >= from && d <= to
    }
}

extension Book {
    /// KPIS.md: the latest of opened_date, placed_date, paid_date, promises'
    /// created_date and contacts' local dates. Dates come from the zone maps;
    /// only contacts near the latest instant are converted to local time.
    public func defaultAsOf() throws -> Int32 {
        func zoneMax(_ table: String, _ column: String) -> Int64? {
            snapshot.table(table).segments.compactMap { $0.columns.first { $0.column == column }?.max }.max()
        }
        var a =
            [
                zoneMax("accounts", "opened_date"), zoneMax("accounts", "placed_date"), zoneMax("payments", "paid_date"),
                zoneMax("promises", "created_date"),
            ].compactMap { $0 }.max().map { Int32($0) } ?? Int32.min
        // No contact can have a local date past the latest instant plus the largest offset of any zone in use:
        // when that bound does not pass the other tables' latest date, the contacts need not be read.
        let zoneNames = dictionary("accounts", "timezone")
        let maxOffset = zoneNames.compactMap { TimeZoneCache.shared.table($0)?.offsets.max() }.max() ?? 18 * 3600
        if let latest = zoneMax("contacts", "ts"), CivilDate.day(ofSeconds: latest + Int64(maxOffset)) > a {
            // UTC offsets are within ±18 h: only contacts in the last 2 days can hold the latest local date.
            let since = latest - 2 * 86400
            let clock = self.clock
            let perSegment = try TableScan(snapshot, "contacts").pruned("ts", atLeast: since).map(["ts", "account_id"]) {
                cols -> Int64 in
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

    /// Σ amount of each account's payments that count at `t` (placed_date ≤ paid_date ≤ t).
    public func collected(through t: Int32) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: accountCount)
        let placed = self.placed, dates = paidDate, amount = paymentAmount
        for (p, k) in paymentAccount.enumerated() where AsOf.counts(date: dates[p], placed: placed[Int(k)], asOf: t) {
            try Aggregate.add(&out[Int(k)], amount[p])
        }
        return out
    }

    /// outstanding(a, t) = max(principal − collected through t, 0), for every account.
    public func outstanding(at t: Int32) throws -> [Int64] {
        if let cached = outstandingCache[t] { return cached }
        let out = try Self.outstanding(principal: principal, collected: collected(through: t))
        outstandingCache[t] = out
        return out
    }

    /// max(principal − collected, 0) per account; overflow is an error.
    public static func outstanding(principal: [Int64], collected: [Int64]) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: principal.count)
        for a in 0..<principal.count {
            let (b, o) = principal[a].subtractingReportingOverflow(collected[a])
            if o { throw Aggregate.Overflow() }
            out[a] = max(b, 0)
        }
        return out
    }
}
