import Foundation
import RecoupGenerator
import RecoupStore
import XCTest
@testable import RecoupModels

/// On a generated book the features carry the signal the generator put in: trees trained at one month-end
/// rank a later month-end (A_test ≥ A_train + 30, so the labels do not overlap) well.
final class FeaturesBookTests: XCTestCase {
    func testTrainedAtOneMonthEndRanksALaterOne() throws {
        let scratch = FeaturesScratch()
        let csv = scratch.dir + "/generated"
        _ = try generateBook(GeneratorConfig(accounts: 3000, seed: 9), to: csv)
        _ = try Importer.run(store: scratch.store, paths: [csv])
        let snap = try scratch.snapshot()

        let trainAt = featureDay("2025-03-31"), testAt = featureDay("2025-05-31")
        XCTAssertGreaterThanOrEqual(testAt, trainAt + 30)
        let train = try FeatureBuilder.build(snapshot: snap, asOf: trainAt, withLabels: true)
        let test = try FeatureBuilder.build(snapshot: snap, asOf: testAt, withLabels: true).encoded(like: train.dataset)
        XCTAssertGreaterThan(train.dataset.rowCount, 500)
        let positives = test.dataset.labels.reduce(0) { $0 + Int($1) }
        XCTAssertGreaterThan(positives, 50)
        XCTAssertLessThan(positives, test.dataset.rowCount / 2)

        var p = BoostingParameters()
        p.learningRate = 0.05
        p.numLeaves = 15
        p.maxRounds = 300
        p.earlyStoppingRounds = 30
        p.minDataInLeaf = 20
        p.seed = 3
        let model = GradientBoosting.train(train.dataset, p)
        let auc = Metrics.auc(model.predictProbability(test.dataset), test.dataset.labels)
        print("propensity features: train \(train.dataset.rowCount) rows at 2025-03-31, test \(test.dataset.rowCount) rows "
              + "(\(positives) paid) at 2025-05-31, AUC \(auc), rounds \(model.roundsTrained)")
        XCTAssertGreaterThan(auc, 0.7)
        let gain = model.gainImportance()
        let top = gain.indices.sorted { gain[$0] > gain[$1] }.prefix(8).map { train.dataset.featureNames[$0] }
        print("propensity features: most gain from \(top.joined(separator: ", "))")

        // The builder is deterministic.
        let again = try FeatureBuilder.build(snapshot: snap, asOf: trainAt, withLabels: true)
        XCTAssertEqual(again.dataset.columns.map { $0.map(\.bitPattern) }, train.dataset.columns.map { $0.map(\.bitPattern) })
        XCTAssertEqual(again.dataset.labels, train.dataset.labels)
    }
}
