/// Interns byte strings to dense Int32 codes (0, 1, 2, … in order of first
/// sight) with an open-addressing hash table over one byte heap, so looking
/// up an id from a CSV field allocates nothing.
public struct ByteInterner: Sendable {
    public private(set) var heap: [UInt8] = []
    public private(set) var offsets: [Int32] = [0]
    /// Per slot: 0 when empty, else (fingerprint << 32) | (code + 1); the
    /// fingerprint (high hash bits, never 0) spares most byte comparisons.
    private var slots: [UInt64]
    private var mask: Int

    public init(capacity: Int = 1024) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = [UInt64](repeating: 0, count: n)
        mask = n - 1
    }

    public var count: Int { offsets.count - 1 }

    @inlinable
    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        // Word-at-a-time multiply-xorshift; ids are short.
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        var i = 0
        let n = b.count
        while i + 8 <= n {
            h = (h ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(b[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xc4ce_b9fe_1a85_ec53
        return h ^ (h >> 29)
    }

    @inline(__always)
    static func fingerprint(_ h: UInt64) -> UInt64 { (h >> 32) | 1 }

    /// The slot holding `bytes`, or the empty slot where it would go.
    @inline(__always)
    private func probe(_ bytes: UnsafeRawBufferPointer, _ h: UInt64) -> (slot: Int, code: Int32?) {
        var s = Int(truncatingIfNeeded: h) & mask
        let fp = Self.fingerprint(h)
        return heap.withUnsafeBytes { heapBytes in
            offsets.withUnsafeBufferPointer { offs in
                slots.withUnsafeBufferPointer { sl in
                    while true {
                        let v = sl[s]
                        if v == 0 { return (s, nil) }
                        if v >> 32 == fp {
                            let code = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
                            let lo = Int(offs[code]), hi = Int(offs[code + 1])
                            if hi - lo == bytes.count && (bytes.count == 0 || memcmp(heapBytes.baseAddress! + lo, bytes.baseAddress!, bytes.count) == 0) {
                                return (s, Int32(code))
                            }
                        }
                        s = (s + 1) & mask
                    }
                }
            }
        }
    }

    /// The code of `bytes`, or nil when it was never interned.
    public func find(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        probe(bytes, Self.hash(bytes)).code
    }

    /// The code of `bytes`, interning it when new; `isNew` tells which.
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> (code: Int32, isNew: Bool) {
        let h = Self.hash(bytes)
        let (slot, found) = probe(bytes, h)
        if let found { return (found, false) }
        let code = Int32(count)
        heap.append(contentsOf: bytes)
        offsets.append(Int32(heap.count))
        slots[slot] = (Self.fingerprint(h) << 32) | UInt64(code + 1)
        if count * 2 > slots.count { grow() }
        return (code, true)
    }

    public mutating func intern(_ s: String) -> Int32 {
        var s = s
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)).code }
    }

    public func find(_ s: String) -> Int32? {
        var s = s
        return s.withUTF8 { find(UnsafeRawBufferPointer($0)) }
    }

    public subscript(code: Int32) -> String {
        let lo = Int(offsets[Int(code)]), hi = Int(offsets[Int(code) + 1])
        return String(decoding: heap[lo..<hi], as: UTF8.self)
    }

    /// The bytes of `code`.
    public func withBytes<R>(_ code: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let lo = Int(offsets[Int(code)]), hi = Int(offsets[Int(code) + 1])
        return heap.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[lo..<hi])) }
    }

    public var strings: [String] { (0..<count).map { self[Int32($0)] } }

    private mutating func grow() {
        let n = slots.count * 2
        var fresh = [UInt64](repeating: 0, count: n)
        let m = n - 1
        heap.withUnsafeBytes { h in
            for code in 0..<count {
                let hv = Self.hash(UnsafeRawBufferPointer(rebasing: h[Int(offsets[code])..<Int(offsets[code + 1])]))
                var s = Int(truncatingIfNeeded: hv) & m
                while fresh[s] != 0 { s = (s + 1) & m }
                fresh[s] = (Self.fingerprint(hv) << 32) | UInt64(code + 1)
            }
        }
        slots = fresh
        mask = m
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
