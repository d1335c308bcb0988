/// Interns byte strings to dense Int32 codes (0, 1, 2, … in order of first
/// sight) with an open-addressing hash table over one byte heap, so looking
/// up an id from a CSV field allocates nothing.
public struct ByteInterner: Sendable {
    public private(set) var heap: [UInt8] = []
    public private(set) var offsets: [Int32] = [0]
    private var hashes: [UInt32] = []
    private var slots: [Int32]
    private var mask: Int

    public init(capacity: Int = 1024) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = [Int32](repeating: -1, count: n)
        mask = n - 1
    }

    public var count: Int { offsets.count - 1 }

    @inlinable
    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        // FNV-1a over 8-byte words, then a final mix; ids are short.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        let n = b.count
        while i + 8 <= n {
            h = (h ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x1000_0000_01b3
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(b[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail ^ UInt64(n)) &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 32)
    }

    /// The code of `bytes`, or nil when it was never interned.
    public func find(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        let h = Self.hash(bytes)
        var s = Int(truncatingIfNeeded: h) & mask
        let h32 = UInt32(truncatingIfNeeded: h)
        return heap.withUnsafeBytes { heapBytes in
            while true {
                let code = slots[s]
                if code < 0 { return nil }
                if hashes[Int(code)] == h32 && equal(Int(code), bytes, heapBytes) { return code }
                s = (s + 1) & mask
            }
        }
    }

    /// The code of `bytes`, interning it when new; `isNew` tells which.
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> (code: Int32, isNew: Bool) {
        let h = Self.hash(bytes)
        let h32 = UInt32(truncatingIfNeeded: h)
        var s = Int(truncatingIfNeeded: h) & mask
        let found: Int32? = heap.withUnsafeBytes { heapBytes in
            while true {
                let code = slots[s]
                if code < 0 { return nil }
                if hashes[Int(code)] == h32 && equal(Int(code), bytes, heapBytes) { return code }
                s = (s + 1) & mask
            }
        }
        if let found { return (found, false) }
        let code = Int32(count)
        heap.append(contentsOf: bytes)
        offsets.append(Int32(heap.count))
        hashes.append(h32)
        slots[s] = code
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

    public var strings: [String] { (0..<count).map { self[Int32($0)] } }

    @inline(__always)
    private func equal(_ code: Int, _ b: UnsafeRawBufferPointer, _ heapBytes: UnsafeRawBufferPointer) -> Bool {
        let lo = Int(offsets[code]), hi = Int(offsets[code + 1])
        guard hi - lo == b.count else { return false }
        if b.count == 0 { return true }
        return memcmp(heapBytes.baseAddress! + lo, b.baseAddress!, b.count) == 0
    }

    private mutating func grow() {
        let n = slots.count * 2
        slots = [Int32](repeating: -1, count: n)
        mask = n - 1
        for code in 0..<count {
            let h = heap.withUnsafeBytes { Self.hash(UnsafeRawBufferPointer(rebasing: $0[Int(offsets[code])..<Int(offsets[code + 1])])) }
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(code)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
