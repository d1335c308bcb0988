import XCTest
@testable import RecoupModels

/// A synthetic table: `make` returns one row's features and label from the random stream.
func syntheticData(rows n: Int, seed: UInt64, names: [String], categorical: [Bool]? = nil,
                   _ make: (inout SplitRandom) -> ([Float], UInt8)) -> Dataset {
    var rng = SplitRandom(seed: seed)
    var columns = [[Float]](repeating: [], count: names.count)
    var labels: [UInt8] = []
    for _ in 0..<n {
        let (x, y) = make(&rng)
        for f in 0..<names.count { columns[f].append(x[f]) }
        labels.append(y)
    }
    return Dataset(featureNames: names, columns: columns, labels: labels, isCategorical: categorical)
}

/// Small settings so the tests run quickly in debug builds.
func quickParams(seed: UInt64 = 7) -> BoostingParameters {
    var p = BoostingParameters()
    p.learningRate = 0.1
    p.maxRounds = 200
    p.earlyStoppingRounds = 20
    p.numLeaves = 15
    p.seed = seed
    return p
}

func flip(_ y: Bool, _ noise: Double, _ rng: inout SplitRandom) -> UInt8 {
    (rng.uniform() < noise ? !y : y) ? 1 : 0
}

final class BoostingTests: XCTestCase {
    func xorData(rows: Int, seed: UInt64) -> Dataset {
        syntheticData(rows: rows, seed: seed, names: ["x1", "x2", "n1", "n2", "n3"]) { r in
            let x = (0..<5).map { _ in Float(r.uniform() * 2 - 1) }
            return (x, flip((x[0] > 0) != (x[1] > 0), 0.1, &r))
        }
    }

    func testTreesFindAnInteractionALinearModelCannot() {
        let train = xorData(rows: 4000, seed: 1), test = xorData(rows: 2000, seed: 2)
        let model = GradientBoosting.train(train, quickParams())
        let auc = Metrics.auc(model.predictProbability(test), test.labels)
        XCTAssertGreaterThan(auc, 0.85, "trees on XOR")
        let linear = LogisticRegression.train(train)
        let linearAUC = Metrics.auc(linear.predictProbability(test), test.labels)
        XCTAssertLessThan(linearAUC, 0.6, "a linear model cannot see XOR")
        // The two informative features carry nearly all the gain.
        let imp = model.gainImportance()
        XCTAssertGreaterThan(imp[0] + imp[1], 0.8 * imp.reduce(0, +))
    }

    func testMonotoneSignal() {
        func data(_ seed: UInt64) -> Dataset {
            syntheticData(rows: 3000, seed: seed, names: ["x", "noise"]) { r in
                let x = r.uniform() * 10, z = Float(r.uniform())
                let p = 1 / (1 + exp(-(x - 5)))
                return ([Float(x), z], r.uniform() < p ? 1 : 0)
            }
        }
        let train = data(3), test = data(4)
        let model = GradientBoosting.train(train, quickParams())
        XCTAssertGreaterThan(Metrics.auc(model.predictProbability(test), test.labels), 0.85)
        // The fitted curve rises with x (averaged over a coarse grid, allowing small wiggles).
        let grid = stride(from: Float(0.5), through: 9.5, by: 1).map { model.rawScore([$0, 0.5]) }
        XCTAssertGreaterThan(grid.last!, grid.first! + 3)
        for k in 1..<grid.count { XCTAssertGreaterThan(grid[k], grid[k - 1] - 0.3) }
    }

    func testCategoricalSignal() {
        // 12 categories (more than the one-hot limit), of which 4 scattered codes are "good".
        let good: Set<Int> = [1, 4, 7, 10]
        func data(_ seed: UInt64) -> Dataset {
            syntheticData(rows: 4000, seed: seed, names: ["segment", "noise"], categorical: [true, false]) { r in
                let c = r.below(12)
                return ([Float(c), Float(r.uniform())], flip(good.contains(c), 0.1, &r))
            }
        }
        let train = data(5), test = data(6)
        let model = GradientBoosting.train(train, quickParams())
        let auc = Metrics.auc(model.predictProbability(test), test.labels)
        XCTAssertGreaterThan(auc, 0.85)
        XCTAssertTrue(model.trees.contains { !$0.categorySets.isEmpty }, "splits on the categorical feature")
        // A code never seen in training is treated as missing, not as a crash.
        XCTAssertTrue(model.rawScore([99, 0.5]).isFinite)
        // Few categories: one-vs-rest splits.
        let small = syntheticData(rows: 2000, seed: 8, names: ["c"], categorical: [true]) { r in
            let c = r.below(3)
            return ([Float(c)], flip(c == 2, 0.1, &r))
        }
        let m2 = GradientBoosting.train(small, quickParams())
        XCTAssertGreaterThan(m2.rawScore([2]), m2.rawScore([0]) + 1)
    }

    func testMissingValuesCarrySignal() {
        // x is missing for most positives; when present it is pure noise.
        func data(_ seed: UInt64) -> Dataset {
            syntheticData(rows: 3000, seed: seed, names: ["x", "noise"]) { r in
                let y = r.uniform() < 0.4
                let missing = y ? r.uniform() < 0.8 : r.uniform() < 0.1
                return ([missing ? .nan : Float(r.uniform()), Float(r.uniform())], y ? 1 : 0)
            }
        }
        let train = data(9), test = data(10)
        let model = GradientBoosting.train(train, quickParams())
        XCTAssertGreaterThan(Metrics.auc(model.predictProbability(test), test.labels), 0.8)
        XCTAssertGreaterThan(model.rawScore([.nan, 0.5]), model.rawScore([0.5, 0.5]) + 1)
    }

    func testSameSeedSameModelWhateverTheThreads() {
        // Over the histogram block threshold, so the two-block path runs.
        let train = xorData(rows: 20_000, seed: 11), test = xorData(rows: 500, seed: 12)
        var p = quickParams(seed: 42)
        p.maxRounds = 15
        p.baggingFraction = 0.7
        p.featureFraction = 0.6
        p.threads = 2
        let a = GradientBoosting.train(train, p).predictProbability(test)
        let b = GradientBoosting.train(train, p).predictProbability(test)
        XCTAssertEqual(a, b)
        p.threads = 1
        let c = GradientBoosting.train(train, p).predictProbability(test)
        XCTAssertEqual(a, c, "one thread and two give the same model")
        p.seed = 43
        p.threads = 2
        let d = GradientBoosting.train(train, p).predictProbability(test)
        XCTAssertNotEqual(a, d, "another seed, another bag")
    }

    func testContributionsSumToTheRawScore() {
        let cat = syntheticData(rows: 3000, seed: 13, names: ["x1", "x2", "seg", "m"], categorical: [false, false, true, false]) { r in
            let x1 = Float(r.uniform()), x2 = Float(r.uniform()), s = r.below(8)
            let m: Float = r.uniform() < 0.3 ? .nan : Float(r.uniform())
            let z = 3 * Double(x1) - 2 * Double(x2) + (s % 3 == 0 ? 1 : -0.5) + (m.isNaN ? 0.7 : 0)
            return ([x1, x2, Float(s), m], r.uniform() < 1 / (1 + exp(-z)) ? 1 : 0)
        }
        let model = GradientBoosting.train(cat, quickParams())
        XCTAssertGreaterThan(model.trees.count, 5)
        let raw = model.rawScores(cat)
        for i in stride(from: 0, to: cat.rowCount, by: 37) {
            let c = model.contributions(cat, row: i)
            XCTAssertEqual(c.total, raw[i], accuracy: 1e-9 * max(1, abs(raw[i])))
            XCTAssertEqual(model.contributions(cat.row(i)), c)
            XCTAssertEqual(model.rawScore(cat.row(i)), raw[i], "one row and a whole table score alike")
        }
        // x1 raises the score where it is high; reason codes name it.
        let hi = model.contributions([0.95, 0.5, 1, 0.5])
        let codes = model.reasonCodes(hi, k: 3)
        XCTAssertEqual(codes.raised.first?.feature, "x1")
        XCTAssertTrue(codes.raised.allSatisfy { $0.contribution > 0 })
        XCTAssertTrue(codes.lowered.allSatisfy { $0.contribution < 0 })
    }

    /// The batch path (packed trees, rows in blocks, top-k by insertion) against the one-row walk and
    /// the sort in `reasonCodes`: the same log-odds to the bit, the same reason codes.
    func testExplainAgreesWithOneRowContributions() {
        let data = syntheticData(rows: 5000, seed: 17, names: ["a", "b", "seg", "m", "c"], categorical: [false, false, true, false, false]) { r in
            let a = Float(r.uniform()), b = Float(r.uniform()), s = r.below(6), c = Float(r.uniform())
            let m: Float = r.uniform() < 0.2 ? .nan : Float(r.uniform())
            let z = 2 * Double(a) - 3 * Double(b) + (s == 2 ? 1 : 0) - (m.isNaN ? 0.5 : Double(m)) + Double(c) * Double(a)
            return ([a, b, Float(s), m, c], r.uniform() < 1 / (1 + exp(-z)) ? 1 : 0)
        }
        var p = quickParams()
        p.threads = 2
        let model = GradientBoosting.train(data, p)
        let explained = model.explain(data, k: 3)
        XCTAssertEqual(explained.raw, model.rawScores(data), "to the bit")
        for i in 0..<data.rowCount {
            let (up, down) = model.reasonCodes(model.contributions(data, row: i), k: 3)
            let expected = (up + down).map { ($0.feature, $0.contribution) }
            let got = explained.reasons(row: i).map { (model.featureNames[$0.feature], $0.effect) }
            XCTAssertEqual(got.map(\.0), expected.map(\.0), "row \(i)")
            for (g, e) in zip(got, expected) { XCTAssertEqual(g.1, e.1, accuracy: 1e-9) }
        }
        // Top-k by insertion against a sort, on hand-made contributions with ties.
        let c: [Double] = [0.5, -0.2, 0.5, 0, -0.2, 0.9, -0.7, 0.1, -0.2]
        var f = [Int16](repeating: -1, count: 3), e = [Double](repeating: 0, count: 3)
        GradientBoostedModel.topK(c, c.count, 3, raised: true, feature: &f, effect: &e)
        XCTAssertEqual(f, [5, 0, 2])
        f = [-1, -1, -1]; e = [0, 0, 0]
        GradientBoostedModel.topK(c, c.count, 3, raised: false, feature: &f, effect: &e)
        XCTAssertEqual(f, [6, 8, 4], "ties among the lowered: the higher index first, as reasonCodes orders them")
    }

    func testEarlyStoppingKeepsTheBestRound() {
        // Pure noise: the validation loss stops improving almost at once.
        let noise = syntheticData(rows: 2000, seed: 14, names: ["a", "b"]) { r in
            ([Float(r.uniform()), Float(r.uniform())], r.uniform() < 0.3 ? 1 : 0)
        }
        var p = quickParams()
        p.maxRounds = 500
        let model = GradientBoosting.train(noise, p)
        XCTAssertLessThan(model.roundsTrained, 500)
        let best = model.validationLoss.indices.min { model.validationLoss[$0] < model.validationLoss[$1] }!
        XCTAssertEqual(model.trees.count, best + 1)
        XCTAssertEqual(model.roundsTrained, model.validationLoss.count)
    }

    func testBinningQuantilesAndDistinctValues() {
        let few = FeatureBins.fit(values: [3, 1, 2, 2, .nan, 1], categorical: false)
        XCTAssertEqual(few.binCount, 4)  // missing + three values
        XCTAssertEqual([Float(1), 2, 3, .nan, 0.5, 9].map { few.bin($0) }, [1, 2, 3, 0, 1, 3])
        let many = FeatureBins.fit(values: (0..<100_000).map { Float($0) }, categorical: false)
        XCTAssertEqual(many.binCount, 255)
        // Roughly equal counts per bin.
        var counts = [Int](repeating: 0, count: 255)
        for v in 0..<100_000 { counts[Int(many.bin(Float(v)))] += 1 }
        XCTAssertEqual(counts[0], 0)
        XCTAssertLessThan(counts[1...].max()! - counts[1...].min()!, 10)
        let cats = FeatureBins.fit(values: [2, 2, 2, 0, 0, 5, .nan], categorical: true)
        XCTAssertEqual(cats.binCount, 4)
        XCTAssertEqual([Float(2), 0, 5, 1, .nan, 17].map { cats.bin($0) }, [1, 2, 3, 0, 0, 0])
    }

    func testModelRoundTripsThroughJSON() throws {
        let train = xorData(rows: 1500, seed: 15)
        var p = quickParams()
        p.maxRounds = 20
        let model = GradientBoosting.train(train, p)
        let data = try JSONEncoder().encode(model)
        let back = try JSONDecoder().decode(GradientBoostedModel.self, from: data)
        XCTAssertEqual(back.rawScores(train), model.rawScores(train))
    }
}

/// Histograms from the sparse slots (frequent bins filled as total minus the rest) against sums
/// taken bin by bin from the columns.
final class HistogramTests: XCTestCase {
    func testSparseHistogramsEqualColumnSums() {
        let data = syntheticData(rows: 20_000, seed: 5, names: ["mostly0", "dense", "cat", "miss"], categorical: [false, false, true, false]) { r in
            let a: Float = r.uniform() < 0.8 ? 0 : Float(r.below(5) + 1)
            let m: Float = r.uniform() < 0.6 ? .nan : Float(r.uniform())
            return ([a, Float(r.uniform()), Float(r.below(4)), m], r.uniform() < 0.3 ? 1 : 0)
        }
        let mappers = (0..<data.featureCount).map { FeatureBins.fit(values: data.columns[$0], categorical: data.isCategorical[$0]) }
        let binned = BinnedData(data, mappers: mappers, threads: 2)
        XCTAssertTrue(binned.hasSparse)
        XCTAssertLessThan(binned.sparseSlots.count, data.rowCount * data.featureCount * 3 / 4, "frequent bins are left out")
        var rng = SplitRandom(seed: 9)
        let gh = (0..<(2 * data.rowCount)).map { i in i % 2 == 0 ? rng.uniform() - 0.5 : rng.uniform() * 0.25 }
        let all = Array(0..<data.featureCount)
        for rows in [(0..<data.rowCount).map { Int32($0) }, stride(from: 3, to: data.rowCount, by: 7).map { Int32($0) }, [Int32(11)]] {
            let builder = HistogramBuilder(binned: binned, threads: 2)
            var hist = [Double](repeating: .nan, count: builder.size)
            rows.withUnsafeBufferPointer { rp in gh.withUnsafeBufferPointer { builder.build(into: &hist, features: all, rows: rp, gh: $0) } }
            for f in all {
                var expected = [Double](repeating: 0, count: 3 * mappers[f].binCount)
                for r in rows {
                    let b = Int(binned.bins[f][Int(r)])
                    expected[3 * b] += gh[2 * Int(r)]; expected[3 * b + 1] += gh[2 * Int(r) + 1]; expected[3 * b + 2] += 1
                }
                for i in expected.indices {
                    XCTAssertEqual(hist[3 * binned.offsets[f] + i], expected[i], accuracy: 1e-9, "feature \(f) slot \(i)")
                }
            }
        }
    }
}

extension BoostingTests {
    /// Nodes of 65,536 rows and more are partitioned in two halves on two threads: the trees must be
    /// the very trees one thread grows.
    func testLargeNodesPartitionLikeOneThread() {
        let data = syntheticData(rows: 150_000, seed: 3, names: ["a", "b", "c"]) { r in
            let a = Float(r.uniform()), b = Float(r.uniform()), c: Float = r.uniform() < 0.7 ? 0 : Float(r.below(9))
            return ([a, b, c], r.uniform() < Double(a * 0.6 + (c > 3 ? 0.3 : 0)) ? 1 : 0)
        }
        var p = quickParams()
        p.maxRounds = 4
        p.earlyStoppingRounds = 0
        p.threads = 1
        let one = GradientBoosting.train(data, p)
        p.threads = 2
        let two = GradientBoosting.train(data, p)
        XCTAssertEqual(one.trees, two.trees)
        XCTAssertGreaterThan(one.trees.first?.internalNodeCount ?? 0, 5)
    }
}
