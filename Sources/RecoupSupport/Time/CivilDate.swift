/// Calendar arithmetic on days since 1970-01-01 (proleptic Gregorian),
/// after Howard Hinnant's `days_from_civil` / `civil_from_days`.
public enum CivilDate {
    @inlinable
    public static func days(year: Int, month: Int, day: Int) -> Int32 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int32(era * 146097 + doe - 719468)
    }

    @inlinable
    public static func civil(_ days: Int32) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    @inlinable
    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Monday = 0 ... Sunday = 6.
    @inlinable
    public static func weekday(_ days: Int32) -> Int {
        // 1970-01-01 was a Thursday (3).
        let r = (Int(days) + 3) % 7
        return r < 0 ? r + 7 : r
    }

    /// Months since year 0 (`year * 12 + month - 1`), for cohort arithmetic.
    @inlinable
    public static func monthIndex(_ days: Int32) -> Int {
        let c = civil(days)
        return c.year * 12 + c.month - 1
    }

    /// The day (since 1970-01-01) holding `seconds` since the epoch, rounding down for times before 1970.
    @inlinable
    public static func day(ofSeconds seconds: Int64) -> Int32 {
        Int32(truncatingIfNeeded: seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
    }

    /// The first and last day of month `monthIndex` (`year * 12 + month - 1`).
    public static func monthStart(_ monthIndex: Int) -> Int32 {
        days(year: monthIndex / 12, month: monthIndex % 12 + 1, day: 1)
    }
    public static func monthEnd(_ monthIndex: Int) -> Int32 { monthStart(monthIndex + 1) - 1 }

    public static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// `YYYY-MM-DD`
    public static func format(_ days: Int32) -> String {
        let c = civil(days)
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    /// Parses a strict `YYYY-MM-DD` real calendar date.
    public static func parse(_ s: String) -> Int32? {
        var s = s
        return s.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    @inlinable
    public static func parse(_ b: UnsafeRawBufferPointer) -> Int32? {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        guard let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2) else { return nil }
        guard y >= 1, m >= 1, m <= 12, d >= 1, d <= daysInMonth(year: y, month: m) else { return nil }
        return days(year: y, month: m, day: d)
    }

    @inlinable
    public static func digits(_ b: UnsafeRawBufferPointer, _ at: Int, _ n: Int) -> Int? {
        var v = 0
        for i in at..<(at + n) {
            let c = b[i] &- 0x30
            guard c < 10 else { return nil }
            v = v * 10 + Int(c)
        }
        return v
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
