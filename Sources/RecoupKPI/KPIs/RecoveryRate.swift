import RecoupEngine

/// recovery_rate (as of A): placed = Σ principal of accounts placed ≤ A;
/// collected = Σ their payments with placed_date ≤ paid_date ≤ A.
enum RecoveryRate {
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let dims = try Dimensions(book, p.by, kpi: "recovery_rate", contactDimensions: false)
        let placed = book.placed
        let g = Grouping(dims.keys(accounts: nil), rows: book.accountCount) { AsOf.known(placed: placed[$0], asOf: a) }
        let accounts = Aggregate.count(groups: g.ids, count: g.count)
        let principal = try Aggregate.sum(book.principal, groups: g.ids, count: g.count)
        let collected = try book.collected(through: a)
        let byGroup = try Aggregate.sum(collected, groups: g.ids, count: g.count)
        try book.check()
        return KPITable(
            columns: dims.names + ["accounts", "placed", "collected", "recovery_rate"],
            rows: GroupedRows.build(dims, g) { i in
                [.int(accounts[i]), .money(principal[i]), .money(byGroup[i]), rate(byGroup[i], principal[i])]
            })
    }
}

extension RecoveryRate: KPI {
    static let name = "recovery_rate"
    static func fields(_ p: KPIParameters) -> [KPIField] {
        [
            KPIField("accounts", .count), KPIField("placed", .money), KPIField("collected", .money),
            KPIField("recovery_rate", .rate),
        ]
    }
}
