import Foundation
import XCTest
@testable import RecoupStore

/// Corrupt or truncated blocks must throw or decode to something, never crash or over-read.
final class CodecCorruptionTests: XCTestCase {
    /// Mutations per block; CODEC_FUZZ_TRIALS raises it for a longer fuzzing run.
    static let trials = ProcessInfo.processInfo.environment["CODEC_FUZZ_TRIALS"].flatMap { Int($0) } ?? 300

    /// Small blocks of every encoding and codec.
    private func sampleBlocks() throws -> [(String, [UInt8])] {
        var rng = CodecTestRandom(seed: 23)
        let ints = (0..<1500).map { _ in Int64.random(in: -300...300, using: &rng) }
        var runs: [Int32] = []
        while runs.count < 1500 { runs += Array(repeating: Int32.random(in: -9...9, using: &rng), count: Int.random(in: 1...50, using: &rng)) }
        let columns: [(ColumnData, [Encoding])] = [
            (.int64(ints), [.plain, .rle, .bitpack, .deltaBitpack, .dictionary]),
            (.int32(runs), [.plain, .rle, .bitpack, .deltaBitpack, .dictionary]),
            (.int32(Array(repeating: 5, count: 1200)), [.constant]),
            (.uint8((0..<1100).map { UInt8($0 % 7) }), [.plain, .rle, .bitpack, .deltaBitpack, .dictionary]),
            (.string(StringColumn((0..<1200).map { "ID\(String(repeating: "0", count: 5 - String($0).count))\($0)" })), [.prefixNumeric, .plain, .dictionary]),
            (.string(StringColumn((0..<1200).map { ["ab", "", "çà", "long string here"][$0 % 4] })), [.plain, .dictionary]),
            (.string(StringColumn(Array(repeating: "same", count: 100))), [.constant]),
        ]
        var blocks: [(String, [UInt8])] = []
        for (data, encodings) in columns {
            for encoding in encodings {
                for codec in Codec.allCases {
                    blocks.append(("\(data.type) \(encoding) \(codec)", try BlockCodec.encode(data, as: encoding, codec: codec).bytes))
                }
            }
        }
        return blocks
    }

    func testTruncatedBlocksThrow() throws {
        for (name, block) in try sampleBlocks() {
            var lengths = Set(0..<min(block.count, 64))
            lengths.formUnion(stride(from: 64, to: block.count, by: max(1, block.count / 200)))
            lengths.insert(block.count - 1)
            for length in lengths {
                // A copy of exactly `length` bytes, so any over-read leaves the allocation.
                let prefix = Array(block[0..<length])
                XCTAssertThrowsError(try BlockCodec.decode(prefix), "\(name) cut to \(length)")
            }
        }
    }

    func testFlippedBytesNeverCrash() throws {
        var rng = CodecTestRandom(seed: 99)
        var threw = 0, decoded = 0
        for (_, block) in try sampleBlocks() {
            // Every bit of the header.
            for bit in 0..<(BlockCodec.headerSize * 8) {
                var copy = block
                copy[bit / 8] ^= 1 << UInt8(bit % 8)
                if (try? BlockCodec.decode(copy)) == nil { threw += 1 } else { decoded += 1 }
            }
            // Random bytes anywhere, one to three at a time.
            for _ in 0..<Self.trials {
                var copy = block
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    copy[Int.random(in: 0..<copy.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                if (try? BlockCodec.decode(copy)) == nil { threw += 1 } else { decoded += 1 }
            }
        }
        XCTAssertGreaterThan(threw, 0)
        print("corruption: \(threw) threw, \(decoded) decoded to some data")
    }

    func testRandomGarbageNeverCrashes() {
        var rng = CodecTestRandom(seed: 1234)
        for _ in 0..<3000 {
            var garbage = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if garbage.count >= 4, Bool.random(using: &rng) {
                // A plausible header start, so the payload parsers get exercised too.
                garbage[0] = BlockHeader.format
                garbage[1] = UInt8.random(in: 0...3, using: &rng)
                garbage[2] = UInt8.random(in: 0...6, using: &rng)
                garbage[3] = UInt8.random(in: 0...2, using: &rng)
            }
            _ = try? BlockCodec.decode(garbage)
            _ = try? garbage.withUnsafeBytes { try BlockCodec.info($0) }
        }
    }

    func testBitWidthsBeyondTheTypeThrow() throws {
        let data = ColumnData.int32((0..<100).map { Int32($0) })
        var block = try BlockCodec.encode(data, as: .bitpack, codec: .none).bytes
        let widthOffset = BlockCodec.headerSize + 8
        for width: UInt8 in [33, 64, 65, 200, 255] {
            block[widthOffset] = width
            XCTAssertThrowsError(try BlockCodec.decode(block), "width \(width)") { error in
                XCTAssertTrue(String(describing: error).contains("bit width"), "\(error)")
            }
        }
        var wide = try BlockCodec.encode(.int64([1, 2, 3]), as: .bitpack, codec: .none).bytes
        wide[widthOffset] = 65
        XCTAssertThrowsError(try BlockCodec.decode(wide))
    }

    func testHeaderChecks() throws {
        let (block, _) = try BlockCodec.encode(.int64([1, 2, 3]), as: .plain, codec: .none)
        func mutated(_ offset: Int, _ value: UInt8) -> [UInt8] {
            var copy = block
            copy[offset] = value
            return copy
        }
        XCTAssertThrowsError(try BlockCodec.decode(mutated(0, 9)), "unknown format")
        XCTAssertThrowsError(try BlockCodec.decode(mutated(1, 4)), "unknown type")
        XCTAssertThrowsError(try BlockCodec.decode(mutated(2, 6)), "prefixNumeric on integers")
        XCTAssertThrowsError(try BlockCodec.decode(mutated(2, 7)), "unknown encoding")
        XCTAssertThrowsError(try BlockCodec.decode(mutated(3, 3)), "unknown codec")
        XCTAssertThrowsError(try BlockCodec.decode(mutated(7, 0x7F)), "count too large")
        XCTAssertThrowsError(try BlockCodec.decode(mutated(4, 4)), "count disagrees with plain bytes")
        XCTAssertEqual(try BlockCodec.decode(block + [0]), .int64([1, 2, 3]), "trailing bytes are ignored")
        XCTAssertThrowsError(try BlockCodec.decode([UInt8]()))
        XCTAssertThrowsError(try [UInt8]().withUnsafeBytes { try BlockCodec.info($0) })
    }

    func testCorruptCompressedPayloadThrows() throws {
        let data = ColumnData.string(StringColumn((0..<3000).map { "row \($0 % 50) of a compressible column" }))
        for codec in [Codec.lz4, .zstd] {
            var block = try BlockCodec.encode(data, as: .plain, codec: codec).bytes
            for i in BlockCodec.headerSize..<min(block.count, BlockCodec.headerSize + 16) { block[i] = 0xFF }
            XCTAssertThrowsError(try BlockCodec.decode(block), "\(codec)")
        }
    }
}
