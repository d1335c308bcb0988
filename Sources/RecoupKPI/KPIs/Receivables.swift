import RecoupEngine
import RecoupStore

/// The building blocks of KPIS.md over accounts known at A, per group:
/// AR(t), the current part of AR(t), and credit sales of a date range.
struct Receivables {
    let book: Book
    let asOf: Int32
    let grouping: Grouping

    /// Per group, whether it appears: it has an account in the book at `to` or one opened in P.
    let visible: [Bool]

    /// Groups of the accounts known at A (every building block ranges over them).
    init(_ book: Book, _ dims: Dimensions, asOf a: Int32, period: Period) {
        self.book = book
        asOf = a
        let placed = book.placed, opened = book.opened
        grouping = Grouping(dims.keys(accounts: nil), rows: book.accountCount) { placed[$0] <= a }
        var visible = [Bool](repeating: false, count: grouping.count)
        for i in 0..<book.accountCount where grouping.ids[i] >= 0 {
            if placed[i] <= period.to || (opened[i] >= period.from && opened[i] <= period.to) { visible[Int(grouping.ids[i])] = true }
        }
        self.visible = visible
    }

    /// AR(t) per group; with `currentOnly`, only accounts with due_date ≥ t.
    func ar(at t: Int32, currentOnly: Bool = false) throws -> [Int64] {
        let out = try book.outstanding(at: t)
        var sums = [Int64](repeating: 0, count: grouping.count)
        let placed = book.placed, due = book.due, ids = grouping.ids
        for i in 0..<book.accountCount {
            let g = ids[i]
            guard g >= 0, placed[i] <= t, !currentOnly || due[i] >= t else { continue }
            try Aggregate.add(&sums[Int(g)], out[i])
        }
        return sums
    }

    /// Σ principal of accounts known at A with opened_date in [from, to], per group.
    func creditSales(_ from: Int32, _ to: Int32) throws -> [Int64] {
        var sums = [Int64](repeating: 0, count: grouping.count)
        let opened = book.opened, principal = book.principal, ids = grouping.ids
        for i in 0..<book.accountCount {
            let g = ids[i]
            let o = opened[i]
            guard g >= 0, o >= from, o <= to else { continue }
            try Aggregate.add(&sums[Int(g)], principal[i])
        }
        return sums
    }

    /// Credit sales per group for each of the `months` calendar months ending
    /// with the month of `to` (that month counted only up to `to`), latest first.
    func monthlyCreditSales(endingAt to: Int32, months: Int) throws -> [[Int64]] {
        let last = CivilDate.monthIndex(to)
        var out = [[Int64]](repeating: [Int64](repeating: 0, count: grouping.count), count: months)
        let opened = book.opened, principal = book.principal, ids = grouping.ids
        for i in 0..<book.accountCount {
            let g = ids[i]
            let o = opened[i]
            guard g >= 0, o <= to else { continue }
            let back = last - CivilDate.monthIndex(o)
            guard back < months else { continue }
            try Aggregate.add(&out[back][Int(g)], principal[i])
        }
        return out
    }
}

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
            columns: dims.names + ["ar_end", "credit_sales", "days", "dso", "best_possible_dso", "add", "countback_dso"],
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
                    let monthDays = k == 0
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
