import Foundation
import RecoupEngine
import RecoupStore

/// How the features read the store: the engine's book view (`Book`), checked whole, and one
/// pass over the contacts that count at A keeping only what the features use.
enum FeatureSource {
    /// The book of `snapshot` with the account, payment and promise columns the features read loaded.
    static func book(_ snapshot: Snapshot) throws -> Book {
        let b = Book(snapshot)
        let n = b.accountCount
        let lengths = [
            b.debtorIDs.count, b.portfolio.count, b.opened.count, b.due.count, b.placed.count, b.principal.count,
            b.region.count, b.timezone.count, b.agent.count, b.creditScore.count, b.status.count, b.statusDate.count,
        ]
        try b.check()
        guard lengths.allSatisfy({ $0 == n }) else {
            throw RecoupError(.dataError, "store is damaged: the accounts columns have unequal lengths")
        }
        let p = b.paymentAccount.count, q = b.promiseAccount.count
        guard [b.paidDate.count, b.paymentAmount.count].allSatisfy({ $0 == p }),
            [b.promiseCreated.count, b.promiseDue.count, b.promiseAmount.count].allSatisfy({ $0 == q })
        else {
            throw RecoupError(.dataError, "store is damaged: the event columns have unequal lengths")
        }
        try b.check()
        return b
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

    /// The contacts that count at A (`Book.knownContacts`), segment by segment in parallel; the parts
    /// come back in segment order.
    static func contacts(_ book: Book, asOf a: Int32) throws -> [Contacts] {
        try book.knownContacts(asOf: a, start: { Contacts() }) { out, c in
            out.account.append(Int32(c.account))
            out.age.append(a - c.localDate)
            out.code.append(code(channel: c.channel, direction: c.direction, outcome: c.outcome))
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
