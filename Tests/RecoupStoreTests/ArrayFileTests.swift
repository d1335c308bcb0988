import Foundation
import XCTest
@testable import RecoupStore

final class ArrayFileTests: XCTestCase {
    func testRoundTripOfEveryKind() throws {
        var f = ArrayFile(metadata: #"{"model":"p2p-1"}"#)
        let big = (0..<100_000).map { Int32($0 % 7) }  // compressible: stored with LZ4
        f.put("u8", [0, 1, 255] as [UInt8])
        f.put("i16", [-1, 0, Int16.max] as [Int16])
        f.put("i32", big)
        f.put("i64", [Int64.min, 0, Int64.max])
        f.put("f64", [0.1, -.infinity, .nan, 1e300])
        f.put("f32", [Float(0.5), .nan])
        f.put("s", ["", "A0001", "ünïcödé ✓", String(repeating: "x", count: 10_000)])
        f.put("empty", [] as [String])
        let back = try ArrayFile(decoding: f.encoded())
        XCTAssertEqual(back.metadata, #"{"model":"p2p-1"}"#)
        XCTAssertEqual(back.names, ["u8", "i16", "i32", "i64", "f64", "f32", "s", "empty"])
        XCTAssertEqual(try back.uint8("u8"), [0, 1, 255])
        XCTAssertEqual(try back.int16("i16"), [-1, 0, Int16.max])
        XCTAssertEqual(try back.int32("i32"), big)
        XCTAssertEqual(try back.int64("i64"), [Int64.min, 0, Int64.max])
        let d = try back.double("f64")
        XCTAssertEqual(d[0], 0.1); XCTAssertEqual(d[1], -.infinity); XCTAssertTrue(d[2].isNaN); XCTAssertEqual(d[3], 1e300)
        XCTAssertEqual(try back.float("f32")[0], 0.5)
        XCTAssertEqual(try back.strings("s"), ["", "A0001", "ünïcödé ✓", String(repeating: "x", count: 10_000)])
        XCTAssertEqual(try back.strings("empty"), [])
        XCTAssertLessThan(f.encoded().count, 100_000, "the repetitive Int32 array is compressed")
        XCTAssertThrowsError(try back.int64("i32"), "wrong kind")
        XCTAssertThrowsError(try back.int32("missing"))
    }

    func testDamageIsAnErrorNeverACrash() throws {
        var f = ArrayFile(metadata: "{}")
        f.put("s", ["a", "bb", "ccc"])
        f.put("x", (0..<5000).map { Int64($0) })
        let good = f.encoded()
        for i in stride(from: 0, to: good.count, by: max(1, good.count / 300)) {
            var bad = good
            bad[i] ^= 0x5a
            XCTAssertThrowsError(try ArrayFile(decoding: bad), "flipped byte \(i)")
        }
        for cut in [0, 3, 8, 20, good.count / 2, good.count - 1] {
            XCTAssertThrowsError(try ArrayFile(decoding: Array(good.prefix(cut))), "cut at \(cut)")
        }
    }

    func testWriteIsAtomicAndNamesTheFileWhenDamaged() throws {
        let dir = NSTemporaryDirectory() + "recoup-arrayfile-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var f = ArrayFile()
        f.put("v", [1, 2, 3] as [Int32])
        try f.write(to: dir + "/a.arrays")
        XCTAssertEqual(try ArrayFile.read(dir + "/a.arrays").int32("v"), [1, 2, 3])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["a.arrays"], "no temporary file left")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: dir + "/b.arrays"))
        XCTAssertThrowsError(try ArrayFile.read(dir + "/b.arrays")) {
            XCTAssertEqual(($0 as? RecoupError)?.kind, .dataError)
            XCTAssertTrue("\($0)".contains("b.arrays"))
        }
    }
}
