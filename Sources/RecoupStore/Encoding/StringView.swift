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
