import Foundation
import RecoupStore

/// Money as text: cents with exactly two fraction digits.
public enum Money {
    /// Cents as a decimal with exactly 2 fraction digits: `-12.05`.
    public static func format(_ cents: Int64) -> String {
        let negative = cents < 0
        let m = cents.magnitude
        let units = m / 100, frac = m % 100
        return (negative ? "-" : "") + String(units) + "." + (frac < 10 ? "0" : "") + String(frac)
    }
}

/// Decimals with at least 6 significant digits (we print 10) and never an exponent.
public enum Decimal6 {
    /// `x` with 10 significant digits (`%.Nf`, N = 9 − its decimal exponent), trailing zeros removed.
    public static func format(_ x: Double) -> String {
        guard x.isFinite else { return "" }
        if x == 0 { return "0" }
        let e = Int(floor(log10(abs(x))))
        let decimals = min(max(0, 9 - e), 30)
        if let fast = fixed(x, decimals) { return fast }
        var s = String(format: "%.\(decimals)f", x)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s == "-0" { s = "0" }
        return s
    }

    private static let powers: [Double] = (0...22).map { pow(10, Double($0)) }

    /// What `%.{decimals}f` with trailing zeros trimmed prints, without `printf`, when that can be
    /// told exactly: 10^decimals is exact, the scaled value fits 2^52, and FMA gives the product's
    /// rounding error, so the exact scaled value is known to well under one unit; values within 1e-7
    /// of a rounding tie return nil (the caller then asks `printf`, which rounds the exact binary value).
    static func fixed(_ x: Double, _ decimals: Int) -> String? {
        guard decimals <= 22 else { return nil }
        let p = powers[decimals]
        let scaled = abs(x) * p
        guard scaled < 4.5e15 else { return nil }
        let err = fma(abs(x), p, -scaled)
        let whole = floor(scaled)
        let fraction = (scaled - whole) + err
        guard abs(fraction - 0.5) > 1e-7, fraction > -0.5, fraction < 1.5 else { return nil }
        var m = UInt64(whole) &+ (fraction > 0.5 ? 1 : 0)
        // Digits of m with the point `decimals` from the right; trailing zeros of the fraction dropped.
        var places = decimals
        while places > 0 && m % 10 == 0 { m /= 10; places -= 1 }
        if m == 0 { return "0" }
        var digits = [UInt8](repeating: 0, count: 24)
        var n = 0
        var v = m
        while v > 0 { digits[n] = UInt8(v % 10) + 48; v /= 10; n += 1 }
        var out = [UInt8]()
        out.reserveCapacity(n + places + 3)
        if x < 0 { out.append(45) }
        if n <= places {
            out.append(48); out.append(46)
            for _ in 0..<(places - n) { out.append(48) }
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(digits[i]) }
        } else {
            for i in stride(from: n - 1, through: 0, by: -1) {
                out.append(digits[i])
                if i == places && places > 0 { out.append(46) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
