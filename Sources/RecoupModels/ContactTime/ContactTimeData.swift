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

    static let callCode = UInt8(Schema.channels.firstIndex(of: "call")!)
    static let outboundCode = UInt8(Schema.directions.firstIndex(of: "outbound")!)
    static let rpcOutcome: [Bool] = Schema.outcomes.map { Schema.rpcOutcomes.contains($0) }

    init(snapshot: Snapshot) throws {
        let accounts = TableScan(snapshot, "accounts")
        let acols = try accounts.read(["placed_date", "portfolio", "region", "timezone"])
        placed = acols[0].int32Values
        portfolio = acols[1].int32Values
        region = acols[2].int32Values
        let zoneOf = acols[3].int32Values
        accountCount = placed.count
        portfolioNames = snapshot.dictionary(table: "accounts", column: "portfolio")
        regionNames = snapshot.dictionary(table: "accounts", column: "region")
        let zoneNames = snapshot.dictionary(table: "accounts", column: "timezone")
        let debtorIDs = try accounts.text("debtor_id")
        var numbers: [String: Int32] = [:]
        var debtor = [Int32](repeating: 0, count: debtorIDs.count)
        for i in 0..<debtorIDs.count {
            let id = debtorIDs[i]
            if let k = numbers[id] { debtor[i] = k } else { let k = Int32(numbers.count); numbers[id] = k; debtor[i] = k }
        }
        self.debtor = debtor

        let c = try TableScan(snapshot, "contacts").read(["account_id", "ts", "channel", "direction", "outcome"])
        contactAccount = c[0].int32Values
        ts = c[1].int64Values
        let channel = c[2].uint8Values, direction = c[3].uint8Values, outcome = c[4].uint8Values
        isCall = channel.map { $0 == Self.callCode }
        isOutbound = direction.map { $0 == Self.outboundCode }
        isRPC = outcome.map { Int($0) < Self.rpcOutcome.count && Self.rpcOutcome[Int($0)] }

        // Local wall time in the account's zone (DST-correct), in parallel chunks.
        let clock = AccountClock(zoneOf: zoneOf, zoneNames: zoneNames)
        let n = ts.count
        var dates = [Int32](repeating: 0, count: n)
        var hours = [UInt8](repeating: 0, count: n)
        let chunk = 1 << 16
        let chunks = (n + chunk - 1) / chunk
        let tsv = ts, acc = contactAccount
        dates.withUnsafeMutableBufferPointer { d in
            hours.withUnsafeMutableBufferPointer { h in
                DispatchQueue.concurrentPerform(iterations: chunks) { k in
                    var mine = clock
                    for r in (k * chunk)..<min(n, (k + 1) * chunk) {
                        let local = mine.local(tsv[r], account: Int(acc[r]))
                        let day = CivilDate.day(ofSeconds: local)
                        d[r] = day
                        h[r] = UInt8((local - Int64(day) * 86400) / 3600)
                    }
                }
            }
        }
        localDate = dates
        localHour = hours
    }

    /// Contacts of each account with placed_date ≤ local date ≤ `asOf` (and the account
    /// placed by then), in (ts, row) order.
    func history(asOf a: Int32) -> AccountIndex {
        let keys = contactAccount, placed = self.placed, date = localDate
        return AccountIndex(keys: keys, accounts: accountCount, time: ts) { r in
            let k = Int(keys[r])
            return placed[k] <= a && date[r] >= placed[k] && date[r] <= a
        }
    }
}
