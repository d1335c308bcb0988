import Foundation
import RecoupStore

/// A growable byte buffer that rows are formatted into by hand: integers, cents, dates and
/// timestamps are written digit by digit, never through String.
///
/// Callers `reserve` room for a whole row first and then append without bounds checks.
final class ByteBuffer: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0

    /// The longest row any writer appends after one `reserve(rowLimit)`.
    static let rowLimit = 320

    init(capacity: Int) {
        self.capacity = max(capacity, 1024)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        p.update(from: base, count: count)
        base.deallocate()
        base = p
        capacity = c
    }

    @inline(__always)
    func byte(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    @inline(__always)
    func comma() { byte(0x2C) }

    @inline(__always)
    func newline() { byte(0x0A) }

    @inline(__always)
    func bytes(_ a: [UInt8]) {
        a.withUnsafeBufferPointer { src in
            (base + count).update(from: src.baseAddress!, count: src.count)
        }
        count += a.count
    }

    /// `v` in exactly `width` digits, zero-padded (v must fit).
    @inline(__always)
    func padded(_ v: Int, width: Int) {
        var x = v
        var i = count + width - 1
        while i >= count {
            base[i] = UInt8(truncatingIfNeeded: 0x30 + x % 10)
            x /= 10
            i -= 1
        }
        count += width
    }

    /// A non-negative integer in as many digits as it needs.
    @inline(__always)
    func int(_ v: Int) {
        if v < 10 {
            byte(UInt8(truncatingIfNeeded: 0x30 + v))
            return
        }
        var n = 0
        var x = v
        while x > 0 { n += 1; x /= 10 }
        padded(v, width: n)
    }

    /// Money from cents, always two decimals: `-12.05`.
    @inline(__always)
    func cents(_ v: Int64) {
        var x = v
        if x < 0 {
            byte(0x2D)
            x = -x
        }
        int(Int(x / 100))
        byte(0x2E)
        padded(Int(x % 100), width: 2)
    }

    /// `YYYY-MM-DD`.
    @inline(__always)
    func date(_ d: Int32) {
        let c = CivilDate.civil(d)
        padded(c.year, width: 4)
        byte(0x2D)
        padded(c.month, width: 2)
        byte(0x2D)
        padded(c.day, width: 2)
    }

    /// `YYYY-MM-DDTHH:MM[:SS]` for `seconds` since the epoch, in whatever frame it is given.
    @inline(__always)
    func dateTime(_ seconds: Int64, withSeconds: Bool) {
        var day = seconds / 86400
        var sod = seconds % 86400
        if sod < 0 { sod += 86400; day -= 1 }
        date(Int32(day))
        byte(0x54)  // T
        padded(Int(sod / 3600), width: 2)
        byte(0x3A)
        padded(Int(sod / 60 % 60), width: 2)
        if withSeconds {
            byte(0x3A)
            padded(Int(sod % 60), width: 2)
        }
    }

    /// `±HH:MM`.
    @inline(__always)
    func offset(_ seconds: Int32) {
        var s = Int(seconds)
        if s < 0 { byte(0x2D); s = -s } else { byte(0x2B) }
        padded(s / 3600, width: 2)
        byte(0x3A)
        padded(s / 60 % 60, width: 2)
    }

    /// Writes `count` bytes to `file`; false on a short write.
    func write(to file: UnsafeMutablePointer<FILE>) -> Bool {
        if count == 0 { return true }
        return fwrite(base, 1, count, file) == count
    }
}

extension String {
    var utf8Bytes: [UInt8] { Array(self.utf8) }
}
