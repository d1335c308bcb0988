import XCTest
@testable import RecoupStore

final class CodecTests: XCTestCase {
    private func assertRoundTrip(_ name: String, _ data: ColumnData, file: StaticString = #filePath, line: UInt = #line) {
        for policy in [CompressionPolicy.none, .hot, .cold] {
            let (bytes, info) = BlockCodec.encode(data, policy: policy)
            XCTAssertEqual(info.storedBytes, bytes.count, name, file: file, line: line)
            XCTAssertEqual(info.plainBytes, data.plainByteCount, name, file: file, line: line)
            XCTAssertEqual(try BlockCodec.info(bytes.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[0..<BlockCodec.headerSize]) }), info, name, file: file, line: line)
            XCTAssertEqual(try BlockCodec.header(bytes.withUnsafeBytes { $0 }).count, data.count, name, file: file, line: line)
            if policy == .none { XCTAssertEqual(info.codec, .none, name, file: file, line: line) }
            XCTAssertLessThanOrEqual(info.encodedBytes, data.plainByteCount + 32, "\(name): the chooser never does much worse than plain", file: file, line: line)
            do {
                let decoded = try BlockCodec.decode(bytes)
                XCTAssertEqual(decoded, data, "\(name) (\(info.encoding), \(policy))", file: file, line: line)
            } catch {
                XCTFail("\(name) (\(info.encoding), \(policy)): \(error)", file: file, line: line)
            }
        }
    }

    private func assertForcedRoundTrip(_ name: String, _ data: ColumnData, as encoding: Encoding, file: StaticString = #filePath, line: UInt = #line) throws {
        for codec in Codec.allCases {
            let (bytes, info) = try BlockCodec.encode(data, as: encoding, codec: codec)
            XCTAssertEqual(info.encoding, encoding, file: file, line: line)
            XCTAssertEqual(info.codec, codec, file: file, line: line)
            XCTAssertEqual(info.storedBytes, bytes.count, file: file, line: line)
            XCTAssertEqual(try BlockCodec.decode(bytes), data, "\(name) as \(encoding) + \(codec)", file: file, line: line)
        }
    }

    func testChosenEncodingsRoundTrip() {
        for (name, data) in CodecSamples.allColumns() {
            assertRoundTrip(name, data)
        }
    }

    func testEveryIntegerEncodingRoundTrips() throws {
        let columns = CodecSamples.allColumns().filter { $0.1.type != .string }
        for (name, data) in columns {
            for encoding in CodecSamples.integerEncodings {
                let constant: Bool
                switch data {
                case .uint8(let v): constant = !v.isEmpty && Set(v).count == 1
                case .int32(let v): constant = !v.isEmpty && Set(v).count == 1
                case .int64(let v): constant = !v.isEmpty && Set(v).count == 1
                case .string: constant = false
                }
                if encoding == .constant && !constant {
                    XCTAssertThrowsError(try BlockCodec.encode(data, as: .constant, codec: .none), name)
                    continue
                }
                try assertForcedRoundTrip(name, data, as: encoding)
            }
            XCTAssertThrowsError(try BlockCodec.encode(data, as: .prefixNumeric, codec: .none), name)
        }
    }

    func testEveryStringEncodingRoundTrips() throws {
        for (name, strings) in CodecSamples.stringColumns() {
            let data = ColumnData.string(StringColumn(strings))
            try assertForcedRoundTrip(name, data, as: .plain)
            try assertForcedRoundTrip(name, data, as: .dictionary)
            if !strings.isEmpty && Set(strings).count == 1 {
                try assertForcedRoundTrip(name, data, as: .constant)
            } else {
                XCTAssertThrowsError(try BlockCodec.encode(data, as: .constant, codec: .none), name)
            }
            if (try? BlockCodec.encode(data, as: .prefixNumeric, codec: .none)) != nil {
                try assertForcedRoundTrip(name, data, as: .prefixNumeric)
            }
            for encoding in [Encoding.rle, .bitpack, .deltaBitpack] {
                XCTAssertThrowsError(try BlockCodec.encode(data, as: encoding, codec: .none), name)
            }
        }
    }

    func testPrefixNumericAppliesOnlyToFixedWidthDigits() {
        func applies(_ strings: [String]) -> Bool {
            (try? BlockCodec.encode(.string(StringColumn(strings)), as: .prefixNumeric, codec: .none)) != nil
        }
        XCTAssertTrue(applies(["C000000001", "C000000002", "C000000310"]))
        XCTAssertTrue(applies(["P01", "", "P02"]), "empty strings (nulls) are allowed")
        XCTAssertTrue(applies(["7", "0", "9"]), "no prefix at all")
        XCTAssertFalse(applies(["C1", "C22"]), "different widths")
        XCTAssertFalse(applies(["C001", "C0A2"]), "a non-digit")
        XCTAssertFalse(applies(["001X", "002X"]), "digits not at the end")
        XCTAssertFalse(applies(["AB", "CD"]), "no digits")
        XCTAssertFalse(applies(["", ""]), "only nulls")
        XCTAssertFalse(applies([]))
        XCTAssertFalse(applies(["N0000000000000000001", "N0000000000000000002", "N1000000000000000002"]), "more than 18 digits")
        XCTAssertFalse(applies(["C-01", "C-02", "C+03"]), "signs are not digits")
    }

    func testChooserPicksTheObviousEncoding() {
        var rng = CodecTestRandom(seed: 3)
        func chosen(_ data: ColumnData) -> Encoding { BlockCodec.encode(data, policy: .none).info.encoding }

        XCTAssertEqual(chosen(.int32(Array(repeating: 7, count: 1000))), .constant)
        XCTAssertEqual(chosen(.int64(Array(repeating: Null.int64, count: 1000))), .constant)
        XCTAssertEqual(chosen(.uint8(Array(repeating: 2, count: 1000))), .constant)
        XCTAssertEqual(chosen(.int32((0..<10_000).map { _ in Int32.random(in: 0..<100, using: &rng) })), .bitpack)
        XCTAssertEqual(chosen(.int64((0..<10_000).map { _ in Int64.random(in: 500_000...600_000, using: &rng) })), .bitpack)
        XCTAssertEqual(chosen(.int64((0..<10_000).map { Int64($0) + 1_700_000_000 })), .deltaBitpack)
        var t: Int64 = 1_700_000_000
        XCTAssertEqual(chosen(.int64((0..<10_000).map { _ in t += Int64.random(in: 0...30, using: &rng); return t })), .deltaBitpack)
        XCTAssertEqual(chosen(.int64((0..<10_000).map { _ in [Int64.min, 7, 1 << 50][Int.random(in: 0..<3, using: &rng)] })), .dictionary)
        XCTAssertEqual(chosen(.int32((0..<10_000).map { Int32($0 / 2000) * 1_000_000 })), .rle)
        XCTAssertEqual(chosen(.int64((0..<10_000).map { _ in Int64.random(in: .min ... .max, using: &rng) })), .plain)

        let ids = (1...99_999).map { "P" + String(repeating: "0", count: 7 - String($0).count) + String($0) }
        XCTAssertEqual(ids.first, "P0000001")
        XCTAssertEqual(ids.last, "P0099999")
        XCTAssertEqual(chosen(.string(StringColumn(ids))), .prefixNumeric)
        let shuffled = ids.shuffled(using: &rng)
        XCTAssertEqual(chosen(.string(StringColumn(shuffled))), .prefixNumeric)
        XCTAssertEqual(chosen(.string(StringColumn((0..<10_000).map { ["card", "invoice", "medical", "utility"][$0 % 4] }))), .dictionary)
        XCTAssertEqual(chosen(.string(StringColumn(Array(repeating: "x", count: 100)))), .constant)
        XCTAssertEqual(chosen(.string(StringColumn((0..<1000).map { "C\($0)" }))), .plain)
    }

    func testPrefixNumericIsCompact() throws {
        let ids = (1...100_000).map { "C" + String(repeating: "0", count: 9 - String($0).count) + String($0) }
        let data = ColumnData.string(StringColumn(ids))
        let (bytes, info) = BlockCodec.encode(data, policy: .none)
        XCTAssertEqual(info.encoding, .prefixNumeric)
        XCTAssertLessThan(bytes.count, 100, "sequential ids are an arithmetic sequence")
        XCTAssertEqual(try BlockCodec.decode(bytes), data)
    }

    func testBlockCompressionFollowsPolicy() throws {
        var rng = CodecTestRandom(seed: 5)
        let sentences = (0..<4000).map { i in "payment plan agreed with debtor number \(i), next call in \(Int.random(in: 1...9, using: &rng)) days" }
        let text = ColumnData.string(StringColumn(sentences))
        let hot = BlockCodec.encode(text, policy: .hot)
        let cold = BlockCodec.encode(text, policy: .cold)
        let none = BlockCodec.encode(text, policy: .none)
        XCTAssertEqual(hot.info.codec, .lz4)
        XCTAssertEqual(cold.info.codec, .zstd)
        XCTAssertEqual(none.info.codec, .none)
        XCTAssertLessThan(cold.info.storedBytes, hot.info.storedBytes)
        XCTAssertLessThan(hot.info.storedBytes, none.info.storedBytes)
        XCTAssertEqual(hot.info.encodedBytes, none.info.encodedBytes)
        for block in [hot, cold, none] { XCTAssertEqual(try BlockCodec.decode(block.bytes), text) }

        // Incompressible data keeps no codec.
        let noise = ColumnData.int64((0..<5000).map { _ in Int64.random(in: .min ... .max, using: &rng) })
        XCTAssertEqual(BlockCodec.encode(noise, policy: .hot).info.codec, .none)
        XCTAssertEqual(BlockCodec.encode(noise, policy: .cold).info.codec, .none)
    }

    func testDecodeIgnoresTrailingBytesAndReadsUnaligned() throws {
        let data = ColumnData.int32((0..<5000).map { Int32($0 * 7 % 1000) })
        for codec in Codec.allCases {
            let (bytes, _) = try BlockCodec.encode(data, as: .bitpack, codec: codec)
            let shifted = [0xAA] + bytes + [1, 2, 3]
            let decoded = try shifted.withUnsafeBytes { try BlockCodec.decode(UnsafeRawBufferPointer(rebasing: $0[1...])) }
            XCTAssertEqual(decoded, data)
        }
    }

    func testDescriptions() {
        XCTAssertEqual(Encoding.allCases.map(\.description), ["plain", "constant", "rle", "bitpack", "delta-bitpack", "dictionary", "prefix-numeric"])
        XCTAssertEqual(Codec.allCases.map(\.description), ["none", "lz4", "zstd"])
    }

    func testBitPackingAtEveryWidth() throws {
        var rng = CodecTestRandom(seed: 17)
        for width in 0...64 {
            let range: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
            // Offsets must not wrap past Int64.max, or the signed range is wider than `width`.
            let base = width >= 63 ? Int64.min : Int64.random(in: -1000...1000, using: &rng)
            var values = (0..<2600).map { _ in base &+ Int64(bitPattern: UInt64.random(in: 0...range, using: &rng)) }
            values[5] = base
            values[6] = base &+ Int64(bitPattern: range)
            let data = ColumnData.int64(values)
            let (bytes, _) = try BlockCodec.encode(data, as: .bitpack, codec: .none)
            XCTAssertEqual(bytes[BlockCodec.headerSize + 8], UInt8(width))
            XCTAssertEqual(try BlockCodec.decode(bytes), data, "width \(width)")
            if width <= 32 {
                let narrow = ColumnData.int32(values.map { Int32(truncatingIfNeeded: $0) })
                XCTAssertEqual(try BlockCodec.decode(try BlockCodec.encode(narrow, as: .bitpack, codec: .none).bytes), narrow, "int32 width \(width)")
            }
        }
    }
}
