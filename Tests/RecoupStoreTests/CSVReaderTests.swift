import XCTest
@testable import RecoupStore

final class CSVReaderTests: XCTestCase {
    func records(_ text: String, bufferSize: Int = 4 << 20) throws -> [(line: Int, fields: [String])] {
        let s = Scratch()
        let path = s.write("x.csv", text)
        let r = try CSVReader(path: path, bufferSize: bufferSize)
        var out: [(Int, [String])] = []
        while try r.next() { out.append((r.line, (0..<r.fieldCount).map(r.fieldString))) }
        return out
    }

    func testRFC4180() throws {
        let text = "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\n,,\nlast,row,\"q\""
        for size in [4 << 20, 7, 16] {  // tiny buffers force records across refills
            let r = try records(text, bufferSize: size)
            XCTAssertEqual(r.map(\.fields), [["a", "b", "c"], ["x,1", "say \"hi\"", "two\nlines"], ["", "", ""], ["last", "row", "q"]], "buffer \(size)")
            XCTAssertEqual(r.map(\.line), [1, 2, 4, 5])
        }
    }

    func testByteOrderMarkAndTrailingComma() throws {
        let r = try records("\u{FEFF}h1,h2\nv1,\n")
        XCTAssertEqual(r.map(\.fields), [["h1", "h2"], ["v1", ""]])
    }

    func testMalformedQuotingIsAnErrorWithItsLine() throws {
        XCTAssertThrowsError(try records("a,b\nx,\"open\n")) { e in
            XCTAssertEqual((e as? CSVReader.SyntaxError)?.line, 2)
        }
        XCTAssertThrowsError(try records("a,b\nx\"y,z\n")) { e in
            XCTAssertEqual((e as? CSVReader.SyntaxError)?.line, 2)
        }
        XCTAssertThrowsError(try records("a,b\n\"x\"y,z\n"))
    }
}
