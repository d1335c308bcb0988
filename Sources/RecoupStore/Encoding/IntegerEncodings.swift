/// The encoding chosen for one integer stream and what choosing it collected.
struct IntegerPlan<T: FixedWidthInteger> {
    var encoding: Encoding
    /// Payload bytes, without a nested stream's leading encoding byte.
    var size: Int
    var stats: IntegerStats
    /// Sorted distinct values, when the plan is a dictionary.
    var dictionary: [T]
    /// The dictionary's hash table, and for each id in it the value's rank in `dictionary`.
    var distinct: DistinctIntegers?
    var ranks: [Int32]
}

/// Lightweight encodings of integer streams.
///
/// Payloads, for `count` values known from the context:
/// - plain: `count` little-endian values of the type's size;
/// - constant: the value as Int64;
/// - bitpack: a frame-of-reference block: Int64 base, UInt8 width, `BitPacking` data;
/// - deltaBitpack: Int64 first value, then a frame-of-reference block of the `count - 1`
///   differences (taken in the type's wrapping arithmetic);
/// - rle: UInt32 run count, a frame-of-reference block of run values, one of run lengths;
/// - dictionary: UInt32 size, a nested stream (UInt8 encoding, payload; no dictionary) of the
///   sorted distinct values, then UInt8 width and `BitPacking` data of the codes.
enum IntegerCodec {
    /// Top-level candidates, in order of preference when sizes tie (faster decode first).
    static let allEncodings: [Encoding] = [.constant, .plain, .bitpack, .deltaBitpack, .rle, .dictionary]
    static let withoutDictionary: [Encoding] = [.constant, .plain, .bitpack, .deltaBitpack, .rle]
    /// A dictionary larger than this is never tried by the chooser.
    static let maxDictionaryCount = 1 << 16

    // MARK: Choosing

    /// Sizes every candidate on `values` and keeps the smallest; nil if none applies.
    /// With `force`, a dictionary is collected however many distinct values there are.
    static func plan<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, candidates: [Encoding], force: Bool = false
    ) -> IntegerPlan<T>? {
        let stats = IntegerStats(values)
        var distinct: DistinctIntegers?
        var dictionary: [T] = []
        var dictionarySize: (count: Int, size: Int)?
        if candidates.contains(.dictionary) {
            // Codes must come out narrower than the frame-of-reference width to win.
            let width = BitPacking.width(of: stats.valueRange)
            let narrower = width >= 2 ? 1 << min(width - 1, 62) : 0
            let limit = force ? Int.max : min(narrower, maxDictionaryCount, values.count / 2)
            if limit > 0 || force {
                distinct = DistinctIntegers.collect(values, limit: limit)
            }
            if let distinct {
                dictionary = distinct.values.sorted().map { T(truncatingIfNeeded: $0) }
                dictionarySize = (dictionary.count, dictionary.withUnsafeBufferPointer { nestedSize($0) })
            }
        }
        var best: (encoding: Encoding, size: Int)?
        for candidate in candidates {
            guard let size = stats.size(of: candidate, elementSize: MemoryLayout<T>.size, dictionary: dictionarySize)
            else { continue }
            if best == nil || size < best!.size { best = (candidate, size) }
        }
        guard let best else { return nil }
        guard best.encoding == .dictionary, let distinct else {
            return IntegerPlan(encoding: best.encoding, size: best.size, stats: stats, dictionary: [], distinct: nil, ranks: [])
        }
        var ranks = [Int32](repeating: 0, count: distinct.count)
        for (rank, value) in dictionary.enumerated() {
            ranks[Int(distinct.id(of: Int64(truncatingIfNeeded: value)))] = Int32(rank)
        }
        return IntegerPlan(encoding: .dictionary, size: best.size, stats: stats, dictionary: dictionary, distinct: distinct, ranks: ranks)
    }

    /// The size of a nested stream without a dictionary: encoding byte plus payload.
    static func nestedSize<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>) -> Int {
        1 + plan(values, candidates: withoutDictionary)!.size
    }

    // MARK: Writing

    /// Chooses among `candidates` and appends the encoding byte and the payload.
    static func writeStream<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, candidates: [Encoding], into writer: inout ByteWriter
    ) {
        let plan = plan(values, candidates: candidates)!
        writer.u8(plan.encoding.rawValue)
        write(values, plan: plan, into: &writer)
    }

    /// Appends the payload of `plan.encoding`; exactly `plan.size` bytes.
    static func write<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, plan: IntegerPlan<T>, into writer: inout ByteWriter) {
        let stats = plan.stats
        let n = values.count
        switch plan.encoding {
        case .plain:
            writer.append(UnsafeRawBufferPointer(values))
        case .constant:
            writer.i64(Int64(truncatingIfNeeded: values[0]))
        case .bitpack:
            writeFrameOfReference(
                FrameOfReferenceSource(values: values, base: stats.min), count: n,
                base: stats.min, range: stats.valueRange, into: &writer)
        case .deltaBitpack:
            writer.i64(values.first.map { Int64(truncatingIfNeeded: $0) } ?? 0)
            writeFrameOfReference(
                DeltaSource(values: values, minDelta: stats.minDelta), count: max(n - 1, 0),
                base: stats.minDelta, range: stats.deltaRange, into: &writer)
        case .rle:
            var runValues: [Int64] = [], runLengths: [Int64] = []
            runValues.reserveCapacity(stats.runs)
            runLengths.reserveCapacity(stats.runs)
            var i = 0
            while i < n {
                let x = values[i]
                var j = i + 1
                while j < n && values[j] == x { j += 1 }
                runValues.append(Int64(truncatingIfNeeded: x))
                runLengths.append(Int64(j - i))
                i = j
            }
            writer.u32(runValues.count)
            runValues.withUnsafeBufferPointer {
                writeFrameOfReference(
                    FrameOfReferenceSource(values: $0, base: stats.min), count: $0.count,
                    base: stats.min, range: stats.valueRange, into: &writer)
            }
            runLengths.withUnsafeBufferPointer {
                writeFrameOfReference(
                    FrameOfReferenceSource(values: $0, base: Int64(stats.minRun)), count: $0.count,
                    base: Int64(stats.minRun), range: stats.runLengthRange, into: &writer)
            }
        case .dictionary:
            let dictionary = plan.dictionary
            writer.u32(dictionary.count)
            dictionary.withUnsafeBufferPointer { writeStream($0, candidates: withoutDictionary, into: &writer) }
            let width = BitPacking.width(of: UInt64(max(dictionary.count - 1, 0)))
            writer.u8(UInt8(width))
            plan.ranks.withUnsafeBufferPointer { ranks in
                let codes = DictionaryCodeSource(values: values, distinct: plan.distinct!, ranks: ranks)
                BitPacking.pack(codes, count: n, width: width, into: &writer)
            }
        case .prefixNumeric:
            preconditionFailure("prefixNumeric is a string encoding")
        }
    }

    static func writeFrameOfReference<S: PackSource>(
        _ source: S, count: Int, base: Int64, range: UInt64, into writer: inout ByteWriter
    ) {
        let width = BitPacking.width(of: range)
        writer.i64(base)
        writer.u8(UInt8(width))
        BitPacking.pack(source, count: count, width: width, into: &writer)
    }

    // MARK: Reading

    /// Reads a nested stream: encoding byte, then payload.
    static func readStream<T: FixedWidthInteger>(
        _ reader: inout ByteReader, count: Int, allowDictionary: Bool
    ) throws -> [T] {
        let raw = try reader.u8()
        guard let encoding = Encoding(rawValue: raw) else { throw CodecError("corrupt block: unknown encoding \(raw)") }
        guard allowDictionary || encoding != .dictionary else {
            throw CodecError("corrupt block: a dictionary inside a dictionary")
        }
        return try read(&reader, encoding: encoding, count: count)
    }

    /// Reads the payload of `encoding` holding `count` values.
    static func read<T: FixedWidthInteger>(_ reader: inout ByteReader, encoding: Encoding, count: Int) throws -> [T] {
        try [T](unsafeUninitializedCapacity: max(count, 1)) { buffer, initialized in
            try read(&reader, encoding: encoding, count: count, into: buffer.baseAddress!)
            initialized = count
        }
    }

    /// Reads the payload of `encoding` into `count` uninitialized values at `out`.
    static func read<T: FixedWidthInteger>(
        _ reader: inout ByteReader, encoding: Encoding, count n: Int, into out: UnsafeMutablePointer<T>
    ) throws {
        switch encoding {
        case .plain:
            let raw = try reader.bytes(n * MemoryLayout<T>.size, "plain values")
            if n > 0 { UnsafeMutableRawPointer(out).copyMemory(from: raw.baseAddress!, byteCount: raw.count) }
        case .constant:
            let value = T(truncatingIfNeeded: try reader.i64())
            guard n > 0 else { throw CodecError("corrupt block: a constant block of no values") }
            out.initialize(repeating: value, count: n)
        case .bitpack:
            try readFrameOfReference(&reader, count: n, into: out)
        case .deltaBitpack:
            try readDeltas(&reader, count: n, into: out)
        case .rle:
            try readRuns(&reader, count: n, into: out)
        case .dictionary:
            try readDictionary(&reader, count: n, into: out)
        case .prefixNumeric:
            throw CodecError("corrupt block: prefix-numeric encoding on an integer stream")
        }
    }

    static func readFrameOfReference<T: FixedWidthInteger>(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<T>
    ) throws {
        let base = T(truncatingIfNeeded: try reader.i64())
        let width = try reader.width(max: T.bitWidth)
        let src = try reader.bytes(BitPacking.byteCount(count: n, width: width), "bit-packed values")
        guard n > 0 else { return }
        if width == 0 {
            out.initialize(repeating: base, count: n)
        } else if width <= 32 {
            BitPacking.unpack32(src, count: n, width: width) { start, chunk in
                let o = out + start
                for i in 0..<chunk.count { o[i] = base &+ T(truncatingIfNeeded: chunk[i]) }
            }
        } else {
            BitPacking.unpack64(src, count: n, width: width) { start, chunk in
                let o = out + start
                for i in 0..<chunk.count { o[i] = base &+ T(truncatingIfNeeded: chunk[i]) }
            }
        }
    }

    static func readDeltas<T: FixedWidthInteger>(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<T>
    ) throws {
        let first = T(truncatingIfNeeded: try reader.i64())
        let minDelta = T(truncatingIfNeeded: try reader.i64())
        let width = try reader.width(max: T.bitWidth)
        let src = try reader.bytes(BitPacking.byteCount(count: max(n - 1, 0), width: width), "bit-packed deltas")
        guard n > 0 else { return }
        out[0] = first
        var acc = first
        if width == 0 {
            for i in 1..<n {
                acc = acc &+ minDelta
                out[i] = acc
            }
        } else if width <= 32 {
            BitPacking.unpack32(src, count: n - 1, width: width) { start, chunk in
                let o = out + 1 + start
                for i in 0..<chunk.count {
                    acc = acc &+ minDelta &+ T(truncatingIfNeeded: chunk[i])
                    o[i] = acc
                }
            }
        } else {
            BitPacking.unpack64(src, count: n - 1, width: width) { start, chunk in
                let o = out + 1 + start
                for i in 0..<chunk.count {
                    acc = acc &+ minDelta &+ T(truncatingIfNeeded: chunk[i])
                    o[i] = acc
                }
            }
        }
    }

    static func readRuns<T: FixedWidthInteger>(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<T>
    ) throws {
        let runs = try reader.count(max: n, "run count")
        guard (runs == 0) == (n == 0) else { throw CodecError("corrupt block: \(runs) runs for \(n) values") }
        let runValues: [T] = try read(&reader, encoding: .bitpack, count: runs)
        let runLengths: [Int64] = try read(&reader, encoding: .bitpack, count: runs)
        var position = 0
        for k in 0..<runs {
            let length = runLengths[k]
            guard length >= 1, length <= n - position else {
                throw CodecError("corrupt block: run length \(length) at value \(position) of \(n)")
            }
            (out + position).initialize(repeating: runValues[k], count: Int(length))
            position += Int(length)
        }
        guard position == n else { throw CodecError("corrupt block: runs cover \(position) of \(n) values") }
    }

    static func readDictionary<T: FixedWidthInteger>(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<T>
    ) throws {
        let k = try reader.count(max: n, "dictionary size")
        guard (k == 0) == (n == 0) else { throw CodecError("corrupt block: dictionary of \(k) for \(n) values") }
        let dictionary: [T] = try readStream(&reader, count: k, allowDictionary: false)
        let width = try reader.width(max: 32)
        let src = try reader.bytes(BitPacking.byteCount(count: n, width: width), "dictionary codes")
        guard n > 0 else { return }
        if width == 0 {
            out.initialize(repeating: dictionary[0], count: n)
            return
        }
        var bad = false
        dictionary.withUnsafeBufferPointer { d in
            BitPacking.unpack32(src, count: n, width: width) { start, chunk in
                var top: UInt32 = 0
                for c in chunk { top = max(top, c) }
                guard Int(top) < k else { bad = true; return }
                let o = out + start
                for i in 0..<chunk.count { o[i] = d[Int(chunk[i])] }
            }
        }
        if bad { throw CodecError("corrupt block: dictionary code out of range") }
    }
}

/// Each value's position in the sorted dictionary.
struct DictionaryCodeSource<T: FixedWidthInteger>: PackSource {
    let values: UnsafeBufferPointer<T>
    let distinct: DistinctIntegers
    let ranks: UnsafeBufferPointer<Int32>

    @inline(__always)
    func packed(at i: Int) -> UInt64 {
        UInt64(ranks[Int(distinct.id(of: Int64(truncatingIfNeeded: values[i])))])
    }
}
