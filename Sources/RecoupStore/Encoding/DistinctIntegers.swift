/// The distinct values of an integer stream, numbered in order of first appearance.
///
/// Open addressing with Fibonacci hashing and linear probing: several times cheaper per
/// value than `Set`'s seeded SipHash, which matters because the chooser counts distinct
/// values on most integer columns. The table is sized for `expected` values at half load
/// and must not be given more.
struct DistinctIntegers {
    private var keys: [Int64]
    /// Id + 1 of the value in each slot; 0 marks an empty slot.
    private var slots: [Int32]
    private let shift: UInt64
    private(set) var values: [Int64] = []

    init(expected: Int) {
        var bits = 4
        while (1 << bits) < 2 * expected { bits += 1 }
        keys = [Int64](repeating: 0, count: 1 << bits)
        slots = [Int32](repeating: 0, count: 1 << bits)
        shift = UInt64(64 - bits)
        values.reserveCapacity(min(expected, 1 << 16))
    }

    var count: Int { values.count }

    @inline(__always)
    private func home(_ x: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: x) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    /// The id of `x`, adding it if it is new.
    @inline(__always)
    @discardableResult
    mutating func insert(_ x: Int64) -> Int32 {
        let mask = keys.count - 1
        var i = home(x)
        while true {
            let slot = slots[i]
            if slot == 0 {
                precondition(values.count * 2 < keys.count, "DistinctIntegers is full")
                keys[i] = x
                values.append(x)
                slots[i] = Int32(values.count)
                return Int32(values.count - 1)
            }
            if keys[i] == x { return slot - 1 }
            i = (i + 1) & mask
        }
    }

    /// The id of `x`, which must have been inserted.
    @inline(__always)
    func id(of x: Int64) -> Int32 {
        let mask = keys.count - 1
        var i = home(x)
        while true {
            let slot = slots[i]
            if slot == 0 || keys[i] == x { return slot - 1 }
            i = (i + 1) & mask
        }
    }

    /// The distinct values of `values`, or nil as soon as there are more than `limit`.
    static func collect<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, limit: Int) -> DistinctIntegers? {
        var distinct = DistinctIntegers(expected: min(limit, values.count) + 1)
        for x in values {
            distinct.insert(Int64(truncatingIfNeeded: x))
            if distinct.count > limit { return nil }
        }
        return distinct
    }
}
