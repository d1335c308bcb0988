import Foundation
import RecoupStore

/// Local wall time from UTC instants, in each account's (current) zone (KPIS.md: contacts by local date).
public enum LocalTime {
    /// The clock of a snapshot's accounts: each account's zone code and the zone dictionary.
    public static func clock(zoneOf: [Int32], _ snapshot: Snapshot) -> AccountClock {
        AccountClock(zoneOf: zoneOf, zoneNames: snapshot.dictionary(table: "accounts", column: "timezone"))
    }

    /// Local wall seconds and local dates of instants `ts` of accounts `accounts`, on both cores.
    public static func convert(ts: [Int64], accounts: [Int32], clock: AccountClock) -> (seconds: [Int64], dates: [Int32]) {
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

    /// Seconds since local midnight of local wall time `local` (`local` in seconds since the epoch).
    @inlinable @inline(__always)
    public static func secondOfDay(_ local: Int64) -> Int { Int(((local % 86400) + 86400) % 86400) }

    /// The local hour 0…23 of local wall time `local`.
    @inlinable @inline(__always)
    public static func hour(_ local: Int64) -> Int { secondOfDay(local) / 3600 }

    /// `2025-01-04T21:56:36-06:00`: local wall time with its offset from UTC in seconds.
    public static func format(local: Int64, offset: Int) -> String {
        let day = CivilDate.day(ofSeconds: local)
        let s = Int(local - Int64(day) * 86400)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let sign = offset < 0 ? "-" : "+"
        let o = abs(offset) / 60
        return CivilDate.format(day) + "T" + two(s / 3600) + ":" + two(s / 60 % 60) + ":" + two(s % 60) + sign
            + two(o / 60) + ":" + two(o % 60)
    }
}
