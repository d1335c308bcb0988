import RecoupEngine
import RecoupStore

/// Contacts of accounts known at A whose local date is in P (and not before placement).
struct ContactsInPeriod {
    let include: [Bool]

    init(_ book: Book, asOf a: Int32, period: Period) {
        let keys = book.contactAccount, date = book.localDate, placed = book.placed
        include = keys.indices.map { r in
            let k = Int(keys[r]), d = date[r]
            return AsOf.counts(date: d, placed: placed[k], asOf: a, from: period.from, to: period.to)
        }
    }
}
