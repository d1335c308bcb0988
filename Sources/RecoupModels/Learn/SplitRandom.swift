/// The learners' seeded random numbers: SplitMix64 (Steele, Lea and Flood 2014).
///
/// Every random choice a learner makes (the validation split, bagging, feature sampling) comes from
/// a `SplitRandom` derived from the user's seed, so a seed fixes the result. `split(_:)` derives an
/// independent stream for a named purpose, so adding a draw in one place does not shift the others.
public struct SplitRandom: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitRandom.mix(state)
    }

    /// An independent stream for `purpose`; does not advance `self`.
    public func split(_ purpose: UInt64) -> SplitRandom {
        SplitRandom(seed: SplitRandom.mix(state ^ SplitRandom.mix(purpose &+ 0xD1B5_4A32_D192_ED03)))
    }

    /// Uniform in [0, 1), 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform integer in 0..<n (n > 0), without bias (Lemire's multiply-and-reject).
    @inlinable
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// Fisher–Yates, from the last position down.
    public mutating func shuffle<T>(_ a: inout [T]) {
        var i = a.count - 1
        while i > 0 {
            let j = below(i + 1)
            if i != j { a.swapAt(i, j) }
            i -= 1
        }
    }

    /// `k` distinct indices of 0..<n in increasing order (k ≤ n).
    public mutating func sample(_ k: Int, of n: Int) -> [Int] {
        if k >= n { return Array(0..<n) }
        // Selection sampling (Knuth's algorithm S): one pass, already sorted.
        var out: [Int] = []
        out.reserveCapacity(k)
        var needed = k
        for i in 0..<n where needed > 0 {
            if below(n - i) < needed {
                out.append(i)
                needed -= 1
            }
        }
        return out
    }
}
