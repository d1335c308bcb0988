import Foundation
import RecoupEngine
import RecoupStore

/// One fused, segment-parallel pass over the contacts: each segment is
/// decoded, converted to local time, filtered to the period and accumulated
/// into small per-group counters, so no contact-sized array is ever built.
/// For KPIs whose groups are few (dimension products up to ~1M).
struct ContactPass {
    enum Source {
        /// A code per account (account dimensions, or a grouping of accounts).
        case account([Int32], cardinality: Int)
        case channel, localHour, localWeekday

        var cardinality: Int {
            switch self {
            case .account(_, let c): c
            case .channel: Schema.channels.count
            case .localHour: 24
            case .localWeekday: 7
            }
        }
    }

    /// What the accumulator sees of one contact.
    struct Row {
        var account: Int
        var localDate: Int32
        var channel: UInt8
        var direction: UInt8
        var outcome: UInt8
    }

    let sources: [Source]
    let strides: [Int]
    let space: Int

    init?(_ sources: [Source]) {
        var strides: [Int] = []
        var space = 1
        for s in sources {
            strides.append(space)
            space *= s.cardinality
            if space > 1 << 20 { return nil }
        }
        self.sources = sources
        self.strides = strides
        self.space = space
    }

    /// Per group (composite code), `metrics` counters summed over the contacts of
    /// accounts known at A whose local date is in P and not before placement.
    /// `accumulate` returns nothing and adds into `counters[group * metrics + m]`;
    /// a composite code of -1 from an account source (code < 0) leaves the row out.
    func run(_ book: Book, asOf a: Int32, period: Period, metrics: Int,
             accumulate: @escaping (Row, Int, inout [Int64]) -> Void) throws -> [Int64] {
        let placed = book.placed
        let clock = AccountClock(zoneOf: book.timezone, zoneNames: book.snapshot.dictionary(table: "accounts", column: "timezone"))
        try book.check()
        let sources = self.sources, strides = self.strides, space = self.space
        let parts = try TableScan(book.snapshot, "contacts").map(["account_id", "ts", "channel", "direction", "outcome"]) { cols -> [Int64] in
            let keys = cols[0].int32Values, ts = cols[1].int64Values
            let channel = cols[2].uint8Values, direction = cols[3].uint8Values, outcome = cols[4].uint8Values
            var counters = [Int64](repeating: 0, count: space * metrics)
            var clock = clock
            for r in 0..<keys.count {
                let k = Int(keys[r])
                let p = placed[k]
                guard p <= a else { continue }
                let local = clock.local(ts[r], account: k)
                let day = CivilDate.day(ofSeconds: local)
                guard day >= p, day >= period.from, day <= period.to else { continue }
                var g = 0
                var skip = false
                for (i, s) in sources.enumerated() {
                    let code: Int
                    switch s {
                    case .account(let codes, _): code = Int(codes[k]); if code < 0 { skip = true }
                    case .channel: code = Int(channel[r])
                    case .localHour: code = Int((local - Int64(day) * 86400) / 3600)
                    case .localWeekday: code = CivilDate.weekday(day)
                    }
                    g += code * strides[i]
                }
                if skip { continue }
                accumulate(Row(account: k, localDate: day, channel: channel[r], direction: direction[r], outcome: outcome[r]), g, &counters)
            }
            return counters
        }
        var total = [Int64](repeating: 0, count: space * metrics)
        for part in parts { for i in 0..<total.count { total[i] += part[i] } }
        return total
    }

    /// The per-source codes of composite code `g`.
    func codes(_ g: Int) -> [Int32] {
        sources.indices.map { i in Int32((g / strides[i]) % sources[i].cardinality) }
    }
}
