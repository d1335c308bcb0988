import Foundation
import RecoupStore

/// One contact that counts at A, as the rules see it.
public struct KnownContact {
    /// Account key.
    public var account: Int
    /// Local wall time in the account's zone, seconds since the epoch, and its local date.
    public var local: Int64
    public var localDate: Int32
    public var channel: UInt8
    public var direction: UInt8
    public var outcome: UInt8

    @inlinable
    public init(account: Int, local: Int64, localDate: Int32, channel: UInt8, direction: UInt8, outcome: UInt8) {
        (self.account, self.local, self.localDate) = (account, local, localDate)
        (self.channel, self.direction, self.outcome) = (channel, direction, outcome)
    }
}

extension Book {
    /// One fused pass over the contacts that count at A (AsOf: by local date, on or after placement)
    /// with a local date in `from...to`: each segment is decoded, converted to local time, filtered
    /// and handed row by row to `body`, which accumulates into that segment's own `Part` (made by
    /// `start`). Segments run in parallel; the parts come back in segment order, so no contact-sized
    /// array is built unless `body` builds one.
    @inlinable
    public func knownContacts<Part>(
        asOf a: Int32, from: Int32 = .min, to: Int32 = .max,
        start: @escaping () -> Part, _ body: @escaping (inout Part, KnownContact) -> Void
    ) throws -> [Part] {
        let placed = self.placed
        let clock = self.clock
        try check()
        let n = placed.count
        return try TableScan(snapshot, "contacts").map(["account_id", "ts", "channel", "direction", "outcome"]) {
            cols -> Part in
            let keys = cols[0].int32Values, ts = cols[1].int64Values
            let channel = cols[2].uint8Values, direction = cols[3].uint8Values, outcome = cols[4].uint8Values
            var part = start()
            var clock = clock
            for r in 0..<keys.count {
                let k = Int(keys[r])
                guard k >= 0, k < n, AsOf.known(placed: placed[k], asOf: a) else { continue }
                let local = clock.local(ts[r], account: k)
                let day = CivilDate.day(ofSeconds: local)
                guard AsOf.counts(date: day, placed: placed[k], asOf: a, from: from, to: to) else { continue }
                body(
                    &part,
                    KnownContact(
                        account: k, local: local, localDate: day, channel: channel[r], direction: direction[r],
                        outcome: outcome[r]))
            }
            return part
        }
    }
}
