#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Borrowed, unchecked access to the strings of a `StringColumn` while it is pinned.
struct StringView {
    let offsets: UnsafeBufferPointer<Int32>
    let bytes: UnsafeRawBufferPointer

    var count: Int { offsets.count - 1 }

    @inline(__always)
    func length(_ i: Int) -> Int { Int(offsets[i + 1] &- offsets[i]) }

    @inline(__always)
    subscript(i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[i])..<Int(offsets[i + 1])])
    }

    /// The bytes of every string, back to back.
    var heap: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[0])..<Int(offsets[count])])
    }
}

extension StringColumn {
    func withView<R>(_ body: (StringView) throws -> R) rethrows -> R {
        try offsets.withUnsafeBufferPointer { o in
            try bytes.withUnsafeBytes { b in try body(StringView(offsets: o, bytes: b)) }
        }
    }
}

enum ByteStrings {
    /// Copies `count` bytes between non-overlapping buffers; short strings (the common case
    /// in a column) take two overlapping word moves instead of a call to memcpy.
    @inline(__always)
    static func copy(_ dst: UnsafeMutableRawPointer, _ src: UnsafeRawPointer, count n: Int) {
        if n > 16 {
            dst.copyMemory(from: src, byteCount: n)
        } else if n >= 8 {
            let head = src.loadUnaligned(as: UInt64.self)
            let tail = src.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            dst.storeBytes(of: head, as: UInt64.self)
            dst.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            let head = src.loadUnaligned(as: UInt32.self)
            let tail = src.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            dst.storeBytes(of: head, as: UInt32.self)
            dst.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
        } else {
            for i in 0..<n { dst.storeBytes(of: src.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
        }
    }

    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// Byte-wise lexicographic order (which is code-point order for UTF-8).
    @inline(__always)
    static func less(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let common = min(a.count, b.count)
        if common > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, common)
            if c != 0 { return c < 0 }
        }
        return a.count < b.count
    }
}
