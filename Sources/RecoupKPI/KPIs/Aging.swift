import RecoupEngine
import RecoupStore

/// The aging buckets of KPIS.md, by days past due.
enum AgingBucket {
    static let names = ["current", "1-30", "31-60", "61-90", "91-180", "181-365", "365+"]
    /// roll_rate's extra destination, sorted after `365+`.
    static let paid = names.count

    @inlinable
    static func of(dpd: Int) -> Int {
        switch dpd {
        case ...0: 0
        case 1...30: 1
        case 31...60: 2
        case 61...90: 3
        case 91...180: 4
        case 181...365: 5
        default: 6
        }
    }
}

/// aging (as of A): accounts in the book with outstanding > 0 by bucket of A − due_date.
enum Aging {
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let dims = try Dimensions(book, p.by, kpi: "aging", contactDimensions: false)
        let out = try book.outstanding(at: a)
        let placed = book.placed, due = book.due
        let buckets = due.map { Int32(AgingBucket.of(dpd: Int(a) - Int($0))) }
        let include: (Int) -> Bool = { placed[$0] <= a && out[$0] > 0 }
        let groups = Grouping(dims.keys(accounts: nil), rows: book.accountCount, include: include)
        let cells = Grouping(dims.keys(accounts: nil) + [GroupKey(codes: buckets, cardinality: AgingBucket.names.count)],
                             rows: book.accountCount, include: include)
        let accounts = Aggregate.count(groups: cells.ids, count: cells.count)
        let balance = try Aggregate.sum(out, groups: cells.ids, count: cells.count)
        let total = try Aggregate.sum(out, groups: groups.ids, count: groups.count)
        // Each cell's group: the group of any of its accounts.
        var groupOfCell = [Int32](repeating: -1, count: cells.count)
        for i in 0..<book.accountCount where cells.ids[i] >= 0 { groupOfCell[Int(cells.ids[i])] = groups.ids[i] }
        try book.check()
        let bucketLabels = AgingBucket.names.map { KPIValue.text($0) }
        let rank = dims.ranks + [Array(0..<AgingBucket.names.count)]
        let rows = cells.sortedGroups(rank: rank).map { c -> [KPIValue] in
            let key = cells.keys[c]
            let g = Int(groupOfCell[c])
            return dims.labels(Array(key.dropLast())) + [bucketLabels[Int(key.last!)], .int(accounts[c]), .money(balance[c]), rate(balance[c], total[g])]
        }
        return KPITable(columns: dims.names + ["bucket", "accounts", "balance", "share"], rows: rows)
    }
}

/// roll_rate (month M, as of A ≥ end of M+1): accounts with outstanding > 0 at
/// the end of M, from their bucket then to their bucket (or `paid`) at the end of M+1.
enum RollRate {
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let dims = try Dimensions(book, p.by, kpi: "roll_rate", contactDimensions: false)
        let m: Int
        if let month = p.month {
            m = CivilDate.monthIndex(month)
            guard Cohort.monthEnd(m + 1) <= a else {
                throw RecoupError(.usage, "roll_rate for \(Cohort.label(monthIndex: m)) needs the following month to have ended by the as-of date \(CivilDate.format(a))",
                                  details: "choose --month \(Cohort.label(monthIndex: CivilDate.monthIndex(a) - (Cohort.monthEnd(CivilDate.monthIndex(a)) <= a ? 1 : 2))) or earlier, or a later --as-of")
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
        let include: (Int) -> Bool = { placed[$0] <= endM && placed[$0] <= a && outM[$0] > 0 }
        let bucketCount = AgingBucket.names.count + 1
        let fromGroups = Grouping(dims.keys(accounts: nil) + [GroupKey(codes: from, cardinality: bucketCount)], rows: book.accountCount, include: include)
        let cells = Grouping(dims.keys(accounts: nil) + [GroupKey(codes: from, cardinality: bucketCount), GroupKey(codes: to, cardinality: bucketCount)],
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
            return dims.labels(Array(key.prefix(n - 2))) + [labels[Int(key[n - 2])], labels[Int(key[n - 1])], .int(accounts[c]), .money(balance[c]),
                                                            rate(balance[c], fromTotal[Int(fromOfCell[c])])]
        }
        return KPITable(columns: dims.names + ["from_bucket", "to_bucket", "accounts", "balance", "share"], rows: rows)
    }
}
