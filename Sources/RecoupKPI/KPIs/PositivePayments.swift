import RecoupEngine
import RecoupStore

/// Payments with amount > 0, dated on or after placement and on or before A,
/// by account in date order: "is there one in [from, to]?" is a binary search.
struct PositivePayments {
    let index: AccountIndex
    let dates: [Int32]

    init(_ book: Book, asOf a: Int32) {
        let keys = book.paymentAccount, paid = book.paidDate, amount = book.paymentAmount, placed = book.placed
        dates = paid
        index = AccountIndex(keys: keys, accounts: book.accountCount, time: paid.map { Int64($0) }) { r in
            amount[r] > 0 && AsOf.counts(date: paid[r], placed: placed[Int(keys[r])], asOf: a)
        }
    }

    func any(account: Int, from: Int32, to: Int32) -> Bool {
        let rows = index.rows(of: account)
        var lo = rows.startIndex, hi = rows.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if dates[Int(rows[mid])] < from { lo = mid + 1 } else { hi = mid }
        }
        return lo < rows.endIndex && dates[Int(rows[lo])] <= to
    }
}
