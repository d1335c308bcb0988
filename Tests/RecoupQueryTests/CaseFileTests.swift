import Foundation
import RecoupStore
import XCTest

@testable import RecoupQuery

/// Data-driven query tests in the manner of DuckDB's sqllogictest: each `Fixtures/cases/*.rqt` file
/// holds cases run on `QueryBook` (the hand-written book of QueryTestSupport), with answers worked out
/// by hand from that book. A case is
///
///     query NAME            (or: error NAME RQnnn)
///     <query text, one or more lines>
///     ----
///     <expected rows, cells separated by " | "; nothing for no rows>  (or: text the message contains)
///
/// and ends at a blank line. Lines starting with `#` are comments.
final class CaseFileTests: XCTestCase {
    struct Case {
        var file: String, line: Int, name: String, errorCode: String?
        var query: String, expected: [String]
    }

    static var casesDir: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/cases").path
    }

    static func load() throws -> [Case] {
        var out: [Case] = []
        let files = try FileManager.default.contentsOfDirectory(atPath: casesDir).filter { $0.hasSuffix(".rqt") }
            .sorted()
        for file in files {
            let lines = try String(contentsOfFile: casesDir + "/" + file, encoding: .utf8).components(separatedBy: "\n")
            var i = 0
            while i < lines.count {
                let head = lines[i].trimmingCharacters(in: .whitespaces)
                if head.isEmpty || head.hasPrefix("#") { i += 1; continue }
                let words = head.split(separator: " ").map(String.init)
                guard words.count >= 2, words[0] == "query" || (words[0] == "error" && words.count == 3) else {
                    throw NSError(
                        domain: "\(file):\(i + 1): expected `query NAME` or `error NAME RQnnn`, found `\(head)`",
                        code: 1)
                }
                var c = Case(
                    file: file, line: i + 1, name: words[1], errorCode: words[0] == "error" ? words[2] : nil, query: "",
                    expected: [])
                i += 1
                var text: [String] = []
                while i < lines.count, lines[i] != "----" { text.append(lines[i]); i += 1 }
                i += 1
                while i < lines.count, !lines[i].isEmpty { c.expected.append(lines[i]); i += 1 }
                c.query = text.joined(separator: "\n")
                out.append(c)
            }
        }
        return out
    }

    func testEveryCase() throws {
        let b = try QueryBook()
        let cases = try Self.load()
        XCTAssertGreaterThanOrEqual(cases.count, 60, "the case files should hold at least 60 cases")
        XCTAssertEqual(Set(cases.map(\.name)).count, cases.count, "case names are unique")
        for c in cases {
            let place = "\(c.file):\(c.line) \(c.name)"
            do {
                let r = try QueryEngine.run(c.query, snapshot: b.snapshot, options: QueryOptions(rowLimit: 6))
                if let code = c.errorCode { XCTFail("\(place): expected \(code), got \(r.rows.count) rows"); continue }
                let got = r.rows.map { $0.map(\.description).joined(separator: " | ") }
                XCTAssertEqual(got, c.expected, place)
                // The plain plan and the plan without each one rule give the same rows: every rewrite
                // (top-k, pushdown, first rows, pruning, late materialization) against its slow path.
                for (label, rules) in Self.ruleSets {
                    let executor = Executor(snapshot: b.snapshot, options: QueryOptions(rowLimit: 6), cancel: nil)
                    let other = try executor.execute(executor.plan(Parser.parse(c.query), rules: rules).plan)
                    XCTAssertEqual(other, r, "\(place): \(label)")
                }
            } catch let e as QueryError {
                guard let code = c.errorCode else { XCTFail("\(place): \(e.code) \(e.message)"); continue }
                XCTAssertEqual(e.code, code, "\(place): \(e.message)")
                for part in c.expected {
                    XCTAssertTrue(
                        e.message.contains(part) || (e.help ?? "").contains(part),
                        "\(place): `\(part)` not in \(e.message) / \(e.help ?? "")")
                }
            }
        }
    }

    static let ruleSets: [(String, [PlanRule.Type])] =
        [("no rules", [])]
        + Rules.all.map { rule in ("without \(rule.name)", Rules.all.filter { $0 != rule }) }

    /// Every error code the executor raises that a query on a store can reach has a case.
    func testErrorCodesCovered() throws {
        let codes = Set(try Self.load().compactMap(\.errorCode))
        for code in [
            "RQ201", "RQ202", "RQ203", "RQ205", "RQ206", "RQ301", "RQ303", "RQ304", "RQ305", "RQ306",
            "RQ310", "RQ311", "RQ320", "RQ321", "RQ401", "RQ902",
        ] {
            XCTAssertTrue(codes.contains(code), "no case for \(code)")
        }
    }
}
