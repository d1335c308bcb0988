import Foundation
import RecoupEngine
import RecoupStore

/// The columns the best-contact-time model reads from one snapshot: per account its
/// placement date, portfolio, region and zone; per contact its account, local date and
/// hour (in the account's current zone, as KPIS.md), and whether it is an outbound call,
/// a call at all, and a right-party contact. Loaded with `TableScan`.
struct ContactTimeData {
    let accountCount: Int
    let placed: [Int32]
    /// Dictionary codes (`Null.int32` when empty).
    let portfolio: [Int32]
    let region: [Int32]
    /// Debtor number per account: debtors numbered 0, 1, 2… in order of their first account.
    let debtor: [Int32]
    let portfolioNames: [String]
    let regionNames: [String]

    // Contacts, in table order.
    let contactAccount: [Int32]
    let ts: [Int64]
    let localDate: [Int32]
    /// Local hour 0...23.
    let localHour: [UInt8]
    let isCall: [Bool]
    let isOutbound: [Bool]
    let isRPC: [Bool]

    init(snapshot: Snapshot) throws {
        let book = Book(snapshot)
        placed = book.placed
        portfolio = book.portfolio
        region = book.region
        accountCount = placed.count
        portfolioNames = book.dictionary("accounts", "portfolio")
        regionNames = book.dictionary("accounts", "region")
        let debtorIDs = book.debtorIDs
        var numbers: [String: Int32] = [:]
        var debtor = [Int32](repeating: 0, count: debtorIDs.count)
        for i in 0..<debtorIDs.count {
            let id = debtorIDs[i]
            if let k = numbers[id] { debtor[i] = k } else { let k = Int32(numbers.count); numbers[id] = k; debtor[i] = k }
        }
        self.debtor = debtor

        contactAccount = book.contactAccount
        ts = book.contactTS
        let channel = book.channel, direction = book.direction, outcome = book.outcome
        isCall = channel.map { $0 == ContactClass.call }
        isOutbound = direction.map { $0 == ContactClass.outbound }
        isRPC = outcome.map { ContactClass.isRPC($0) }
        localDate = book.localDate
        localHour = book.localSeconds.map { UInt8(LocalTime.hour($0)) }
        try book.check()
    }

    /// Contacts of each account that count at `asOf` (AsOf: placed_date ≤ local date ≤ A), in (ts, row) order.
    func history(asOf a: Int32) -> AccountIndex {
        let keys = contactAccount, placed = self.placed, date = localDate
        return AccountIndex(keys: keys, accounts: accountCount, time: ts) { r in
            AsOf.counts(date: date[r], placed: placed[Int(keys[r])], asOf: a)
        }
    }
}
