import RecoupStore

/// The promise rule (KPIS.md promise_adherence), written once: a promise p with created_date c, due_date
/// u and amount m is judged at A with grace G when u + G ≤ A; paid(p) is the sum of the account's
/// payments that count at A (on or after placement) with c ≤ paid_date ≤ u + G; p is kept when
/// paid(p) ≥ m, else broken.
public enum PromiseRule {
    @inlinable @inline(__always)
    public static func isJudged(due u: Int32, grace g: Int32, asOf a: Int32) -> Bool { u + g <= a }

    @inlinable @inline(__always)
    public static func isKept(paid: Int64, amount: Int64) -> Bool { paid >= amount }

    /// paid(p) for each promise row in `promises` (rows of the promises table, judged at A), in that order.
    public static func paid(_ book: Book, promises: [Int], grace g: Int32, asOf a: Int32) throws -> [Int64] {
        let keys = book.promiseAccount, created = book.promiseCreated, due = book.promiseDue
        let pk = book.paymentAccount, paidDate = book.paidDate, amount = book.paymentAmount, placed = book.placed
        try book.check()
        // Only the payments of accounts with a promise asked about are indexed, in date order: the
        // rows are chosen in one plain loop first, so the index is built over them alone.
        var wanted = [Bool](repeating: false, count: book.accountCount)
        for r in promises { wanted[Int(keys[r])] = true }
        var chosen: [Int32] = []
        pk.withUnsafeBufferPointer { k in
            paidDate.withUnsafeBufferPointer { d in
                for r in 0..<k.count {
                    let a32 = Int(k[r])
                    if wanted[a32] && AsOf.counts(date: d[r], placed: placed[a32], asOf: a) { chosen.append(Int32(r)) }
                }
            }
        }
        let index = AccountIndex(
            keys: chosen.map { pk[Int($0)] }, accounts: book.accountCount,
            time: chosen.map { Int64(paidDate[Int($0)]) })
        var out = [Int64](repeating: 0, count: promises.count)
        for (i, r) in promises.enumerated() {
            let until = due[r] + g
            var sum: Int64 = 0
            for q in index.rows(of: Int(keys[r])) {
                let row = Int(chosen[Int(q)])
                let d = paidDate[row]
                if d > until { break }
                if d >= created[r] { try Aggregate.add(&sum, amount[row]) }
            }
            out[i] = sum
        }
        return out
    }
}
