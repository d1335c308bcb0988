import XCTest
@testable import RecoupModels

final class CalibrationTests: XCTestCase {
    /// True probability p; the model says p³ (far too low in the middle).
    func miscalibrated(_ n: Int, seed: UInt64) -> (scores: [Double], labels: [UInt8]) {
        var r = SplitRandom(seed: seed)
        var s: [Double] = [], y: [UInt8] = []
        for _ in 0..<n {
            let p = r.uniform()
            s.append(p * p * p)
            y.append(r.uniform() < p ? 1 : 0)
        }
        return (s, y)
    }

    func testCalibrationLowersECE() {
        let fit = miscalibrated(5000, seed: 1), held = miscalibrated(5000, seed: 2)
        let before = Metrics.expectedCalibrationError(held.scores, held.labels)
        XCTAssertGreaterThan(before, 0.15)
        for c in [Calibrator.fitIsotonic(probabilities: fit.scores, labels: fit.labels),
                  Calibrator.fitPlatt(probabilities: fit.scores, labels: fit.labels)] {
            let after = Metrics.expectedCalibrationError(c.apply(held.scores), held.labels)
            // Platt's straight line in log-odds cannot bend to p^(1/3) everywhere; isotonic can.
            XCTAssertLessThan(after, c.name == "isotonic" ? 0.03 : 0.05, "\(c.name)")
            XCTAssertLessThan(Metrics.logLoss(c.apply(held.scores), held.labels),
                              Metrics.logLoss(held.scores, held.labels), "\(c.name)")
            // Ranking preserved (isotonic may tie, never reverse).
            XCTAssertGreaterThan(Metrics.auc(c.apply(held.scores), held.labels),
                                 Metrics.auc(held.scores, held.labels) - 0.01)
        }
    }

    func testIsotonicIsMonotoneAndPoolsViolators() {
        // Labels by score order: 0, 1, 0, 1 → the middle pair pools to ½.
        let c = IsotonicCalibration(probabilities: [0.1, 0.2, 0.3, 0.4], labels: [0, 1, 0, 1])
        XCTAssertEqual(c.apply(0.1), IsotonicCalibration.floor)
        XCTAssertEqual(c.apply(0.25), 0.5, accuracy: 1e-12)
        XCTAssertEqual(c.apply(0.4), 1 - IsotonicCalibration.floor)
        var last = 0.0
        for k in 0...100 {
            let v = c.apply(Double(k) / 100)
            XCTAssertGreaterThanOrEqual(v, last)
            last = v
        }
    }

    func testPlattRecoversAKnownMap() {
        // Labels drawn from σ(2·logit(s) − 0.5): Platt should find a ≈ 2, b ≈ −0.5.
        var r = SplitRandom(seed: 3)
        var s: [Double] = [], y: [UInt8] = []
        for _ in 0..<20_000 {
            let p = 0.02 + 0.96 * r.uniform()
            s.append(p)
            y.append(r.uniform() < sigmoid(2 * PlattCalibration.logit(p) - 0.5) ? 1 : 0)
        }
        let c = PlattCalibration(probabilities: s, labels: y)
        XCTAssertEqual(c.a, 2, accuracy: 0.1)
        XCTAssertEqual(c.b, -0.5, accuracy: 0.1)
    }
}
