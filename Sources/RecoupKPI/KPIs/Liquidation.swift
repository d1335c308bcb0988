import RecoupEngine
import RecoupStore

/// liquidation (as of A): per placement cohort c and months on book k, for
/// every k from 0 while month c+k has ended by A, the cumulative collections
/// (payments dated on or after placement) over the cohort's placed principal.
enum Liquidation {
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let dims = try Dimensions(book, dimensions(p), kpi: "liquidation", contactDimensions: false)
        let placed = book.placed
        let placedMonth = placed.map { CivilDate.monthIndex($0) }
        // The last month that has ended on or before A.
        let aMonth = CivilDate.monthIndex(a)
        let lastComplete = Cohort.monthEnd(aMonth) <= a ? aMonth : aMonth - 1
        let g = Grouping(dims.keys(accounts: nil), rows: book.accountCount) {
            AsOf.known(placed: placed[$0], asOf: a) && placedMonth[$0] <= lastComplete
        }
        let principal = try Aggregate.sum(book.principal, groups: g.ids, count: g.count)
        // Months on book per group: 0 ... lastComplete − cohort month.
        var span = [Int](repeating: 0, count: g.count)
        for acct in 0..<book.accountCount where g.ids[acct] >= 0 {
            span[Int(g.ids[acct])] = lastComplete - placedMonth[acct] + 1
        }
        var offset = [Int](repeating: 0, count: g.count + 1)
        for i in 0..<g.count { offset[i + 1] = offset[i] + span[i] }
        var byMonth = [Int64](repeating: 0, count: offset[g.count])
        let paidDates = book.paidDate, amounts = book.paymentAmount
        for (r, k) in book.paymentAccount.enumerated() {
            let gid = g.ids[Int(k)]
            guard gid >= 0 else { continue }
            let d = paidDates[r]
            guard AsOf.counts(date: d, placed: placed[Int(k)], asOf: a) else { continue }
            let m = CivilDate.monthIndex(d) - placedMonth[Int(k)]
            guard m < span[Int(gid)] else { continue }
            try Aggregate.add(&byMonth[offset[Int(gid)] + m], amounts[r])
        }
        try book.check()
        var rows: [[KPIValue]] = []
        for gid in g.sortedGroups(rank: dims.ranks) {
            let labels = dims.labels(g.keys[gid])
            var cum: Int64 = 0
            for m in 0..<span[gid] {
                try Aggregate.add(&cum, byMonth[offset[gid] + m])
                rows.append(labels + [.int(Int64(m)), .money(principal[gid]), .money(cum), rate(cum, principal[gid])])
            }
        }
        return KPITable(
            columns: dims.names + ["months_on_book", "placed", "collected_cum", "liquidation_rate"], rows: rows)
    }
}

extension Liquidation: KPI {
    static let name = "liquidation"
    /// By cohort always, then the other dimensions asked for.
    static func dimensions(_ p: KPIParameters) -> [KPIDimension] { [.cohort] + p.by.filter { $0 != .cohort } }
    static func fields(_ p: KPIParameters) -> [KPIField] {
        [
            KPIField("months_on_book", .integer), KPIField("placed", .money), KPIField("collected_cum", .money),
            KPIField("liquidation_rate", .rate),
        ]
    }
}
