import Foundation
import XCTest
@testable import RecoupSupport

final class CSVTests: XCTestCase {
    func testPlainFieldsStayAsTheyAre() {
        XCTAssertEqual(CSV.field("abc"), "abc")
        XCTAssertEqual(CSV.field(""), "")
        XCTAssertEqual(CSV.field("12.50"), "12.50")
    }

    func testCommaQuoteCRAndLFAreQuoted() {
        XCTAssertEqual(CSV.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSV.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSV.field("a\nb"), "\"a\nb\"")
        XCTAssertEqual(CSV.field("a\rb"), "\"a\rb\"")
    }

    /// "\r\n" is one `Character` in Swift: a test on characters for "\n" or "\r" misses it.
    func testCRLFPairIsQuoted() {
        let v = "line one\r\nline two"
        XCTAssertEqual(v.count, 17)  // the pair counts as one character
        XCTAssertEqual(CSV.field(v), "\"line one\r\nline two\"")
        XCTAssertEqual(CSV.row(["x", v, "y"]), "x,\"line one\r\nline two\",y\n")
    }

    /// What the writer quotes, an independent RFC 4180 reader (Python's csv module's rules, written
    /// out here) reads back as the same fields.
    func testRowsReadBackWithTheirFields() {
        let fields = ["plain", "with,comma", "with \"quote\"", "cr\rlf\n", "crlf\r\n", "", "ünïcödé"]
        XCTAssertEqual(readRFC4180(CSV.row(fields)), fields)
    }

    private func readRFC4180(_ s: String) -> [String] {
        var out: [String] = [], cur: [UInt8] = [], quoted = false, i = 0
        let b = Array(s.utf8)
        while i < b.count {
            let c = b[i]
            if quoted {
                if c == 34 { if i + 1 < b.count && b[i + 1] == 34 { cur.append(34); i += 1 } else { quoted = false } }
                else { cur.append(c) }
            } else if c == 34 { quoted = true }
            else if c == 44 { out.append(String(decoding: cur, as: UTF8.self)); cur = [] }
            else if c == 10 { out.append(String(decoding: cur, as: UTF8.self)); return out }
            else { cur.append(c) }
            i += 1
        }
        out.append(String(decoding: cur, as: UTF8.self))
        return out
    }
}

final class JSONTests: XCTestCase {
    func testStringsEscaped() {
        XCTAssertEqual(JSON.string("a\"b\\c\n\r\t\u{01}"), "\"a\\\"b\\\\c\\n\\r\\t\\u0001\"")
        XCTAssertEqual(JSON.string("é"), "\"é\"")
        XCTAssertEqual(JSON.optional(nil), "null")
    }

    func testNonFiniteNumbersAreNull() {
        XCTAssertEqual(JSON.number(.nan) { "\($0)" }, "null")
        XCTAssertEqual(JSON.number(.infinity) { "\($0)" }, "null")
        XCTAssertEqual(JSON.number(-.infinity) { "\($0)" }, "null")
        XCTAssertEqual(JSON.number(0.5) { "\($0)" }, "0.5")
    }

    /// Every escaped string parses back, under Foundation's strict parser, to the string written.
    func testEscapedStringsParseBack() throws {
        let samples = ["", "plain", "quote \" back \\ slash", "\r\n\t", "\u{00}\u{1f}\u{7f}", "🙂 emoji", "line\u{2028}sep"]
        for s in samples {
            let doc = "[" + JSON.string(s) + "]"
            let parsed = try JSONSerialization.jsonObject(with: Data(doc.utf8)) as? [String]
            XCTAssertEqual(parsed, [s], doc)
        }
    }
}

final class SuggestTests: XCTestCase {
    func testTyposAndCutOrExtendedNames() {
        let kpis = ["recovery_rate", "liquidation", "dso", "days_to_collect", "cei"]
        XCTAssertEqual(Suggest.closest("recovry_rate", in: kpis), "recovery_rate")
        XCTAssertEqual(Suggest.closest("dso_x", in: kpis), "dso")
        XCTAssertEqual(Suggest.closest("liquid", in: kpis), "liquidation")
        XCTAssertNil(Suggest.closest("zz", in: kpis))
        XCTAssertNil(Suggest.closest("banana", in: kpis))
    }
}

final class TextTableTests: XCTestCase {
    func testAlignment() {
        let t = TextTable.render(header: ["name", "n"], rows: [["a", "10"], ["bbb", "2"]], rightAligned: [1])
        XCTAssertEqual(t, "name   n\n────  ──\na     10\nbbb    2\n")
    }
}
