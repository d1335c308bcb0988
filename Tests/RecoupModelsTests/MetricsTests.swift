import XCTest
@testable import RecoupModels

final class MetricsTests: XCTestCase {
    func testAUCWithTiesUsesMidranks() {
        // Pairs (positive, negative): 0.4 vs 0.1 wins, 0.4 vs 0.4 ties (½), 0.8 beats both: 3.5 / 4.
        XCTAssertEqual(Metrics.auc([0.1, 0.4, 0.4, 0.8], [0, 0, 1, 1]), 0.875, accuracy: 1e-12)
        // All tied: ½. Perfect and reversed: 1 and 0. One class only: undefined.
        XCTAssertEqual(Metrics.auc([0.3, 0.3, 0.3], [0, 1, 1]), 0.5, accuracy: 1e-12)
        XCTAssertEqual(Metrics.auc([1, 2, 3, 4], [0, 0, 1, 1]), 1)
        XCTAssertEqual(Metrics.auc([4, 3, 2, 1], [0, 0, 1, 1]), 0)
        XCTAssertTrue(Metrics.auc([0.2, 0.9], [1, 1]).isNaN)
        // A longer case against the pair count: ranks in any input order.
        let s: [Double] = [0.5, 0.1, 0.5, 0.9, 0.3, 0.5, 0.3], y: [UInt8] = [1, 0, 0, 1, 1, 0, 0]
        var wins = 0.0, pairs = 0.0
        for i in s.indices where y[i] == 1 {
            for j in s.indices where y[j] == 0 {
                pairs += 1
                wins += s[i] > s[j] ? 1 : (s[i] == s[j] ? 0.5 : 0)
            }
        }
        XCTAssertEqual(Metrics.auc(s, y), wins / pairs, accuracy: 1e-12)
    }

    func testLogLossAndBrier() {
        XCTAssertEqual(Metrics.logLoss([0.9, 0.2], [1, 0]), -(log(0.9) + log(0.8)) / 2, accuracy: 1e-12)
        XCTAssertEqual(Metrics.logLoss([0.9, 0.2], [1, 0]), 0.164252033486018, accuracy: 1e-12)
        // A certain wrong answer is clipped, not infinite.
        XCTAssertEqual(Metrics.logLoss([0], [1]), -log(1e-15), accuracy: 1e-9)
        XCTAssertEqual(Metrics.brier([0.9, 0.2], [1, 0]), 0.025, accuracy: 1e-12)
    }

    func testExpectedCalibrationError() {
        // Bins: 0.05 → [0, 0.1); 0.15 and 0.12 → [0.1, 0.2); 0.95 and 1.0 → [0.9, 1].
        // (1 × 0.05 + 2 × |0.135 − 0.5| + 2 × |0.975 − 1|) / 5 = 0.166.
        let p = [0.05, 0.15, 0.12, 0.95, 1.0]
        XCTAssertEqual(Metrics.expectedCalibrationError(p, [0, 1, 0, 1, 1]), 0.166, accuracy: 1e-12)
        XCTAssertEqual(Metrics.expectedCalibrationError([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0]), 0, accuracy: 1e-12)
    }

    func testTopDecileLiftAndValueCaptured() {
        // 20 rows, 4 positives (rate 0.2); the top 2 by score are both positive: lift 1 / 0.2 = 5.
        let scores = (0..<20).map { Double(20 - $0) }
        var labels = [UInt8](repeating: 0, count: 20)
        labels[0] = 1; labels[1] = 1; labels[10] = 1; labels[19] = 1
        XCTAssertEqual(Metrics.topDecileLift(scores, labels), 5, accuracy: 1e-12)
        // Top 20% of 5 rows = 1 row, holding 10 of the positives' 60.
        XCTAssertEqual(Metrics.valueCaptured(scores: [5, 4, 3, 2, 1], labels: [1, 0, 1, 1, 0],
                                             values: [10, 100, 20, 30, 40]), 10.0 / 60, accuracy: 1e-12)
        let summary = Metrics.summary([0.1, 0.4, 0.4, 0.8], [0, 0, 1, 1])
        XCTAssertEqual(summary.auc, 0.875, accuracy: 1e-12)
    }
}
