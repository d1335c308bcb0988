import Foundation
import RecoupEngine
import RecoupStore

/// Per-group counters over the contacts that count at A in a period, on the book's one fused pass
/// (`Book.knownContacts`): no contact-sized array is built. For KPIs whose groups are few
/// (dimension products up to ~1M).
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
        let sources = self.sources, strides = self.strides, space = self.space
        let parts = try book.knownContacts(asOf: a, from: period.from, to: period.to, start: {
            [Int64](repeating: 0, count: space * metrics)
        }) { counters, c in
            var g = 0
            for (i, s) in sources.enumerated() {
                let code: Int
                switch s {
                case .account(let codes, _):
                    code = Int(codes[c.account])
                    if code < 0 { return }
                case .channel: code = Int(c.channel)
                case .localHour: code = LocalTime.hour(c.local)
                case .localWeekday: code = CivilDate.weekday(c.localDate)
                }
                g += code * strides[i]
            }
            accumulate(Row(account: c.account, localDate: c.localDate, channel: c.channel, direction: c.direction,
                           outcome: c.outcome), g, &counters)
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
