/// A string dictionary as the chooser plans it: the sorted distinct strings and each row's code.
struct StringDictionaryPlan {
    var strings: StringColumn
    var lengths: [Int32]
    var lengthsPlan: IntegerPlan<Int32>
    var codes: [Int32]
    var codesPlan: IntegerPlan<Int32>

    /// Payload bytes: size, the strings as a plain payload, the codes as a nested stream.
    var size: Int { 4 + StringCodec.plainSize(lengthsPlan, byteCount: strings.bytes.count) + 1 + codesPlan.size }

    /// Collects the distinct strings, or returns nil as soon as there are more than `limit`
    /// or a dictionary is sure to lose: its strings alone reach `budget` bytes (the size of
    /// the best other encoding), or the first rows are nearly all distinct.
    init?(_ view: StringView, limit: Int, budget: Int? = nil) {
        guard let (firstRows, ids) = Self.intern(view, limit: limit, budget: budget) else { return nil }
        let order = firstRows.indices.sorted { ByteStrings.less(view[Int(firstRows[$0])], view[Int(firstRows[$1])]) }
        var rank = [Int32](repeating: 0, count: order.count)
        var strings = StringColumn()
        strings.offsets.reserveCapacity(order.count + 1)
        for (r, id) in order.enumerated() {
            rank[id] = Int32(r)
            strings.append(view[Int(firstRows[id])])
        }
        self.strings = strings
        codes = ids.map { rank[Int($0)] }
        lengths = StringCodec.lengths(of: strings)
        lengthsPlan = lengths.withUnsafeBufferPointer { IntegerCodec.plan($0, candidates: IntegerCodec.allEncodings)! }
        codesPlan = codes.withUnsafeBufferPointer { IntegerCodec.plan($0, candidates: IntegerCodec.allEncodings)! }
    }

    /// Open-addressing hash of the strings: for each distinct string the row it first
    /// appears in, and for each row the id of its string (ids in order of first appearance).
    static func intern(_ view: StringView, limit: Int, budget: Int? = nil) -> (firstRows: [Int32], ids: [Int32])? {
        let n = view.count
        var capacity = 16
        while capacity < 2 * min(limit, n) { capacity <<= 1 }
        let mask = capacity - 1
        var table = [Int32](repeating: -1, count: capacity)
        var hashes: [UInt64] = [], firstRows: [Int32] = []
        var ids = [Int32](repeating: 0, count: n)
        var distinctBytes = 0
        for i in 0..<n {
            if budget != nil && i == Self.probeRows && firstRows.count * 4 > Self.probeRows * 3 { return nil }
            let s = view[i]
            let h = Self.hash(s)
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let id = table[slot]
                if id < 0 {
                    guard firstRows.count < limit else { return nil }
                    table[slot] = Int32(firstRows.count)
                    ids[i] = Int32(firstRows.count)
                    firstRows.append(Int32(i))
                    hashes.append(h)
                    distinctBytes += s.count
                    if let budget, distinctBytes >= budget { return nil }
                    break
                }
                if hashes[Int(id)] == h && ByteStrings.equal(view[Int(firstRows[Int(id)])], s) {
                    ids[i] = id
                    break
                }
                slot = (slot + 1) & mask
            }
        }
        return (firstRows, ids)
    }

    /// Rows looked at before giving up on a column that is nearly all distinct.
    static let probeRows = 8192

    /// XXH64 for long strings; for strings of up to 16 bytes, two overlapping words mixed
    /// with the length (every byte is covered, and equal words at different lengths differ).
    @inline(__always)
    static func hash(_ s: UnsafeRawBufferPointer) -> UInt64 {
        let n = s.count
        guard n > 0, n <= 16, let p = s.baseAddress else { return XXH64.hash(s) }
        let a: UInt64, b: UInt64
        if n >= 8 {
            a = p.loadUnaligned(as: UInt64.self)
            b = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            a = UInt64(p.loadUnaligned(as: UInt32.self))
            b = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
        } else {
            a = UInt64(p.load(as: UInt8.self)) | UInt64(p.load(fromByteOffset: n / 2, as: UInt8.self)) << 8
                | UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self)) << 16
            b = 0
        }
        var h = (a &* XXH64.prime1) ^ XXH64.rotate(b &* XXH64.prime2 &+ UInt64(n), 31)
        h ^= h >> 33
        h &*= XXH64.prime3
        h ^= h >> 29
        return h
    }
}

/// Strings that are all one prefix followed by a zero-padded decimal number of one fixed
/// width ("C000123457"), planned as those numbers; empty strings (nulls) become -1.
struct PrefixNumericPlan {
    /// 18 digits always fit an Int64.
    static let maxWidth = 18

    var prefix: [UInt8]
    var width: Int
    var numbers: [Int64]
    var numbersPlan: IntegerPlan<Int64>

    /// Payload bytes: prefix length and bytes, width, the numbers as a nested stream.
    var size: Int { 4 + prefix.count + 1 + 1 + numbersPlan.size }

    init?(_ view: StringView) {
        let n = view.count
        var length = -1, first = -1
        for i in 0..<n {
            let len = view.length(i)
            if len == 0 { continue }
            if length < 0 {
                (length, first) = (len, i)
            } else if len != length {
                return nil
            }
        }
        guard length > 0 else { return nil }
        let model = view[first]
        var common = length
        for i in first..<n where view.length(i) > 0 {
            let s = view[i]
            var j = 0
            while j < common && s[j] == model[j] { j += 1 }
            common = j
        }
        let p = min(common, length - 1)
        let width = length - p
        guard width <= Self.maxWidth else { return nil }
        var numbers = [Int64](repeating: -1, count: n)
        for i in 0..<n where view.length(i) > 0 {
            let s = view[i]
            var x: Int64 = 0
            for j in p..<length {
                let digit = s[j] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                x = x &* 10 &+ Int64(digit)
            }
            numbers[i] = x
        }
        prefix = Array(model[0..<p])
        self.width = width
        self.numbers = numbers
        numbersPlan = numbers.withUnsafeBufferPointer { IntegerCodec.plan($0, candidates: IntegerCodec.allEncodings)! }
    }
}
