import RecoupEngine

/// days_to_collect (period P): over payments with amount > 0 and paid_date in P,
/// Σ amount × (paid_date − opened_date) / Σ amount.
enum DaysToCollect {
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let period = try Period.resolve(from: p.from, to: p.to, asOf: a)
        let dims = try Dimensions(book, p.by, kpi: "days_to_collect", contactDimensions: false)
        let keys = book.paymentAccount, paid = book.paidDate, amount = book.paymentAmount
        let placed = book.placed
        let g = Grouping(dims.keys(accounts: keys), rows: keys.count) { r in
            let k = Int(keys[r]), d = paid[r]
            return amount[r] > 0 && AsOf.counts(date: d, placed: placed[k], asOf: a, from: period.from, to: period.to)
        }
        let count = Aggregate.count(groups: g.ids, count: g.count)
        let collected = try Aggregate.sum(amount, groups: g.ids, count: g.count)
        // Σ amount × days can exceed Int64 cents·days only beyond ~10^14 currency units: use Double for the weight sum.
        var weighted = [Double](repeating: 0, count: g.count)
        var weightedExact = [Int64](repeating: 0, count: g.count)
        var exact = true
        let opened = book.opened
        for r in 0..<keys.count where g.ids[r] >= 0 {
            let days = Int64(paid[r] - opened[Int(keys[r])])
            let (w, o) = amount[r].multipliedReportingOverflow(by: days)
            if o { exact = false }
            let (s, o2) = weightedExact[Int(g.ids[r])].addingReportingOverflow(w)
            if o2 { exact = false }
            weightedExact[Int(g.ids[r])] = s
            weighted[Int(g.ids[r])] += Double(amount[r]) * Double(days)
        }
        try book.check()
        return KPITable(
            columns: dims.names + ["payments", "collected", "days_to_collect"],
            rows: GroupedRows.build(dims, g) { i in
                let num = exact ? Double(weightedExact[i]) : weighted[i]
                return [
                    .int(count[i]), .money(collected[i]),
                    collected[i] == 0 ? .null : .decimal(num / Double(collected[i])),
                ]
            })
    }
}

extension DaysToCollect: KPI {
    static let name = "days_to_collect"
    static func fields(_ p: KPIParameters) -> [KPIField] {
        [KPIField("payments", .count), KPIField("collected", .money), KPIField("days_to_collect", .days)]
    }
}
