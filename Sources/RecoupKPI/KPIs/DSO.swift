import RecoupEngine
import RecoupStore

/// dso (period P): AR(to) / credit sales × D, best possible DSO from the
/// current AR, their difference (ADD), and the countback DSO.
enum DSO {
    static let countbackMonths = 36

    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let period = try Period.resolve(from: p.from, to: p.to, asOf: a)
        let dims = try Dimensions(book, p.by, kpi: "dso", contactDimensions: false)
        let rec = Receivables(book, dims, asOf: a, period: period)
        let ar = try rec.ar(at: period.to)
        let current = try rec.ar(at: period.to, currentOnly: true)
        let sales = try rec.creditSales(period.from, period.to)
        let monthly = try rec.monthlyCreditSales(endingAt: period.to, months: countbackMonths)
        let lastMonth = CivilDate.monthIndex(period.to)
        try book.check()
        let d = Double(period.days)
        return KPITable(
            columns: dims.names + [
                "ar_end", "credit_sales", "days", "dso", "best_possible_dso", "add", "countback_dso",
            ],
            rows: GroupedRows.build(dims, rec.grouping, only: rec.visible) { g in
                let dso: KPIValue = sales[g] == 0 ? .null : .decimal(Double(ar[g]) / Double(sales[g]) * d)
                let best: KPIValue = sales[g] == 0 ? .null : .decimal(Double(current[g]) / Double(sales[g]) * d)
                var add = KPIValue.null
                if case .decimal(let x) = dso, case .decimal(let y) = best { add = .decimal(x - y) }
                // Countback: walk back month by month from the month of `to`.
                var remaining = ar[g]
                var days = 0.0
                var k = 0
                while remaining > 0 && k < countbackMonths {
                    let m = lastMonth - k
                    let s = monthly[k][g]
                    let monthDays =
                        k == 0
                        ? Double(CivilDate.civil(period.to).day)
                        : Double(CivilDate.daysInMonth(year: m / 12, month: m % 12 + 1))
                    if remaining >= s {
                        remaining -= s
                        days += monthDays
                    } else {
                        days += Double(remaining) / Double(s) * monthDays
                        break
                    }
                    k += 1
                }
                return [.money(ar[g]), .money(sales[g]), .int(Int64(period.days)), dso, best, add, .decimal(days)]
            })
    }
}

extension DSO: KPI {
    static let name = "dso"
    static func fields(_ p: KPIParameters) -> [KPIField] {
        [
            KPIField("ar_end", .money), KPIField("credit_sales", .money), KPIField("days", .integer),
            KPIField("dso", .days), KPIField("best_possible_dso", .days), KPIField("add", .days),
            KPIField("countback_dso", .days),
        ]
    }
}
