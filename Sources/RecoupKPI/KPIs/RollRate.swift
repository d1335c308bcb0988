import RecoupEngine
import RecoupStore

/// roll_rate (month M, as of A ≥ end of M+1): accounts with outstanding > 0 at
/// the end of M, from their bucket then to their bucket (or `paid`) at the end of M+1.
enum RollRate {
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let dims = try Dimensions(book, p.by, kpi: "roll_rate", contactDimensions: false)
        let m: Int
        if let month = p.month {
            m = CivilDate.monthIndex(month)
            guard Cohort.monthEnd(m + 1) <= a else {
                throw RecoupError(
                    .usage,
                    "roll_rate for \(Cohort.label(monthIndex: m)) needs the following month to have ended by the as-of date \(CivilDate.format(a))",
                    details:
                        "choose --month \(Cohort.label(monthIndex: CivilDate.monthIndex(a) - (Cohort.monthEnd(CivilDate.monthIndex(a)) <= a ? 1 : 2))) or earlier, or a later --as-of"
                )
            }
        } else {
            // The latest month whose following month ended on or before A.
            let am = CivilDate.monthIndex(a)
            m = Cohort.monthEnd(am) <= a ? am - 1 : am - 2
        }
        let endM = Cohort.monthEnd(m), endNext = Cohort.monthEnd(m + 1)
        let outM = try book.outstanding(at: endM), outNext = try book.outstanding(at: endNext)
        let placed = book.placed, due = book.due
        let from = due.map { Int32(AgingBucket.of(dpd: Int(endM) - Int($0))) }
        var to = [Int32](repeating: 0, count: book.accountCount)
        for i in 0..<book.accountCount {
            to[i] = outNext[i] == 0 ? Int32(AgingBucket.paid) : Int32(AgingBucket.of(dpd: Int(endNext) - Int(due[i])))
        }
        let include: (Int) -> Bool = { AsOf.known(placed: placed[$0], asOf: min(endM, a)) && outM[$0] > 0 }
        let bucketCount = AgingBucket.names.count + 1
        let fromGroups = Grouping(
            dims.keys(accounts: nil) + [GroupKey(codes: from, cardinality: bucketCount)], rows: book.accountCount,
            include: include)
        let cells = Grouping(
            dims.keys(accounts: nil) + [
                GroupKey(codes: from, cardinality: bucketCount), GroupKey(codes: to, cardinality: bucketCount),
            ],
            rows: book.accountCount, include: include)
        let accounts = Aggregate.count(groups: cells.ids, count: cells.count)
        let balance = try Aggregate.sum(outM, groups: cells.ids, count: cells.count)
        let fromTotal = try Aggregate.sum(outM, groups: fromGroups.ids, count: fromGroups.count)
        var fromOfCell = [Int32](repeating: -1, count: cells.count)
        for i in 0..<book.accountCount where cells.ids[i] >= 0 { fromOfCell[Int(cells.ids[i])] = fromGroups.ids[i] }
        try book.check()
        let labels = (AgingBucket.names + ["paid"]).map { KPIValue.text($0) }
        let rank = dims.ranks + [Array(0..<bucketCount), Array(0..<bucketCount)]
        let rows = cells.sortedGroups(rank: rank).map { c -> [KPIValue] in
            let key = cells.keys[c]
            let n = key.count
            return dims.labels(Array(key.prefix(n - 2))) + [
                labels[Int(key[n - 2])], labels[Int(key[n - 1])], .int(accounts[c]), .money(balance[c]),
                rate(balance[c], fromTotal[Int(fromOfCell[c])]),
            ]
        }
        return KPITable(columns: dims.names + ["from_bucket", "to_bucket", "accounts", "balance", "share"], rows: rows)
    }
}

extension RollRate: KPI {
    static let name = "roll_rate"
    static func fields(_ p: KPIParameters) -> [KPIField] {
        [
            KPIField("from_bucket", .text), KPIField("to_bucket", .text), KPIField("accounts", .count),
            KPIField("balance", .money), KPIField("share", .rate),
        ]
    }
}
