import RecoupStore

/// A small deterministic generator (SplitMix64) so every run benchmarks the same data.
struct BenchRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One benchmark column: realistic values of a debt-collection book, and the encodings worth timing on it.
struct Dataset: Sendable {
    let name: String
    let data: ColumnData
    let encodings: [Encoding]
}

enum Datasets {
    static let count = 1_000_000

    static func all() -> [Dataset] {
        var rng = BenchRandom(state: 2026)
        let n = count

        // Payment dates: days since 1970, imported roughly in date order.
        var day: Int32 = 19_700
        let dates = (0..<n).map { i -> Int32 in
            if i % 400 == 0 { day += 1 }
            return day + Int32.random(in: -3...3, using: &rng)
        }
        // Event timestamps in seconds, sorted.
        var ts: Int64 = 1_735_689_600
        let timestamps = (0..<n).map { _ -> Int64 in
            ts += Int64.random(in: 0...90, using: &rng)
            return ts
        }
        // Amounts in cents: mostly small, a long tail.
        let amounts = (0..<n).map { _ -> Int64 in
            let magnitude = Int.random(in: 2...7, using: &rng)
            var limit: Int64 = 1
            for _ in 0..<magnitude { limit *= 10 }
            return Int64.random(in: 100...max(100, limit / 2), using: &rng)
        }
        // Enum codes (channel, outcome): a handful of values, skewed.
        let codes = (0..<n).map { _ -> UInt8 in
            let r = Int.random(in: 0..<100, using: &rng)
            return r < 60 ? 0 : r < 80 ? 1 : r < 90 ? 2 : r < 95 ? 3 : UInt8(r % 7)
        }
        // Account keys of events sorted by account: runs of a few events each.
        var account: Int32 = 0
        var left = 0
        let accountKeys = (0..<n).map { _ -> Int32 in
            if left == 0 {
                account += 1
                left = Int.random(in: 1...40, using: &rng)
            }
            left -= 1
            return account
        }
        // Wide identifiers that repeat: external references from a few partners.
        let partners: [Int64] = (0..<50).map { _ in Int64.random(in: .min ... .max, using: &rng) }
        let references = (0..<n).map { _ in partners[Int.random(in: 0..<partners.count, using: &rng)] }
        // Ids "C000000001" ...
        let ids = StringColumn((1...n).map { i in
            let digits = String(i)
            return "C" + String(repeating: "0", count: 9 - digits.count) + digits
        })
        // Statuses: few distinct strings.
        let statusWords = ["open", "promise_to_pay", "payment_plan", "disputed", "paid", "closed", "legal", "bankrupt", "deceased"]
        let statuses = StringColumn((0..<n).map { _ in statusWords[Int.random(in: 0..<statusWords.count, using: &rng)] })
        // Free-text notes: unique, compressible.
        let noteWords = ["called", "left", "voicemail", "debtor", "promised", "to", "pay", "on", "friday", "asked", "for", "statement", "wrong", "number", "agreed", "plan"]
        let notes = StringColumn((0..<(n / 4)).map { i in
            (0..<Int.random(in: 3...9, using: &rng)).map { _ in noteWords[Int.random(in: 0..<noteWords.count, using: &rng)] }.joined(separator: " ") + " #\(i)"
        })

        return [
            Dataset(name: "dates int32", data: .int32(dates), encodings: [.plain, .bitpack, .deltaBitpack, .dictionary]),
            Dataset(name: "timestamps int64", data: .int64(timestamps), encodings: [.plain, .bitpack, .deltaBitpack]),
            Dataset(name: "amounts int64", data: .int64(amounts), encodings: [.plain, .bitpack]),
            Dataset(name: "enum codes uint8", data: .uint8(codes), encodings: [.plain, .bitpack, .rle, .dictionary]),
            Dataset(name: "account keys int32", data: .int32(accountKeys), encodings: [.bitpack, .deltaBitpack, .rle]),
            Dataset(name: "references int64", data: .int64(references), encodings: [.plain, .dictionary]),
            Dataset(name: "constant int32", data: .int32(Array(repeating: Null.int32, count: n)), encodings: [.constant]),
            Dataset(name: "ids string", data: .string(ids), encodings: [.plain, .prefixNumeric]),
            Dataset(name: "statuses string", data: .string(statuses), encodings: [.plain, .dictionary]),
            Dataset(name: "notes string 250k", data: .string(notes), encodings: [.plain]),
        ]
    }
}
