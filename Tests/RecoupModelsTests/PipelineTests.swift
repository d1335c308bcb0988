import Foundation
import XCTest
import RecoupGenerator
@testable import RecoupModels
import RecoupEngine
import RecoupStore

/// train → model file and card → score → saved scores, on a generated book.
final class PipelineTests: XCTestCase {
    func testTrainSaveLoadAndScore() throws {
        let dir = NSTemporaryDirectory() + "recoup-pipeline-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try generateBook(GeneratorConfig(accounts: 3000, seed: 21), to: dir + "/book")
        _ = try Importer.run(store: dir + "/store", paths: [dir + "/book"])
        let snapshot = try Store.open(dir + "/store")
        let a = CivilDate.parse("2025-06-30")!

        XCTAssertEqual(ModelTraining.snapshotDates(asOf: a, count: 3).map(CivilDate.format), ["2025-03-31", "2025-04-30", "2025-05-31"],
                       "month-ends whose 30-day labels are complete by A")
        let bundle = try ModelTraining.train(snapshot: snapshot, store: dir + "/store", asOf: a, seed: 3)
        XCTAssertEqual(bundle.version, 1)
        XCTAssertGreaterThan(bundle.heldOut.auc, 0.7)
        _ = try bundle.save(store: dir + "/store")
        let loaded = try ModelBundle.latest(store: dir + "/store")
        XCTAssertEqual(loaded.name, "p2p-1")
        XCTAssertEqual(loaded.trainingSnapshots, bundle.trainingSnapshots)
        XCTAssertEqual(loaded.contactTime, bundle.contactTime, "per-account arrays come back from p2p-1.arrays")
        XCTAssertEqual(loaded.boosted.trees, bundle.boosted.trees)
        XCTAssertLessThan(try FileManager.default.attributesOfItem(atPath: dir + "/store/models/p2p-1.json")[.size] as! Int, 2_000_000)
        XCTAssertTrue(try String(contentsOfFile: dir + "/store/models/p2p-1.md", encoding: .utf8).contains("# Model card: p2p-1"))

        let set = try Scoring.score(snapshot: snapshot, models: loaded, asOf: a)
        let population = try FeatureBuilder.build(snapshot: snapshot, asOf: a, withLabels: false)
        XCTAssertEqual(set.scores.count, population.accountKeys.count, "every eligible account is scored")
        for s in set.scores {
            XCTAssertTrue((0...1).contains(s.p_pay_30d))
            XCTAssertEqual(s.expected_value, Int64((s.p_pay_30d * Double(s.outstanding)).rounded()))
            XCTAssertGreaterThan(s.outstanding, 0)
            XCTAssertLessThanOrEqual(s.reasons.count, 6)
            XCTAssertTrue(s.best_slots.allSatisfy { (8...20).contains($0.hour) })
        }
        // Scoring twice gives the same scores (deterministic models and features).
        XCTAssertEqual(try Scoring.score(snapshot: snapshot, models: loaded, asOf: a).scores, set.scores)
        // Every score's fields, checked against an independent walk of the model.
        let byID = Dictionary(uniqueKeysWithValues: set.scores.map { ($0.account_id, $0) })
        let ids = try TableScan(snapshot, "accounts").text("account_id")
        let encoded = population.encoded(like: loaded.reference)
        let rawP = loaded.calibrator.apply(loaded.boosted.predictProbability(encoded.dataset))
        let slots = try ContactTimeModel.recommend(model: loaded.contactTime, snapshot: snapshot, asOf: a, accounts: population.accountKeys, top: 3)
        for i in stride(from: 0, to: encoded.dataset.rowCount, by: 7) {
            let s = try XCTUnwrap(byID[ids[Int(population.accountKeys[i])]])
            XCTAssertEqual(s.p_pay_30d, rawP[i])
            let (up, down) = loaded.boosted.reasonCodes(loaded.boosted.contributions(encoded.dataset, row: i), k: 3)
            XCTAssertEqual(s.reasons.map(\.feature), (up + down).map(\.feature))
            XCTAssertEqual(s.best_slots, slots[i])
        }
        let path = try set.save(store: dir + "/store")
        XCTAssertTrue(path.hasSuffix("/scores/000001.scores"))
        XCTAssertEqual(try ScoreSet.latest(store: dir + "/store")?.scores, set.scores, "the score file gives back every field")
        // A damaged score file is an error naming it, not a crash.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ScoreSet.latest(store: dir + "/store")) { XCTAssertTrue("\($0)".contains("000001.scores")) }
    }
}
