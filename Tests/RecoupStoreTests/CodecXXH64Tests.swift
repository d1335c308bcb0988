import XCTest
@testable import RecoupStore

final class CodecXXH64Tests: XCTestCase {
    /// Values checked against the reference implementation (python-xxhash 3.x).
    func testKnownVectors() {
        XCTAssertEqual(XXH64.hash([UInt8]()), 0xEF46_DB37_51D8_E999)
        XCTAssertEqual(XXH64.hash(Array("a".utf8)), 0xD24E_C4F1_A98C_6E5B)
        XCTAssertEqual(XXH64.hash(Array("abc".utf8)), 0x44BC_2CF5_AD77_0999)
        XCTAssertEqual(XXH64.hash(Array("Nobody inspects the spammish repetition".utf8)), 0xFBCE_A83C_8A37_8BF1)
        XCTAssertEqual(XXH64.hash(Array("0123456789abcdef0123456789abcdef0".utf8)), 0xE876_84F0_8D6D_0816)
        let bytes = (0..<1024).map { UInt8($0 % 256) }
        XCTAssertEqual(XXH64.hash(bytes), 0x6F39_14F1_8FE4_DF57)
    }

    func testSeed() {
        let seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        XCTAssertEqual(XXH64.hash([UInt8](), seed: seed), 0xC434_9FC9_3C01_0000)
        XCTAssertEqual(XXH64.hash(Array("a".utf8), seed: seed), 0x9A7C_6D2E_A455_68C9)
        XCTAssertEqual(XXH64.hash(Array("abc".utf8), seed: seed), 0x2ED0_F59D_6B43_AC8B)
        XCTAssertEqual(XXH64.hash((0..<1024).map { UInt8($0 % 256) }, seed: seed), 0x22D0_F450_3BCD_A26A)
    }

    func testUnalignedSlicesHashLikeCopies() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        bytes.withUnsafeBytes { raw in
            for start in 0..<9 {
                for end in [start, start + 1, start + 7, start + 31, start + 32, start + 33, 300] {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                    XCTAssertEqual(XXH64.hash(slice), XXH64.hash(Array(bytes[start..<end])))
                }
            }
        }
    }
}
