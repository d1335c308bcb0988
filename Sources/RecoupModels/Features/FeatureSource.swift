import Foundation
import RecoupEngine
import RecoupStore

/// The store columns the features read, loaded with `TableScan` (only the columns needed, segments in
/// parallel). Account arrays are indexed by account key; event arrays by event row.
struct FeatureSource {
    let snapshot: Snapshot
    let accountCount: Int

    // Accounts.
    let debtor: StringColumn
    let portfolio: [Int32]
    let opened: [Int32]
    let due: [Int32]
    let placed: [Int32]
    let principal: [Int64]
    let region: [Int32]
    let timezone: [Int32]
    let agent: [Int32]
    let creditScore: [Int64]
    let status: [UInt8]
    let statusDate: [Int32]

    // Payments.
    let paymentAccount: [Int32]
    let paidDate: [Int32]
    let paymentAmount: [Int64]

    // Promises.
    let promiseAccount: [Int32]
    let promiseCreated: [Int32]
    let promiseDue: [Int32]
    let promiseAmount: [Int64]

    init(_ snapshot: Snapshot) throws {
        self.snapshot = snapshot
        accountCount = snapshot.rows("accounts")
        let a = try TableScan(snapshot, "accounts").read([
            "debtor_id", "portfolio", "opened_date", "due_date", "placed_date", "principal", "region", "timezone",
            "agent_id", "credit_score", "status", "status_date",
        ])
        debtor = a[0].stringValues
        portfolio = a[1].int32Values
        opened = a[2].int32Values
        due = a[3].int32Values
        placed = a[4].int32Values
        principal = a[5].int64Values
        region = a[6].int32Values
        timezone = a[7].int32Values
        agent = a[8].int32Values
        creditScore = a[9].int64Values
        status = a[10].uint8Values
        statusDate = a[11].int32Values
        let n = accountCount
        guard debtor.count == n, [portfolio.count, opened.count, due.count, placed.count, region.count, timezone.count,
                                  agent.count, statusDate.count].allSatisfy({ $0 == n }),
              principal.count == n, creditScore.count == n, status.count == n else {
            throw RecoupError(.dataError, "store is damaged: the accounts columns have unequal lengths")
        }
        let p = try TableScan(snapshot, "payments").read(["account_id", "paid_date", "amount"])
        paymentAccount = p[0].int32Values
        paidDate = p[1].int32Values
        paymentAmount = p[2].int64Values
        let q = try TableScan(snapshot, "promises").read(["account_id", "created_date", "due_date", "amount"])
        promiseAccount = q[0].int32Values
        promiseCreated = q[1].int32Values
        promiseDue = q[2].int32Values
        promiseAmount = q[3].int64Values
        guard paidDate.count == paymentAccount.count, paymentAmount.count == paymentAccount.count,
              promiseCreated.count == promiseAccount.count, promiseDue.count == promiseAccount.count,
              promiseAmount.count == promiseAccount.count else {
            throw RecoupError(.dataError, "store is damaged: the event columns have unequal lengths")
        }
    }

    /// What the contact pass keeps of one contact: its account, its age A − local date in days, and a code
    /// packing channel (bits 0–1), direction (bit 2) and outcome (bits 3–6).
    struct Contacts {
        var account: [Int32] = []
        var age: [Int32] = []
        var code: [UInt8] = []
    }

    static func code(channel: UInt8, direction: UInt8, outcome: UInt8) -> UInt8 {
        (channel & 3) | ((direction & 1) << 2) | ((outcome & 15) << 3)
    }

    /// Contacts of accounts placed on or before A whose local date (in the account's zone) is in
    /// [placed_date, A], segment by segment in parallel; the parts come back in segment order.
    func contacts(asOf a: Int32) throws -> [Contacts] {
        let placed = self.placed
        let clock = AccountClock(zoneOf: timezone, zoneNames: snapshot.dictionary(table: "accounts", column: "timezone"))
        let n = accountCount
        return try TableScan(snapshot, "contacts").map(["account_id", "ts", "channel", "direction", "outcome"]) { cols -> Contacts in
            let keys = cols[0].int32Values, ts = cols[1].int64Values
            let channel = cols[2].uint8Values, direction = cols[3].uint8Values, outcome = cols[4].uint8Values
            var out = Contacts()
            out.account.reserveCapacity(keys.count)
            out.age.reserveCapacity(keys.count)
            out.code.reserveCapacity(keys.count)
            var clock = clock
            for r in 0..<keys.count {
                let k = Int(keys[r])
                guard k >= 0, k < n else { continue }
                let p = placed[k]
                guard p != Null.int32, p <= a else { continue }
                let local = clock.local(ts[r], account: k)
                let day = CivilDate.day(ofSeconds: local)
                guard day >= p, day <= a else { continue }
                out.account.append(keys[r])
                out.age.append(a - day)
                out.code.append(Self.code(channel: channel[r], direction: direction[r], outcome: outcome[r]))
            }
            return out
        }
    }
}

/// Dense ids for equal byte strings (debtor ids), by open addressing over the column's own bytes.
enum ByteGroups {
    /// Per row, a group id in 0..<count; equal strings share one, numbered by first appearance.
    static func ids(_ s: StringColumn) -> (ids: [Int32], count: Int) {
        let n = s.count
        var capacity = 16
        while capacity < 2 * n { capacity <<= 1 }
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)  // the first row holding each string
        var ids = [Int32](repeating: 0, count: n)
        var groupOfRow = [Int32](repeating: -1, count: n)
        var count: Int32 = 0
        s.bytes.withUnsafeBufferPointer { b in
            s.offsets.withUnsafeBufferPointer { o in
                func equal(_ x: Int, _ y: Int) -> Bool {
                    let (xl, xh, yl, yh) = (Int(o[x]), Int(o[x + 1]), Int(o[y]), Int(o[y + 1]))
                    guard xh - xl == yh - yl else { return false }
                    for i in 0..<(xh - xl) where b[xl + i] != b[yl + i] { return false }
                    return true
                }
                for r in 0..<n {
                    var h: UInt64 = 0xcbf2_9ce4_8422_2325
                    for i in Int(o[r])..<Int(o[r + 1]) { h = (h ^ UInt64(b[i])) &* 0x100_0000_01b3 }
                    var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
                    while true {
                        let first = slots[slot]
                        if first < 0 {
                            slots[slot] = Int32(r)
                            groupOfRow[r] = count
                            ids[r] = count
                            count += 1
                            break
                        }
                        if equal(Int(first), r) { ids[r] = groupOfRow[Int(first)]; break }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        return (ids, Int(count))
    }
}
