import RecoupEngine
import RecoupStore

/// cei (period P): (B + S − E) / (B + S − EC) × 100.
enum CEI {
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let period = try Period.resolve(from: p.from, to: p.to, asOf: a)
        let dims = try Dimensions(book, p.by, kpi: "cei", contactDimensions: false)
        let rec = Receivables(book, dims, asOf: a, period: period)
        let begin = try rec.ar(at: period.from - 1)
        let sales = try rec.creditSales(period.from, period.to)
        let end = try rec.ar(at: period.to)
        let endCurrent = try rec.ar(at: period.to, currentOnly: true)
        try book.check()
        return KPITable(
            columns: dims.names + ["begin_ar", "credit_sales", "end_ar", "end_current_ar", "cei"],
            rows: GroupedRows.build(dims, rec.grouping, only: rec.visible) { g in
                let num = begin[g] + sales[g] - end[g], den = begin[g] + sales[g] - endCurrent[g]
                let cei: KPIValue = den == 0 ? .null : .decimal(Double(num) / Double(den) * 100)
                return [.money(begin[g]), .money(sales[g]), .money(end[g]), .money(endCurrent[g]), cei]
            })
    }
}

extension CEI: KPI {
    static let name = "cei"
    static func fields(_ p: KPIParameters) -> [KPIField] {
        [
            KPIField("begin_ar", .money), KPIField("credit_sales", .money), KPIField("end_ar", .money),
            KPIField("end_current_ar", .money), KPIField("cei", .percent),
        ]
    }
}
