import Foundation

/// Settings of the logistic-regression baseline.
public struct LogisticParameters: Codable, Sendable, Equatable {
    /// L2 penalty: the fit minimises Σ log loss + λ/2 · ‖w‖² (the intercept is not penalised).
    public var lambda = 1.0
    public var maxIterations = 50
    /// Stop when the objective improves by less than this share.
    public var tolerance = 1e-10
    /// One-hot columns per categorical feature: its most frequent categories; the rest share none.
    public var maxOneHotLevels = 20
    public var threads = 2

    public init() {}
}

/// How the baseline turns a row into its design vector: numeric features standardised by the
/// training mean and standard deviation, a missing value replaced by the mean (0 after standardising)
/// plus a 0/1 indicator column for every feature that had missing training values; categorical
/// features one-hot over their `maxOneHotLevels` most frequent training categories (others and
/// missing: all zeros).
public struct LogisticEncoding: Codable, Sendable, Equatable {
    public var mean: [Double]
    public var scale: [Double]
    public var hasMissingIndicator: [Bool]
    /// Per categorical feature: the codes that get a column (empty for numeric features).
    public var levels: [[Int]]
    public var isCategorical: [Bool]
    /// Column names, for reading the weights.
    public var columnNames: [String]

    init(_ data: Dataset, maxLevels: Int) {
        let fc = data.featureCount
        mean = Array(repeating: 0, count: fc)
        scale = Array(repeating: 1, count: fc)
        hasMissingIndicator = Array(repeating: false, count: fc)
        levels = Array(repeating: [], count: fc)
        isCategorical = data.isCategorical
        columnNames = []
        for f in 0..<fc {
            let col = data.columns[f]
            let name = data.featureNames[f]
            if data.isCategorical[f] {
                var freq: [Int: Int] = [:]
                for x in col where !x.isNaN { if let c = Int(exactly: x) { freq[c, default: 0] += 1 } }
                let top = freq.keys.sorted { freq[$0]! != freq[$1]! ? freq[$0]! > freq[$1]! : $0 < $1 }.prefix(maxLevels)
                levels[f] = Array(top)
                for c in levels[f] {
                    let label = c < data.categoryLevels[f].count ? data.categoryLevels[f][c] : String(c)
                    columnNames.append("\(name)=\(label)")
                }
            } else {
                var s = 0.0, ss = 0.0, k = 0.0, missing = false
                for x in col {
                    if x.isNaN { missing = true; continue }
                    s += Double(x); k += 1
                }
                let m = k > 0 ? s / k : 0
                for x in col where !x.isNaN { ss += (Double(x) - m) * (Double(x) - m) }
                let sd = k > 1 ? (ss / (k - 1)).squareRoot() : 0
                mean[f] = m
                scale[f] = sd > 1e-12 && sd.isFinite ? sd : 1
                hasMissingIndicator[f] = missing
                columnNames.append(name)
                if missing { columnNames.append("\(name) missing") }
            }
        }
    }

    var width: Int { columnNames.count }

    /// Writes row `i` of `data` into `out` (`width` values).
    func encode(_ data: Dataset, row i: Int, into out: UnsafeMutablePointer<Double>) {
        var k = 0
        for f in 0..<data.featureCount {
            let x = data.columns[f][i]
            if isCategorical[f] {
                let code = x.isNaN ? -1 : (Int(exactly: x) ?? -1)
                for c in levels[f] { out[k] = c == code ? 1 : 0; k += 1 }
            } else {
                if x.isNaN || !x.isFinite {
                    out[k] = 0
                } else {
                    out[k] = (Double(x) - mean[f]) / scale[f]
                }
                k += 1
                if hasMissingIndicator[f] { out[k] = x.isNaN ? 1 : 0; k += 1 }
            }
        }
    }
}

/// A fitted logistic regression: log-odds = intercept + weights · encode(row).
public struct LogisticModel: Codable, Sendable {
    public var featureNames: [String]
    public var encoding: LogisticEncoding
    public var weights: [Double]
    public var intercept: Double
    public var parameters: LogisticParameters
    public var iterations: Int

    public func rawScores(_ data: Dataset) -> [Double] {
        precondition(data.featureCount == featureNames.count, "the table has \(data.featureCount) features, the model \(featureNames.count)")
        let d = encoding.width
        var buf = [Double](repeating: 0, count: d)
        return (0..<data.rowCount).map { i in
            buf.withUnsafeMutableBufferPointer { b in
                encoding.encode(data, row: i, into: b.baseAddress!)
                var s = intercept
                for j in 0..<d { s += weights[j] * b[j] }
                return s
            }
        }
    }

    public func predictProbability(_ data: Dataset) -> [Double] { rawScores(data).map(sigmoid) }
}

/// The logistic-regression baseline, fitted by Newton's method (iteratively reweighted least squares)
/// with a Cholesky solve and step halving. Sums over rows run in two fixed row blocks added in order,
/// so the result does not depend on the thread count.
public enum LogisticRegression {
    public static func train(_ data: Dataset, _ params: LogisticParameters = LogisticParameters()) -> LogisticModel {
        precondition(data.labels.count == data.rowCount && data.rowCount > 0, "training needs labelled rows")
        let enc = LogisticEncoding(data, maxLevels: params.maxOneHotLevels)
        let n = data.rowCount, d = enc.width, D = d + 1  // the last column is the intercept
        var x = [Double](repeating: 0, count: n * D)
        x.withUnsafeMutableBufferPointer { xp in
            let base = xp.baseAddress!
            Parallel.forEach(2, threads: params.threads) { b in
                for i in (n * b / 2)..<(n * (b + 1) / 2) {
                    enc.encode(data, row: i, into: base + i * D)
                    base[i * D + d] = 1
                }
            }
        }
        let y = data.labels.map { Double($0) }
        var w = [Double](repeating: 0, count: D)
        let positives = y.reduce(0, +)
        let prior = min(max(positives / Double(n), 1e-6), 1 - 1e-6)
        w[d] = log(prior / (1 - prior))

        func penalty(_ w: [Double]) -> Double {
            var s = 0.0
            for j in 0..<d { s += w[j] * w[j] }
            return 0.5 * params.lambda * s
        }
        func objective(_ w: [Double]) -> Double {
            var parts = [0.0, 0.0]
            x.withUnsafeBufferPointer { xp in
                parts.withUnsafeMutableBufferPointer { pp in
                    Parallel.forEach(2, threads: params.threads) { b in
                        var s = 0.0
                        for i in (n * b / 2)..<(n * (b + 1) / 2) {
                            var z = 0.0
                            let row = xp.baseAddress! + i * D
                            for j in 0..<D { z += row[j] * w[j] }
                            s += GradientBoosting.logLossTerm(score: z, label: y[i])
                        }
                        pp[b] = s
                    }
                }
            }
            return parts[0] + parts[1] + penalty(w)
        }

        var current = objective(w)
        var iterations = 0
        for _ in 0..<params.maxIterations {
            iterations += 1
            // Gradient and Hessian (upper triangle), per row block.
            var grads = [[Double]](repeating: [Double](repeating: 0, count: D), count: 2)
            var hessians = [[Double]](repeating: [Double](repeating: 0, count: D * D), count: 2)
            x.withUnsafeBufferPointer { xp in
                grads.withUnsafeMutableBufferPointer { gp in
                    hessians.withUnsafeMutableBufferPointer { hp in
                        Parallel.forEach(2, threads: params.threads) { b in
                            gp[b].withUnsafeMutableBufferPointer { g in
                                hp[b].withUnsafeMutableBufferPointer { h in
                                    for i in (n * b / 2)..<(n * (b + 1) / 2) {
                                        let row = xp.baseAddress! + i * D
                                        var z = 0.0
                                        for j in 0..<D { z += row[j] * w[j] }
                                        let p = sigmoid(z)
                                        let r = p - y[i], wt = max(p * (1 - p), 1e-12)
                                        for j in 0..<D {
                                            let xj = row[j]
                                            if xj == 0 { continue }
                                            g[j] += r * xj
                                            let a = wt * xj
                                            let hrow = h.baseAddress! + j * D
                                            for k in j..<D { hrow[k] += a * row[k] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            var g = grads[0], h = hessians[0]
            for j in 0..<D { g[j] += grads[1][j] }
            for j in 0..<(D * D) { h[j] += hessians[1][j] }
            for j in 0..<D {
                for k in 0..<j { h[j * D + k] = h[k * D + j] }
            }
            for j in 0..<d {
                g[j] += params.lambda * w[j]
                h[j * D + j] += params.lambda
            }
            for j in 0..<D { h[j * D + j] += 1e-9 }
            guard let step = choleskySolve(h, g, D) else { break }
            var t = 1.0, improved = false
            while t > 1e-6 {
                var nw = w
                for j in 0..<D { nw[j] -= t * step[j] }
                let o = objective(nw)
                if o <= current {
                    improved = current - o > params.tolerance * max(1, abs(current))
                    w = nw
                    current = o
                    break
                }
                t /= 2
            }
            if !improved { break }
        }
        return LogisticModel(featureNames: data.featureNames, encoding: enc, weights: Array(w[0..<d]),
                             intercept: w[d], parameters: params, iterations: iterations)
    }

    /// Solves A x = b for a symmetric positive definite A (row-major, m × m); nil when A is not.
    static func choleskySolve(_ a: [Double], _ b: [Double], _ m: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0...i {
                var s = a[i * m + j]
                for k in 0..<j { s -= l[i * m + k] * l[j * m + k] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * m + i] = s.squareRoot()
                } else {
                    l[i * m + j] = s / l[j * m + j]
                }
            }
        }
        var z = [Double](repeating: 0, count: m)
        for i in 0..<m {
            var s = b[i]
            for k in 0..<i { s -= l[i * m + k] * z[k] }
            z[i] = s / l[i * m + i]
        }
        var x = [Double](repeating: 0, count: m)
        for i in stride(from: m - 1, through: 0, by: -1) {
            var s = z[i]
            for k in (i + 1)..<m { s -= l[k * m + i] * x[k] }
            x[i] = s / l[i * m + i]
        }
        return x
    }
}
