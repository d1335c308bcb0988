/// Strict parsers for the value formats of DATA.md. Each returns the stored
/// value or a reason a person can act on; none rounds, truncates or guesses.
public enum FieldParsers {
    public enum Result<T> {
        case ok(T)
        case bad(String)
    }

    /// Text with no control characters and valid UTF-8.
    @inlinable
    public static func checkText(_ b: UnsafeRawBufferPointer) -> String? {
        var ascii = true
        for c in b {
            if c < 0x20 || c == 0x7F { return "contains a control character" }
            if c >= 0x80 { ascii = false }
        }
        if ascii { return nil }
        guard let s = String(validating: b, as: UTF8.self) else { return "is not valid UTF-8" }
        for u in s.unicodeScalars where u.properties.generalCategory == .control {
            return "contains a control character"
        }
        return nil
    }

    /// An id: 1 to 64 bytes, no control characters.
    @inlinable
    public static func checkID(_ b: UnsafeRawBufferPointer) -> String? {
        if b.count == 0 { return "is empty" }
        if b.count > 64 { return "is longer than 64 bytes (\(b.count))" }
        return checkText(b)
    }

    /// Money: optional `-`, digits, optionally `.` and 1 or 2 digits → cents.
    @inlinable
    public static func money(_ b: UnsafeRawBufferPointer) -> Result<Int64> {
        let n = b.count
        var i = 0
        var negative = false
        if n > 0 && b[0] == 0x2D { negative = true; i = 1 }
        let intStart = i
        var units: Int64 = 0
        while i < n, b[i] &- 0x30 < 10 {
            let (m, o1) = units.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b[i] &- 0x30))
            if o1 || o2 { return .bad("is too large") }
            units = a
            i += 1
        }
        if i == intStart { return .bad("is not a decimal amount") }
        var cents: Int64 = 0
        if i < n {
            if b[i] == 0x2C { return .bad("has a thousands separator or decimal comma (use `.` and no separators)") }
            guard b[i] == 0x2E else { return .bad("is not a decimal amount") }
            i += 1
            let fracStart = i
            while i < n, b[i] &- 0x30 < 10 { i += 1 }
            let digits = i - fracStart
            if i < n { return .bad("is not a decimal amount") }
            if digits == 0 { return .bad("has no digits after the decimal point") }
            if digits > 2 { return .bad("has more than 2 fraction digits (no silent rounding)") }
            cents = Int64(b[fracStart] &- 0x30) * 10
            if digits == 2 { cents += Int64(b[fracStart + 1] &- 0x30) }
        }
        let (m, o1) = units.multipliedReportingOverflow(by: 100)
        let (v, o2) = m.addingReportingOverflow(cents)
        if o1 || o2 { return .bad("is too large") }
        return .ok(negative ? -v : v)
    }

    /// A decimal integer with optional `-`.
    @inlinable
    public static func int(_ b: UnsafeRawBufferPointer) -> Result<Int64> {
        let n = b.count
        var i = 0
        var negative = false
        if n > 0 && b[0] == 0x2D { negative = true; i = 1 }
        if i == n { return .bad("is not an integer") }
        var v: Int64 = 0
        while i < n {
            let d = b[i] &- 0x30
            guard d < 10 else { return .bad("is not an integer") }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return .bad("is out of range") }
            v = a
            i += 1
        }
        return .ok(negative ? -v : v)
    }

    @inlinable
    public static func date(_ b: UnsafeRawBufferPointer) -> Result<Int32> {
        if let d = CivilDate.parse(b) { return .ok(d) }
        if b.count == 10, b[4] == 0x2D, b[7] == 0x2D { return .bad("is not a real calendar date") }
        return .bad("is not a date of the form YYYY-MM-DD")
    }

    /// ISO 8601 `YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM|±HHMM)` → seconds since epoch, UTC.
    @inlinable
    public static func timestamp(_ b: UnsafeRawBufferPointer) -> Result<Int64> {
        let n = b.count
        guard n >= 16, b[10] == 0x54 || b[10] == 0x74 else {
            return .bad("is not an ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SSZ or with an offset)")
        }
        guard let day = CivilDate.parse(UnsafeRawBufferPointer(rebasing: b[0..<10])) else {
            return .bad("does not start with a real calendar date")
        }
        guard b[13] == 0x3A, let hh = CivilDate.digits(b, 11, 2), let mm = CivilDate.digits(b, 14, 2), hh < 24, mm < 60 else {
            return .bad("has an invalid time of day")
        }
        var i = 16
        var ss = 0
        if i < n && b[i] == 0x3A {
            guard i + 3 <= n, let s = CivilDate.digits(b, i + 1, 2), s < 60 else { return .bad("has invalid seconds") }
            ss = s
            i += 3
            if i < n && (b[i] == 0x2E || b[i] == 0x2C) { return .bad("has fractional seconds (whole seconds only; no silent truncation)") }
        }
        if i == n { return .bad("has no time zone (add Z or an offset such as -05:00)") }
        var offset = 0
        let z = b[i]
        if z == 0x5A || z == 0x7A {
            guard i + 1 == n else { return .bad("has trailing characters after Z") }
        } else if z == 0x2B || z == 0x2D {
            let rest = n - i - 1
            var oh = 0, om = 0
            if rest == 5 && b[i + 3] == 0x3A, let h = CivilDate.digits(b, i + 1, 2), let m = CivilDate.digits(b, i + 4, 2) {
                oh = h; om = m
            } else if rest == 4, let h = CivilDate.digits(b, i + 1, 2), let m = CivilDate.digits(b, i + 3, 2) {
                oh = h; om = m
            } else if rest == 2, let h = CivilDate.digits(b, i + 1, 2) {
                oh = h
            } else {
                return .bad("has an invalid UTC offset")
            }
            guard oh <= 18, om < 60 else { return .bad("has an invalid UTC offset") }
            offset = (oh * 3600 + om * 60) * (z == 0x2D ? -1 : 1)
        } else {
            return .bad("has an invalid time zone designator")
        }
        let local = Int64(day) * 86400 + Int64(hh * 3600 + mm * 60 + ss)
        return .ok(local - Int64(offset))
    }

    /// The code of `b` among `values` (exact lowercase words).
    @inlinable
    public static func enumCode(_ b: UnsafeRawBufferPointer, _ values: [[UInt8]]) -> UInt8? {
        for (k, v) in values.enumerated() where v.count == b.count {
            if v.withUnsafeBytes({ memcmp($0.baseAddress!, b.baseAddress!, b.count) }) == 0 { return UInt8(k) }
        }
        return nil
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
