import RecoupEngine
import RecoupStore

/// aging (as of A): accounts in the book with outstanding > 0 by bucket of A − due_date.
enum Aging {
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let dims = try Dimensions(book, p.by, kpi: "aging", contactDimensions: false)
        let out = try book.outstanding(at: a)
        let placed = book.placed, due = book.due
        let buckets = due.map { Int32(AgingBucket.of(dpd: Int(a) - Int($0))) }
        let include: (Int) -> Bool = { AsOf.known(placed: placed[$0], asOf: a) && out[$0] > 0 }
        let groups = Grouping(dims.keys(accounts: nil), rows: book.accountCount, include: include)
        let cells = Grouping(
            dims.keys(accounts: nil) + [GroupKey(codes: buckets, cardinality: AgingBucket.names.count)],
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
            return dims.labels(Array(key.dropLast())) + [
                bucketLabels[Int(key.last!)], .int(accounts[c]), .money(balance[c]), rate(balance[c], total[g]),
            ]
        }
        return KPITable(columns: dims.names + ["bucket", "accounts", "balance", "share"], rows: rows)
    }
}

extension Aging: KPI {
    static let name = "aging"
    static func fields(_ p: KPIParameters) -> [KPIField] {
        [
            KPIField("bucket", .text), KPIField("accounts", .count), KPIField("balance", .money),
            KPIField("share", .rate),
        ]
    }
}
