import Foundation
import RecoupStore

/// A cron expression evaluated in an IANA time zone. Daylight-saving rules: a wall time that does not
/// exist (the clocks spring forward over it) runs at the first instant after the gap; a wall time that
/// happens twice (the clocks fall back) runs once, at its first occurrence. Times are seconds since the
/// epoch (UTC).
public struct Schedule: Sendable, CustomStringConvertible {
    public let cron: CronExpression
    public let timeZone: String
    let zone: TimeZoneTable

    public init(cron: CronExpression, timeZone: String) throws {
        guard let z = TimeZoneCache.shared.table(timeZone) else {
            throw RecoupError(.usage, "unknown time zone `\(timeZone)`", details: "use an IANA zone name such as Europe/Berlin or America/New_York")
        }
        self.cron = cron
        self.timeZone = timeZone
        self.zone = z
    }

    public var description: String { "\(cron.text) \(timeZone)" }

    /// How far `next` and `previous` look before giving up (an expression such as `0 0 30 2 *` never runs).
    static let horizonDays: Int32 = 366 * 5

    /// The local civil day holding instant `t`.
    public func localDay(_ t: Int64) -> Int32 { CivilDate.day(ofSeconds: t + Int64(zone.offset(at: t))) }

    /// The instant a local wall time (seconds since the local epoch) runs at, under the rules above.
    func instant(local l: Int64) -> Int64 {
        let before = Int64(zone.offset(at: l - 86_400 * 2 + 0))
        let after = Int64(zone.offset(at: l + 86_400 * 2))
        var valid: [Int64] = []
        for o in Set([before, after]) {
            let u = l - o
            if Int64(zone.offset(at: u)) == o { valid.append(u) }
        }
        if let first = valid.min() { return first }
        // In a gap: the first valid instant after it is the transition itself.
        return zone.interval(at: l - before).start
    }

    /// The instants the schedule runs at on local day `day`, ascending, each once.
    public func instants(onLocalDay day: Int32) -> [Int64] {
        guard cron.matches(day: day) else { return [] }
        let midnight = Int64(day) * 86_400
        var out: [Int64] = []
        // Wall time to instant never goes backwards (a gap maps to its end, a repeat to its first
        // occurrence), so equal instants are neighbours.
        for s in cron.timesOfDay {
            let u = instant(local: midnight + Int64(s))
            if out.last != u { out.append(u) }
        }
        return out
    }

    /// The first run strictly after `t`, or nil when there is none within five years.
    public func next(after t: Int64) -> Int64? {
        let start = localDay(t) - 1
        for d in start...(start + Self.horizonDays) {
            if let u = instants(onLocalDay: d).first(where: { $0 > t }) { return u }
        }
        return nil
    }

    /// The latest run at or before `t`, or nil when there is none within five years.
    public func previous(atOrBefore t: Int64) -> Int64? {
        let start = localDay(t) + 1
        for d in stride(from: start, through: start - Self.horizonDays, by: -1) {
            if let u = instants(onLocalDay: d).last(where: { $0 <= t }) { return u }
        }
        return nil
    }

    /// An instant as local wall time with its offset: `2025-03-09T03:00:00-04:00`.
    public func format(_ t: Int64) -> String { Self.format(t, offset: Int(zone.offset(at: t))) }

    public static func format(_ t: Int64, offset: Int) -> String {
        let l = t + Int64(offset)
        let day = CivilDate.day(ofSeconds: l)
        let s = Int(l - Int64(day) * 86_400)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let o = abs(offset) / 60
        let zoneText = offset == 0 ? "Z" : (offset < 0 ? "-" : "+") + two(o / 60) + ":" + two(o % 60)
        return CivilDate.format(day) + "T" + two(s / 3600) + ":" + two(s / 60 % 60) + ":" + two(s % 60) + zoneText
    }
}
