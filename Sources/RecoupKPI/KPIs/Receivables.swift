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
        grouping = Grouping(dims.keys(accounts: nil), rows: book.accountCount) { AsOf.known(placed: placed[$0], asOf: a) }
        var visible = [Bool](repeating: false, count: grouping.count)
        for i in 0..<book.accountCount where grouping.ids[i] >= 0 {
            if placed[i] <= period.to || (opened[i] >= period.from && opened[i] <= period.to) {
                visible[Int(grouping.ids[i])] = true
            }
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
