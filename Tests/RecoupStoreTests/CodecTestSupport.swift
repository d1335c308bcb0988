import XCTest
@testable import RecoupStore

/// A small deterministic generator (SplitMix64) so that codec tests are reproducible.
struct CodecTestRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum CodecSamples {
    static let integerEncodings: [Encoding] = [.plain, .constant, .rle, .bitpack, .deltaBitpack, .dictionary]
    static let stringEncodings: [Encoding] = [.plain, .constant, .dictionary, .prefixNumeric]

    /// Integer columns with edge values, as Int64; callers narrow them.
    static func int64Columns() -> [(String, [Int64])] {
        var rng = CodecTestRandom(seed: 42)
        var columns: [(String, [Int64])] = [
            ("empty", []),
            ("single", [123_456_789]),
            ("single min", [.min]),
            ("all null", Array(repeating: Null.int64, count: 3000)),
            ("min max", [.min, .max, .min, .max, 0, -1, 1]),
            ("min max random", (0..<5000).map { _ in Bool.random(using: &rng) ? .min : .max }),
            ("full range random", (0..<3000).map { _ in Int64.random(in: .min ... .max, using: &rng) }),
            ("sorted", (0..<5000).map { Int64($0) }),
            ("sorted big steps", (0..<3000).map { Int64($0) * 1_000_000_007 }),
            ("descending", (0..<2500).map { 10_000 - Int64($0) * 3 }),
            ("wrapping deltas", (0..<2000).map { $0 % 2 == 0 ? Int64.max - Int64($0) : Int64.min + Int64($0) }),
            ("small range", (0..<4097).map { _ in Int64.random(in: 1000...1100, using: &rng) }),
            ("few wide values", (0..<3000).map { _ in [Int64(-5), 1_000_000_000_000, 3_000_000_000_000_000, .min][Int.random(in: 0..<4, using: &rng)] }),
        ]
        var runs: [Int64] = []
        while runs.count < 6000 {
            let value = Int64.random(in: -1_000_000...1_000_000, using: &rng)
            runs += Array(repeating: value, count: Int.random(in: 1...400, using: &rng))
        }
        columns.append(("runs", runs))
        for n in [1023, 1024, 1025, 2055] {
            columns.append(("random \(n)", (0..<n).map { _ in Int64.random(in: -70_000...70_000, using: &rng) }))
        }
        var date: Int64 = 19_000
        columns.append(("near-sorted dates with nulls", (0..<3000).map { i in
            date += Int64.random(in: 0...2, using: &rng)
            return i % 97 == 0 ? Null.int64 : date + Int64.random(in: -3...3, using: &rng)
        }))
        return columns
    }

    static func int32Columns() -> [(String, [Int32])] {
        var rng = CodecTestRandom(seed: 7)
        var columns: [(String, [Int32])] = [
            ("empty", []),
            ("single", [-17]),
            ("all null", Array(repeating: Null.int32, count: 2049)),
            ("min max", (0..<3000).map { _ in Bool.random(using: &rng) ? .min : .max }),
            ("full range random", (0..<3000).map { _ in Int32.random(in: .min ... .max, using: &rng) }),
            ("sorted", (0..<4000).map { Int32($0) }),
            ("dates", (0..<3000).map { 19_000 + Int32($0 / 40) }),
            ("small range", (0..<3000).map { _ in Int32.random(in: 0..<100, using: &rng) }),
            ("wrapping deltas", (0..<2000).map { $0 % 2 == 0 ? Int32.max : Int32.min }),
        ]
        columns += int64Columns().filter { $0.1.allSatisfy { Int32(exactly: $0) != nil } }.map { ("i64 " + $0.0, $0.1.map { Int32($0) }) }
        return columns
    }

    static func uint8Columns() -> [(String, [UInt8])] {
        var rng = CodecTestRandom(seed: 9)
        return [
            ("empty", []),
            ("single", [255]),
            ("constant", Array(repeating: 3, count: 3000)),
            ("random", (0..<3000).map { _ in UInt8.random(in: 0...255, using: &rng) }),
            ("few codes", (0..<5000).map { _ in UInt8.random(in: 0..<5, using: &rng) }),
            ("sawtooth", (0..<3000).map { UInt8(truncatingIfNeeded: $0) }),
            ("extremes", (0..<1500).map { $0 % 3 == 0 ? 0 : 255 }),
        ]
    }

    static func stringColumns() -> [(String, [String])] {
        var rng = CodecTestRandom(seed: 11)
        let long = String(repeating: "débiteur ", count: 11_400)  // ~100 KB
        let words = ["open", "disputed", "paid", "closed", "legal", "bankrupt"]
        return [
            ("empty column", []),
            ("single", ["hello"]),
            ("single empty", [""]),
            ("all null", Array(repeating: "", count: 2000)),
            ("constant", Array(repeating: "card", count: 1500)),
            ("long strings", [long, "x", long + "!", "", long]),
            ("unicode", ["Zoë", "日本語のテキスト", "emoji 🎉🧾", "", "Ωμέγα", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "e\u{301}"]),
            ("empty and not", (0..<1000).map { $0 % 3 == 0 ? "" : "v\($0)" }),
            ("enum words", (0..<5000).map { _ in words[Int.random(in: 0..<words.count, using: &rng)] }),
            ("ids", (1...3000).map { "C" + String(repeating: "0", count: 9 - String($0).count) + String($0) }),
            ("ids with nulls", (1...3000).map { $0 % 10 == 0 ? "" : "ACC-" + String(format4($0)) }),
            ("digits only", (0..<2000).map { String(format4($0 % 10_000)) }),
            ("mixed widths", (1...1500).map { "C\($0)" }),
            ("a non-digit", (1...1500).map { $0 == 700 ? "C00A7" : "C" + String(format4($0)) }),
            ("digits first", (1...1500).map { String(format4($0)) + "X" }),
            ("too wide", (1...1000).map { "N" + String(repeating: "0", count: 16) + String(format4($0)) }),
            ("random text", (0..<2000).map { _ in String((0..<Int.random(in: 0...30, using: &rng)).map { _ in Character(UnicodeScalar(UInt8.random(in: 32...126, using: &rng))) }) }),
        ]
    }

    /// Zero-padded to four digits.
    static func format4(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// Every sample as a column of every physical type it fits.
    static func allColumns() -> [(String, ColumnData)] {
        int64Columns().map { ("int64 " + $0.0, .int64($0.1)) }
            + int32Columns().map { ("int32 " + $0.0, .int32($0.1)) }
            + uint8Columns().map { ("uint8 " + $0.0, .uint8($0.1)) }
            + stringColumns().map { ("string " + $0.0, .string(StringColumn($0.1))) }
    }
}
