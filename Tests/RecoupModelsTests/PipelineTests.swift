import Foundation
import XCTest
import RecoupGenerator
@testable import RecoupModels
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
        _ = try set.save(store: dir + "/store")
        XCTAssertEqual(try ScoreSet.latest(store: dir + "/store")?.scores.count, set.scores.count)
    }
}
