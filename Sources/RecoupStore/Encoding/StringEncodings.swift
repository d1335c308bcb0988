/// The encoding chosen for a string column and the pieces choosing it materialized.
struct StringPlan {
    var encoding: Encoding
    var size: Int
    var lengths: [Int32]
    var lengthsPlan: IntegerPlan<Int32>
    var dictionary: StringDictionaryPlan?
    var numeric: PrefixNumericPlan?
}

/// Lightweight encodings of string columns.
///
/// Payloads, for `count` strings known from the header:
/// - plain: the lengths as a nested integer stream (UInt8 encoding, payload), UInt32 byte
///   count, the bytes;
/// - constant: UInt32 length and the bytes of the one string;
/// - dictionary: UInt32 size, the sorted distinct strings as a plain payload, the codes as a
///   nested integer stream;
/// - prefixNumeric: UInt32 prefix length, the prefix, UInt8 digit count, the numbers as a
///   nested Int64 stream (-1 for an empty string).
enum StringCodec {
    /// Candidates in order of preference when sizes tie.
    static let allEncodings: [Encoding] = [.constant, .plain, .prefixNumeric, .dictionary]

    /// "00" through "99", for formatting two digits per division.
    static let twoDigits: [UInt8] = (0..<100).flatMap { [UInt8(ascii: "0") + UInt8($0 / 10), UInt8(ascii: "0") + UInt8($0 % 10)] }

    static func lengths(of column: StringColumn) -> [Int32] {
        column.offsets.withUnsafeBufferPointer { o in
            [Int32](unsafeUninitializedCapacity: o.count - 1) { buffer, initialized in
                for i in 0..<(o.count - 1) { buffer[i] = o[i + 1] &- o[i] }
                initialized = o.count - 1
            }
        }
    }

    static func plainSize(_ lengthsPlan: IntegerPlan<Int32>, byteCount: Int) -> Int {
        1 + lengthsPlan.size + 4 + byteCount
    }

    // MARK: Choosing

    static func plan(_ column: StringColumn, candidates: [Encoding], force: Bool = false) -> StringPlan? {
        column.withView { view in
            let n = view.count
            let lengths = lengths(of: column)
            let lengthsPlan = lengths.withUnsafeBufferPointer { IntegerCodec.plan($0, candidates: IntegerCodec.allEncodings)! }
            let numeric = candidates.contains(.prefixNumeric) ? PrefixNumericPlan(view) : nil
            let constant = candidates.contains(.constant) && isConstant(view, lengths: lengthsPlan.stats)
            var dictionary: StringDictionaryPlan?
            if candidates.contains(.dictionary) {
                if force {
                    dictionary = StringDictionaryPlan(view, limit: .max)
                } else if n / 2 > 0 {
                    // The dictionary's strings alone must come in under every other candidate.
                    var budget = plainSize(lengthsPlan, byteCount: view.heap.count)
                    if let numeric { budget = min(budget, numeric.size) }
                    if constant { budget = min(budget, 4 + view.length(0)) }
                    dictionary = StringDictionaryPlan(view, limit: n / 2, budget: budget)
                }
            }
            var best: (encoding: Encoding, size: Int)?
            for candidate in candidates {
                let size: Int?
                switch candidate {
                case .plain:
                    size = plainSize(lengthsPlan, byteCount: view.heap.count)
                case .constant:
                    size = constant ? 4 + view.length(0) : nil
                case .dictionary:
                    size = dictionary?.size
                case .prefixNumeric:
                    size = numeric?.size
                case .rle, .bitpack, .deltaBitpack:
                    size = nil
                }
                guard let size else { continue }
                if best == nil || size < best!.size { best = (candidate, size) }
            }
            guard let best else { return nil }
            return StringPlan(
                encoding: best.encoding, size: best.size, lengths: lengths, lengthsPlan: lengthsPlan,
                dictionary: best.encoding == .dictionary ? dictionary : nil,
                numeric: best.encoding == .prefixNumeric ? numeric : nil)
        }
    }

    static func isConstant(_ view: StringView, lengths: IntegerStats) -> Bool {
        guard view.count > 0, lengths.min == lengths.max else { return false }
        let first = view[0]
        for i in 1..<view.count where !ByteStrings.equal(view[i], first) { return false }
        return true
    }

    // MARK: Writing

    static func write(_ column: StringColumn, plan: StringPlan, into writer: inout ByteWriter) {
        column.withView { view in
            switch plan.encoding {
            case .plain:
                writePlain(lengths: plan.lengths, plan: plan.lengthsPlan, heap: view.heap, into: &writer)
            case .constant:
                writer.u32(view.length(0))
                writer.append(view[0])
            case .dictionary:
                let d = plan.dictionary!
                writer.u32(d.strings.count)
                d.strings.withView { writePlain(lengths: d.lengths, plan: d.lengthsPlan, heap: $0.heap, into: &writer) }
                writer.u8(d.codesPlan.encoding.rawValue)
                d.codes.withUnsafeBufferPointer { IntegerCodec.write($0, plan: d.codesPlan, into: &writer) }
            case .prefixNumeric:
                let p = plan.numeric!
                writer.u32(p.prefix.count)
                p.prefix.withUnsafeBytes { writer.append($0) }
                writer.u8(UInt8(p.width))
                writer.u8(p.numbersPlan.encoding.rawValue)
                p.numbers.withUnsafeBufferPointer { IntegerCodec.write($0, plan: p.numbersPlan, into: &writer) }
            case .rle, .bitpack, .deltaBitpack:
                preconditionFailure("\(plan.encoding) is not a string encoding")
            }
        }
    }

    static func writePlain(lengths: [Int32], plan: IntegerPlan<Int32>, heap: UnsafeRawBufferPointer, into writer: inout ByteWriter) {
        writer.u8(plan.encoding.rawValue)
        lengths.withUnsafeBufferPointer { IntegerCodec.write($0, plan: plan, into: &writer) }
        writer.u32(heap.count)
        writer.append(heap)
    }

    // MARK: Reading

    static func read(_ reader: inout ByteReader, encoding: Encoding, count n: Int) throws -> StringColumn {
        switch encoding {
        case .plain:
            return try readPlain(&reader, count: n)
        case .constant:
            return try readConstant(&reader, count: n)
        case .dictionary:
            return try readDictionary(&reader, count: n)
        case .prefixNumeric:
            return try readPrefixNumeric(&reader, count: n)
        case .rle, .bitpack, .deltaBitpack:
            throw CodecError("corrupt block: \(encoding) encoding on a string column")
        }
    }

    static func readPlain(_ reader: inout ByteReader, count n: Int) throws -> StringColumn {
        let lengths: [Int32] = try IntegerCodec.readStream(&reader, count: n, allowDictionary: true)
        let total = try reader.count(max: Int(Int32.max), "string byte count")
        let heap = try reader.bytes(total, "string bytes")
        var sum = 0, smallest: Int32 = 0
        let offsets = [Int32](unsafeUninitializedCapacity: n + 1) { buffer, initialized in
            buffer[0] = 0
            for i in 0..<n {
                let length = lengths[i]
                smallest = min(smallest, length)
                sum &+= Int(length)
                buffer[i + 1] = Int32(truncatingIfNeeded: sum)
            }
            initialized = n + 1
        }
        guard smallest >= 0, sum == total else {
            throw CodecError("corrupt block: string lengths add up to \(sum), not \(total)")
        }
        return StringColumn(offsets: offsets, bytes: Array(heap))
    }

    static func readConstant(_ reader: inout ByteReader, count n: Int) throws -> StringColumn {
        let length = try reader.count(max: Int(Int32.max), "string length")
        let value = try reader.bytes(length, "string bytes")
        guard n > 0 else { throw CodecError("corrupt block: a constant block of no strings") }
        guard n * length <= Int(Int32.max) else { throw CodecError("corrupt block: \(n) strings of \(length) bytes") }
        let offsets = [Int32](unsafeUninitializedCapacity: n + 1) { buffer, initialized in
            for i in 0...n { buffer[i] = Int32(truncatingIfNeeded: i * length) }
            initialized = n + 1
        }
        let bytes = [UInt8](unsafeUninitializedCapacity: n * length) { buffer, initialized in
            if length > 0 {
                for i in 0..<n { UnsafeMutableRawPointer(buffer.baseAddress! + i * length).copyMemory(from: value.baseAddress!, byteCount: length) }
            }
            initialized = n * length
        }
        return StringColumn(offsets: offsets, bytes: bytes)
    }

    static func readDictionary(_ reader: inout ByteReader, count n: Int) throws -> StringColumn {
        let k = try reader.count(max: n, "dictionary size")
        guard (k == 0) == (n == 0) else { throw CodecError("corrupt block: dictionary of \(k) for \(n) strings") }
        let dictionary = try readPlain(&reader, count: k)
        let codes: [Int32] = try IntegerCodec.readStream(&reader, count: n, allowDictionary: true)
        var lo: Int32 = 0, hi: Int32 = 0
        for c in codes {
            lo = min(lo, c)
            hi = max(hi, c)
        }
        guard lo >= 0, n == 0 || Int(hi) < k else { throw CodecError("corrupt block: string dictionary code out of range") }
        let column: StringColumn? = dictionary.withView { d in
            var total = 0
            let offsets = [Int32](unsafeUninitializedCapacity: n + 1) { buffer, initialized in
                buffer[0] = 0
                for i in 0..<n {
                    total += d.length(Int(codes[i]))
                    buffer[i + 1] = Int32(truncatingIfNeeded: total)
                }
                initialized = n + 1
            }
            // At most 2^28 strings of at most 2^31 bytes: the sum cannot overflow Int.
            guard total <= Int(Int32.max) else { return nil }
            let bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
                for i in 0..<n {
                    let s = d[Int(codes[i])]
                    if !s.isEmpty {
                        ByteStrings.copy(UnsafeMutableRawPointer(buffer.baseAddress! + Int(offsets[i])), s.baseAddress!, count: s.count)
                    }
                }
                initialized = total
            }
            return StringColumn(offsets: offsets, bytes: bytes)
        }
        guard let column else { throw CodecError("corrupt block: dictionary strings exceed 2 GiB") }
        return column
    }

    static func readPrefixNumeric(_ reader: inout ByteReader, count n: Int) throws -> StringColumn {
        let p = try reader.count(max: reader.remaining, "prefix length")
        let prefix = try reader.bytes(p, "prefix")
        let width = Int(try reader.u8())
        guard width >= 1, width <= PrefixNumericPlan.maxWidth else { throw CodecError("corrupt block: \(width) digits") }
        let numbers: [Int64] = try IntegerCodec.readStream(&reader, count: n, allowDictionary: true)
        var limit: Int64 = 1
        for _ in 0..<width { limit &*= 10 }
        var present = 0, bad = false
        for x in numbers {
            if x >= 0 {
                present += 1
                bad = bad || x >= limit
            } else {
                bad = bad || x != -1
            }
        }
        let length = p + width
        guard !bad else { throw CodecError("corrupt block: a number does not fit \(width) digits") }
        guard present * length <= Int(Int32.max) else { throw CodecError("corrupt block: strings exceed 2 GiB") }
        var offsets = [Int32](repeating: 0, count: n + 1)
        let bytes = [UInt8](unsafeUninitializedCapacity: present * length) { buffer, initialized in
            offsets.withUnsafeMutableBufferPointer { o in
                twoDigits.withUnsafeBufferPointer { pairs in
                    var position = 0
                    for i in 0..<n {
                        if numbers[i] >= 0 {
                            var x = UInt64(numbers[i])
                            let out = buffer.baseAddress! + position
                            if p > 0 { ByteStrings.copy(out, prefix.baseAddress!, count: p) }
                            let digits = out + p
                            var j = width
                            while j >= 2 {
                                let q = x / 100
                                let r = Int(truncatingIfNeeded: x &- q &* 100) &* 2
                                j -= 2
                                digits[j] = pairs[r]
                                digits[j + 1] = pairs[r + 1]
                                x = q
                            }
                            if j == 1 { digits[0] = UInt8(truncatingIfNeeded: x) &+ UInt8(ascii: "0") }
                            position += length
                        }
                        o[i + 1] = Int32(truncatingIfNeeded: position)
                    }
                }
            }
            initialized = present * length
        }
        return StringColumn(offsets: offsets, bytes: bytes)
    }
}
