import Foundation

/// UTC offsets of one IANA zone as a sorted table of transitions, so that
/// converting an instant to local time is a binary search instead of a call
/// into the time-zone library.
public struct TimeZoneTable: Sendable {
    public let identifier: String
    /// Instants (seconds UTC) at which `offsets[i]` starts to apply; `starts[0]` is `Int64.min`.
    public let starts: [Int64]
    public let offsets: [Int32]

    static let rangeStart: Int64 = 0  // 1970-01-01
    static let rangeEnd: Int64 = 4_102_444_800  // 2100-01-01

    public init?(identifier: String) {
        guard let tz = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        var starts: [Int64] = [Int64.min]
        var offsets: [Int32] = [Int32(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(Self.rangeStart))))]
        var t = Date(timeIntervalSince1970: Double(Self.rangeStart))
        while let next = tz.nextDaylightSavingTimeTransition(after: t),
            next.timeIntervalSince1970 < Double(Self.rangeEnd)
        {
            let off = Int32(tz.secondsFromGMT(for: next))
            if off != offsets.last! {
                starts.append(Int64(next.timeIntervalSince1970.rounded()))
                offsets.append(off)
            }
            t = next
        }
        self.starts = starts
        self.offsets = offsets
    }

    /// The offset from UTC in seconds at instant `utc`.
    @inlinable
    public func offset(at utc: Int64) -> Int32 { interval(at: utc).offset }

    /// The transition interval holding `utc`: its offset applies to `start ..< end`.
    @inlinable
    public func interval(at utc: Int64) -> (start: Int64, end: Int64, offset: Int32) {
        var lo = 0, hi = starts.count
        while hi - lo > 1 {
            let mid = (lo + hi) >> 1
            if starts[mid] <= utc { lo = mid } else { hi = mid }
        }
        return (starts[lo], lo + 1 < starts.count ? starts[lo + 1] : Int64.max, offsets[lo])
    }

    /// The UTC instant of a local wall time; for a wall time skipped or repeated
    /// by a transition, the offset in force before the transition is used.
    public func utc(localSeconds: Int64) -> Int64 {
        let guess = localSeconds - Int64(offset(at: localSeconds))
        let off = offset(at: guess)
        return localSeconds - Int64(off)
    }
}

/// Time-zone tables by identifier, built once.
public final class TimeZoneCache: @unchecked Sendable {
    public static let shared = TimeZoneCache()
    private var tables: [String: TimeZoneTable] = [:]
    private let lock = NSLock()

    public func table(_ identifier: String) -> TimeZoneTable? {
        lock.lock()
        defer { lock.unlock() }
        if let t = tables[identifier] { return t }
        guard let t = TimeZoneTable(identifier: identifier) else { return nil }
        tables[identifier] = t
        return t
    }
}

/// Offsets for a run of instants that mostly fall in the same transition
/// interval (an account's events in time order): a range check instead of a
/// binary search per instant.
public struct ZoneCursor {
    public let table: TimeZoneTable
    @usableFromInline var start: Int64 = 1
    @usableFromInline var end: Int64 = 0
    @usableFromInline var current: Int32 = 0

    public init(_ table: TimeZoneTable) { self.table = table }

    @inlinable
    public mutating func offset(at utc: Int64) -> Int32 {
        if utc >= start && utc < end { return current }
        (start, end, current) = table.interval(at: utc)
        return current
    }
}

/// Local wall time of events by their account's (current) time zone: one
/// `ZoneCursor` per zone of the accounts' timezone dictionary. A value type:
/// each thread uses its own copy.
public struct AccountClock {
    @usableFromInline var cursors: [ZoneCursor?]
    @usableFromInline let zoneOf: [Int32]

    /// `zoneOf`: each account's timezone code; `zoneNames`: the dictionary those codes index.
    public init(zoneOf: [Int32], zoneNames: [String]) {
        self.zoneOf = zoneOf
        cursors = zoneNames.map { TimeZoneCache.shared.table($0).map(ZoneCursor.init) }
    }

    /// Local wall seconds of instant `utc` for `account` (UTC when its zone is unknown).
    @inlinable
    public mutating func local(_ utc: Int64, account: Int) -> Int64 {
        let z = account >= 0 && account < zoneOf.count ? Int(zoneOf[account]) : -1
        let off: Int32 = (z >= 0 && z < cursors.count) ? (cursors[z]?.offset(at: utc) ?? 0) : 0
        return utc + Int64(off)
    }
}
