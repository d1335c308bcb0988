import XCTest
@testable import RecoupModels

final class LogisticTests: XCTestCase {
    func linearData(_ n: Int, seed: UInt64) -> Dataset {
        syntheticData(rows: n, seed: seed, names: ["x1", "x2", "seg", "m"], categorical: [false, false, true, false]) { r in
            let x1 = r.uniform() * 4 - 2, x2 = r.uniform() * 10, seg = r.below(3)
            let m: Float = r.uniform() < 0.2 ? .nan : Float(r.uniform())
            let z = 2.5 * x1 - 0.4 * (x2 - 5) + (seg == 1 ? 1.0 : 0) + (m.isNaN ? -1.0 : 0)
            return ([Float(x1), Float(x2), Float(seg), m], r.uniform() < sigmoid(z) ? 1 : 0)
        }
    }

    func testFitsALinearProblem() {
        let train = linearData(4000, seed: 1), test = linearData(2000, seed: 2)
        let model = LogisticRegression.train(train)
        let auc = Metrics.auc(model.predictProbability(test), test.labels)
        XCTAssertGreaterThan(auc, 0.9)
        XCTAssertLessThan(model.iterations, 20)
        let w = Dictionary(uniqueKeysWithValues: zip(model.encoding.columnNames, model.weights))
        // Standardised weights: x1's sd ≈ 1.15, so ≈ 2.9; x2's sd ≈ 2.9, so ≈ −1.15.
        XCTAssertEqual(w["x1"]!, 2.5 * 4 / 12.0.squareRoot(), accuracy: 0.35)
        XCTAssertEqual(w["x2"]!, -0.4 * 10 / 12.0.squareRoot(), accuracy: 0.25)
        XCTAssertGreaterThan(w["seg=1"]!, w["seg=0"]! + 0.5)
        XCTAssertLessThan(w["m missing"]!, -0.5)
        // Well calibrated by construction.
        XCTAssertLessThan(Metrics.expectedCalibrationError(model.predictProbability(test), test.labels), 0.05)
    }

    func testDeterministicWhateverTheThreads() {
        let train = linearData(3000, seed: 3)
        var p = LogisticParameters()
        p.threads = 2
        let a = LogisticRegression.train(train, p)
        p.threads = 1
        let b = LogisticRegression.train(train, p)
        XCTAssertEqual(a.weights, b.weights)
        XCTAssertEqual(a.intercept, b.intercept)
    }

    func testSeparableDataStaysFinite() {
        // Perfectly separable: the L2 penalty keeps the weights finite.
        let d = syntheticData(rows: 400, seed: 4, names: ["x"]) { r in
            let x = r.uniform() * 2 - 1
            return ([Float(x)], x > 0 ? 1 : 0)
        }
        let m = LogisticRegression.train(d)
        XCTAssertTrue(m.weights.allSatisfy { $0.isFinite && abs($0) < 1000 })
        XCTAssertGreaterThan(Metrics.auc(m.predictProbability(d), d.labels), 0.99)
    }
}
