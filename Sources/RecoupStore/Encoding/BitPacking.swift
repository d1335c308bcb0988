#if _endian(big)
#error("the block format is little-endian and is read with native loads")
#endif

/// Something that yields the `i`-th value to pack, already made non-negative
/// (an offset from a frame of reference) and below `1 << width`.
protocol PackSource {
    func packed(at i: Int) -> UInt64
}

/// Frame-of-reference bit-packing in groups of 1024 values.
///
/// A full group of 1024 values at width `w` takes `128 * w` bytes in a lane layout:
/// with `W` = `UInt32` when `w <= 32` (32 lanes of 32 values) or `UInt64` otherwise
/// (16 lanes of 64 values), value `j * lanes + l` is the `j`-th value of lane `l`, and
/// word `k` of lane `l` is stored at word index `k * lanes + l`. Every lane shifts by the
/// same amount at the same step, so unpacking is a scalar loop over the lanes that the
/// compiler vectorizes. The last `count % 1024` values follow as one little-endian
/// bit stream of 64-bit words (`ceil(tail * w / 64)` words).
enum BitPacking {
    static let groupCount = 1024

    /// The bits needed to hold every value in `0...range`.
    @inline(__always)
    static func width(of range: UInt64) -> Int {
        UInt64.bitWidth - range.leadingZeroBitCount
    }

    /// The exact number of bytes `count` values of `width` bits take.
    static func byteCount(count: Int, width: Int) -> Int {
        (count / groupCount) * (groupCount / 8) * width + ((count % groupCount) * width + 63) / 64 * 8
    }

    // MARK: Packing

    /// Appends `count` values of `width` bits (0...64) from `source`.
    static func pack<S: PackSource>(_ source: S, count: Int, width: Int, into writer: inout ByteWriter) {
        guard width > 0, count > 0 else { return }
        let size = byteCount(count: count, width: width)
        let start = writer.appendZeros(size)
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: groupCount)
        defer { words.deallocate() }
        let words32 = UnsafeMutablePointer<UInt32>.allocate(capacity: groupCount)
        defer { words32.deallocate() }
        writer.bytes.withUnsafeMutableBytes { raw in
            var out = raw.baseAddress! + start
            let groups = count / groupCount
            let groupBytes = (groupCount / 8) * width
            for g in 0..<groups {
                if width <= 32 {
                    packGroup(source, first: g * groupCount, width: width, words: words32)
                    out.copyMemory(from: words32, byteCount: groupBytes)
                } else {
                    packGroup(source, first: g * groupCount, width: width, words: words)
                    out.copyMemory(from: words, byteCount: groupBytes)
                }
                out += groupBytes
            }
            let tail = count - groups * groupCount
            if tail > 0 {
                let tailWords = (tail * width + 63) / 64
                words.update(repeating: 0, count: tailWords)
                let first = groups * groupCount
                for i in 0..<tail {
                    let v = source.packed(at: first + i)
                    let bit = i * width, wi = bit >> 6, sh = bit & 63
                    words[wi] |= v &<< UInt64(sh)
                    if sh + width > 64 { words[wi + 1] |= v &>> UInt64(64 - sh) }
                }
                out.copyMemory(from: words, byteCount: tailWords * 8)
            }
        }
    }

    @inline(__always)
    private static func packGroup<W: FixedWidthInteger & UnsignedInteger, S: PackSource>(
        _ source: S, first: Int, width w: Int, words: UnsafeMutablePointer<W>
    ) {
        let bits = W.bitWidth, lanes = groupCount / bits
        words.update(repeating: 0, count: lanes * w)
        for j in 0..<bits {
            let bit = j * w, wi = bit / bits, sh = bit % bits
            let lo = words + wi * lanes
            let spills = sh + w > bits
            for l in 0..<lanes {
                let v = source.packed(at: first + j * lanes + l)
                lo[l] |= W(truncatingIfNeeded: v) &<< W(sh)
                if spills { lo[lanes + l] |= W(truncatingIfNeeded: v &>> UInt64(bits - sh)) }
            }
        }
    }

    // MARK: Unpacking

    /// Unpacks `count` values of `width` bits (1...32) from `src` (at least
    /// `byteCount(count:width:)` bytes) and hands them to `body` in order, in chunks of at most 1024.
    @inline(__always)
    static func unpack32(
        _ src: UnsafeRawBufferPointer, count: Int, width: Int,
        _ body: (_ start: Int, _ chunk: UnsafeBufferPointer<UInt32>) -> Void
    ) {
        unpack(src, count: count, width: width, as: UInt32.self, body)
    }

    /// As `unpack32`, for widths 1...64.
    @inline(__always)
    static func unpack64(
        _ src: UnsafeRawBufferPointer, count: Int, width: Int,
        _ body: (_ start: Int, _ chunk: UnsafeBufferPointer<UInt64>) -> Void
    ) {
        unpack(src, count: count, width: width, as: UInt64.self, body)
    }

    @inline(__always)
    private static func unpack<W: FixedWidthInteger & UnsignedInteger>(
        _ src: UnsafeRawBufferPointer, count: Int, width: Int, as: W.Type,
        _ body: (_ start: Int, _ chunk: UnsafeBufferPointer<W>) -> Void
    ) {
        precondition(width > 0 && width <= W.bitWidth && src.count >= byteCount(count: count, width: width))
        guard count > 0 else { return }
        let scratch = UnsafeMutablePointer<W>.allocate(capacity: groupCount)
        defer { scratch.deallocate() }
        var p = src.baseAddress!
        let groups = count / groupCount
        let groupBytes = (groupCount / 8) * width
        for g in 0..<groups {
            unpackGroup(p, width: width, into: scratch)
            body(g * groupCount, UnsafeBufferPointer(start: scratch, count: groupCount))
            p += groupBytes
        }
        let tail = count - groups * groupCount
        if tail > 0 {
            unpackTail(p, count: tail, width: width, into: scratch)
            body(groups * groupCount, UnsafeBufferPointer(start: scratch, count: tail))
        }
    }

    /// Unpacks one full group of 1024 values; `width` in 1...W.bitWidth.
    @inline(__always)
    static func unpackGroup<W: FixedWidthInteger & UnsignedInteger>(
        _ src: UnsafeRawPointer, width w: Int, into out: UnsafeMutablePointer<W>
    ) {
        let bits = W.bitWidth, lanes = groupCount / bits, stride = MemoryLayout<W>.size
        let mask: W = w == bits ? ~0 : (1 &<< W(w)) &- 1
        for j in 0..<bits {
            let bit = j * w, wi = bit / bits, sh = bit % bits
            let lo = src + wi * lanes * stride
            let o = out + j * lanes
            if sh + w <= bits {
                for l in 0..<lanes {
                    o[l] = (lo.loadUnaligned(fromByteOffset: l * stride, as: W.self) &>> W(sh)) & mask
                }
            } else {
                let hi = lo + lanes * stride
                for l in 0..<lanes {
                    let a = lo.loadUnaligned(fromByteOffset: l * stride, as: W.self) &>> W(sh)
                    let b = hi.loadUnaligned(fromByteOffset: l * stride, as: W.self) &<< W(bits - sh)
                    o[l] = (a | b) & mask
                }
            }
        }
    }

    /// Unpacks the tail bit stream of `count` (< 1024) values.
    @inline(__always)
    static func unpackTail<W: FixedWidthInteger & UnsignedInteger>(
        _ src: UnsafeRawPointer, count: Int, width w: Int, into out: UnsafeMutablePointer<W>
    ) {
        let mask: UInt64 = w == 64 ? ~0 : (1 &<< UInt64(w)) &- 1
        for i in 0..<count {
            let bit = i * w, wi = bit >> 6, sh = bit & 63
            var v = src.loadUnaligned(fromByteOffset: wi * 8, as: UInt64.self) &>> UInt64(sh)
            if sh + w > 64 {
                v |= src.loadUnaligned(fromByteOffset: (wi + 1) * 8, as: UInt64.self) &<< UInt64(64 - sh)
            }
            out[i] = W(truncatingIfNeeded: v & mask)
        }
    }
}

/// Values minus a frame of reference, in wrapping 64-bit arithmetic so that any
/// `max - min` of the column's type is representable.
struct FrameOfReferenceSource<T: FixedWidthInteger>: PackSource {
    let values: UnsafeBufferPointer<T>
    let base: Int64

    @inline(__always)
    func packed(at i: Int) -> UInt64 {
        UInt64(bitPattern: Int64(truncatingIfNeeded: values[i]) &- base)
    }
}

/// Differences between consecutive values, taken in the type's own wrapping
/// arithmetic, minus the smallest difference. Element `i` is `values[i + 1] - values[i]`.
struct DeltaSource<T: FixedWidthInteger>: PackSource {
    let values: UnsafeBufferPointer<T>
    let minDelta: Int64

    @inline(__always)
    func packed(at i: Int) -> UInt64 {
        UInt64(bitPattern: Int64(truncatingIfNeeded: values[i + 1] &- values[i]) &- minDelta)
    }
}
