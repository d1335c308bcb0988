import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): expands a 64-bit seed into a stream of
/// well-mixed words. Used to seed `Rng` and to hash (seed, stream, index) triples.
struct SplitMix64 {
    var state: UInt64

    init(_ seed: UInt64) { state = seed }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.finalize(state)
    }

    @inline(__always)
    static func finalize(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A well-mixed word that depends only on (seed, stream, index).
    @inline(__always)
    static func hash(_ seed: UInt64, _ stream: UInt64, _ index: UInt64) -> UInt64 {
        let a = finalize(seed &+ stream &* 0xD1B5_4A32_D192_ED03)
        return finalize(a ^ ((index &+ 0x632B_E59B_D9B4_E019) &* 0x9E37_79B9_7F4A_7C15))
    }
}

/// Independent random streams; each entity (account, debtor, agent) gets its own.
enum Stream: UInt64 {
    case account = 1, debtor = 2, agent = 3, debtorLink = 4
}

/// xoshiro256** (Blackman, Vigna 2018), seeded through SplitMix64.
/// Every random choice of the generator comes from one of these; nothing else.
struct Rng {
    var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init(seed: UInt64, stream: Stream, index: Int) {
        var sm = SplitMix64(SplitMix64.hash(seed, stream.rawValue, UInt64(truncatingIfNeeded: index)))
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always)
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = Rng.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Rng.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [lo, hi).
    @inline(__always)
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * uniform() }

    /// Uniform integer in 0..<n (n > 0), by multiply-high (Lemire); the bias is negligible for our small n.
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform integer in lo...hi.
    @inline(__always)
    mutating func int(_ lo: Int, _ hi: Int) -> Int { lo + below(hi - lo + 1) }

    /// Uniform day in lo...hi.
    @inline(__always)
    mutating func day(_ lo: Int32, _ hi: Int32) -> Int32 { lo + Int32(below(Int(hi - lo) + 1)) }

    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// Standard normal (Box–Muller, one value per call).
    mutating func normal() -> Double {
        let u1 = 1.0 - uniform()  // (0, 1]
        let u2 = uniform()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    mutating func normal(_ mean: Double, _ sd: Double) -> Double { mean + sd * normal() }

    /// Exponential with the given mean.
    mutating func exponential(_ mean: Double) -> Double { -mean * log(1.0 - uniform()) }

    /// Index drawn from a cumulative weight table (last entry = total).
    @inline(__always)
    mutating func pick(_ cumulative: [Double]) -> Int {
        let u = uniform() * cumulative[cumulative.count - 1]
        var i = 0
        while i < cumulative.count - 1 && u >= cumulative[i] { i += 1 }
        return i
    }
}

/// Running sums of weights, for `Rng.pick`.
func cumulative(_ weights: [Double]) -> [Double] {
    var out: [Double] = []
    out.reserveCapacity(weights.count)
    var s = 0.0
    for w in weights {
        s += w
        out.append(s)
    }
    return out
}

@inline(__always)
func sigmoid(_ z: Double) -> Double { 1.0 / (1.0 + exp(-z)) }
