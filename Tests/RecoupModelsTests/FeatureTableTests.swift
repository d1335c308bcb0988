import XCTest
import RecoupStore
@testable import RecoupModels

final class FeatureTableTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("recoup-ft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func error(_ body: () throws -> Void) -> RecoupError? {
        do { try body() } catch let e as RecoupError { return e } catch { XCTFail("\(error)") }
        return nil
    }

    func testLoadsNumbersCategoriesAndMissing() throws {
        let train = try write("train.csv", """
            balance,region,paid,score
            100.5,"North, upper",1,0.5
            ,South,0,NA
            -3e2,"North, upper",1, 7
            42,,0,NaN

            """)
        let d = try FeatureTable.load(path: train, label: "paid", categorical: ["region"])
        XCTAssertEqual(d.featureNames, ["balance", "region", "score"])
        XCTAssertEqual(d.isCategorical, [false, true, false])
        XCTAssertEqual(d.labels, [1, 0, 1, 0])
        XCTAssertEqual(d.columns[0][0], 100.5)
        XCTAssertTrue(d.columns[0][1].isNaN)
        XCTAssertEqual(d.columns[0][2], -300)
        XCTAssertEqual(d.categoryLevels[1], ["North, upper", "South"])
        XCTAssertEqual(d.columns[1][0], 0)
        XCTAssertEqual(d.columns[1][2], 0)
        XCTAssertTrue(d.columns[1][3].isNaN)
        XCTAssertEqual(d.columns[2][2], 7)
        XCTAssertTrue(d.columns[2][1].isNaN && d.columns[2][3].isNaN)

        // A test table: other column order, an unseen category → missing, codes from the train table.
        let test = try write("test.csv", "score,paid,region,balance\n1,0,South,5\n2,1,East,6\n")
        let t = try FeatureTable.load(path: test, label: "paid", categorical: ["region"], like: d)
        XCTAssertEqual(t.featureNames, d.featureNames)
        XCTAssertEqual(t.columns[0], [5, 6])
        XCTAssertEqual(t.columns[1][0], 1)
        XCTAssertTrue(t.columns[1][1].isNaN)
        XCTAssertEqual(t.columns[2], [1, 2])
    }

    func testIgnoredColumnsAreNotFeatures() throws {
        let train = try write("ign-train.csv", "x,split,label,note\n1,fit,0,a\n2,validation,1,b\n")
        let test = try write("ign-test.csv", "note,label,x,split\nz,1,5,fit\n")
        let t = try FeatureTable.load(path: train, label: "label", ignore: ["split", "note"])
        XCTAssertEqual(t.featureNames, ["x"])
        XCTAssertEqual(t.columns, [[1, 2]])
        let u = try FeatureTable.load(path: test, label: "label", like: t, ignore: ["split", "note"])
        XCTAssertEqual(u.columns, [[5]])
        XCTAssertEqual(u.labels, [1])
        XCTAssertThrowsError(try FeatureTable.load(path: train, label: "label"), "text in split is an error unless ignored")
        XCTAssertEqual(try FeatureTable.load(path: train, label: "label", ignore: ["split", "note", "only_in_test"]).featureNames, ["x"],
                       "a column to ignore may be missing from one of the tables")
    }

    func testErrors() throws {
        let good = try write("good.csv", "x,label\n1,0\n2,1\n")
        let e1 = error { _ = try FeatureTable.load(path: good, label: "lable") }
        XCTAssertEqual(e1?.kind, .dataError)
        XCTAssertTrue(e1?.message.contains("did you mean 'label'") ?? false, e1?.message ?? "")

        let badLabel = try write("badlabel.csv", "x,label\n1,0\n2,2\n")
        let e2 = error { _ = try FeatureTable.load(path: badLabel, label: "label") }
        XCTAssertEqual(e2?.kind, .dataError)
        XCTAssertTrue(e2?.message.contains("badlabel.csv:3") ?? false, e2?.message ?? "")
        XCTAssertTrue(e2?.message.contains("not 0 or 1") ?? false)

        let text = try write("text.csv", "x,seg,label\n1,a,0\n2,b,1\n")
        let e3 = error { _ = try FeatureTable.load(path: text, label: "label") }
        XCTAssertEqual(e3?.kind, .dataError)
        XCTAssertEqual(e3?.message, "\(text):2: column 'seg': 'a' is not a number")
        XCTAssertNotNil(e3?.details)

        let train = try FeatureTable.load(path: text, label: "label", categorical: ["seg"])
        let other = try write("other.csv", "x,region,label\n1,a,0\n")
        let e4 = error { _ = try FeatureTable.load(path: other, label: "label", categorical: ["seg"], like: train) }
        XCTAssertEqual(e4?.kind, .dataError)
        XCTAssertTrue(e4?.message.contains("lacks seg") ?? false, e4?.message ?? "")
        XCTAssertTrue(e4?.message.contains("has extra region") ?? false)

        let e5 = error { _ = try FeatureTable.load(path: dir.appendingPathComponent("nope.csv").path, label: "label") }
        XCTAssertEqual(e5?.kind, .noInput)

        let ragged = try write("ragged.csv", "x,label\n1,0\n2\n")
        XCTAssertEqual(error { _ = try FeatureTable.load(path: ragged, label: "label") }?.kind, .dataError)

        let e6 = error { _ = try FeatureTable.load(path: good, label: "label", categorical: ["z"]) }
        XCTAssertEqual(e6?.kind, .dataError)
    }

    func testNumberParsing() {
        func parse(_ s: String) -> FeatureTable.Parsed {
            Array(s.utf8).withUnsafeBytes { FeatureTable.parseNumber($0) }
        }
        XCTAssertEqual(parse("1.25"), .value(1.25))
        XCTAssertEqual(parse(" -4E2 "), .value(-400))
        XCTAssertEqual(parse(""), .missing)
        XCTAssertEqual(parse("NaN"), .missing)
        XCTAssertEqual(parse("na"), .missing)
        XCTAssertEqual(parse("1.2.3"), .invalid)
        XCTAssertEqual(parse("0x10"), .invalid)
        XCTAssertEqual(parse("inf"), .invalid)
        XCTAssertEqual(parse("12abc"), .invalid)
    }
}
