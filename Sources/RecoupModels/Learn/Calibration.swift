import Foundation

/// Maps a model's raw probabilities to calibrated ones; fitted on held-out rows the model never saw.
public enum Calibrator: Codable, Sendable, Equatable {
    case identity
    case isotonic(IsotonicCalibration)
    case platt(PlattCalibration)

    public func apply(_ p: Double) -> Double {
        switch self {
        case .identity: return p
        case .isotonic(let c): return c.apply(p)
        case .platt(let c): return c.apply(p)
        }
    }

    public func apply(_ ps: [Double]) -> [Double] { ps.map(apply) }

    public var name: String {
        switch self {
        case .identity: return "none"
        case .isotonic: return "isotonic"
        case .platt: return "Platt"
        }
    }

    /// Isotonic regression (pool-adjacent-violators) of the labels on the probabilities.
    public static func fitIsotonic(probabilities: [Double], labels: [UInt8]) -> Calibrator {
        .isotonic(IsotonicCalibration(probabilities: probabilities, labels: labels))
    }

    /// Platt scaling: a logistic regression of the labels on the log-odds of the probabilities.
    public static func fitPlatt(probabilities: [Double], labels: [UInt8]) -> Calibrator {
        .platt(PlattCalibration(probabilities: probabilities, labels: labels))
    }
}

/// A non-decreasing step function fitted by pool-adjacent-violators.
///
/// Each pooled block of rows becomes two knots, (its lowest probability, its positive share) and
/// (its highest probability, the same share); between knots the map is linear, and outside them it is
/// the nearest knot's value. Outputs are kept in [`floor`, 1 − `floor`] (floor = 1e-4) so that a
/// block without positives or without negatives does not yield a certain 0 or 1.
public struct IsotonicCalibration: Codable, Sendable, Equatable {
    public var x: [Double]
    public var y: [Double]
    public static let floor = 1e-4

    public init(probabilities: [Double], labels: [UInt8]) {
        precondition(probabilities.count == labels.count)
        let order = (0..<probabilities.count).sorted { probabilities[$0] < probabilities[$1] }
        // Blocks: sum of labels, weight, lowest and highest probability. Equal probabilities start pooled.
        var sum: [Double] = [], weight: [Double] = [], lo: [Double] = [], hi: [Double] = []
        for i in order {
            let p = probabilities[i], yv = Double(labels[i])
            if let last = hi.last, last == p {
                sum[sum.count - 1] += yv
                weight[weight.count - 1] += 1
            } else {
                sum.append(yv); weight.append(1); lo.append(p); hi.append(p)
            }
            // Pool while the previous block's mean is above the last one's.
            while sum.count >= 2 {
                let k = sum.count - 1
                if sum[k - 1] / weight[k - 1] <= sum[k] / weight[k] { break }
                sum[k - 1] += sum[k]; weight[k - 1] += weight[k]; hi[k - 1] = hi[k]
                sum.removeLast(); weight.removeLast(); lo.removeLast(); hi.removeLast()
            }
        }
        var xs: [Double] = [], ys: [Double] = []
        for k in 0..<sum.count {
            let v = sum[k] / weight[k]
            xs.append(lo[k]); ys.append(v)
            if hi[k] > lo[k] { xs.append(hi[k]); ys.append(v) }
        }
        x = xs
        y = ys
    }

    public func apply(_ p: Double) -> Double {
        guard let first = x.first, let last = x.last else { return p }
        let v: Double
        if p.isNaN { return p }
        if p <= first { v = y[0] } else if p >= last { v = y[y.count - 1] } else {
            // First knot above p.
            var lo = 0, hi = x.count - 1
            while lo < hi {
                let mid = (lo + hi) >> 1
                if x[mid] > p { hi = mid } else { lo = mid + 1 }
            }
            let x0 = x[lo - 1], x1 = x[lo]
            v = x1 > x0 ? y[lo - 1] + (y[lo] - y[lo - 1]) * (p - x0) / (x1 - x0) : y[lo]
        }
        return min(max(v, IsotonicCalibration.floor), 1 - IsotonicCalibration.floor)
    }
}

/// p' = σ(a · logit(p) + b), with a and b fitted by Newton's method on the log loss (probabilities
/// clipped to [1e-12, 1 − 1e-12] before the logit; a tiny ridge of 1e-6 keeps the steps defined).
public struct PlattCalibration: Codable, Sendable, Equatable {
    public var a: Double
    public var b: Double

    public init(a: Double, b: Double) {
        self.a = a
        self.b = b
    }

    public init(probabilities: [Double], labels: [UInt8]) {
        precondition(probabilities.count == labels.count)
        let z = probabilities.map(PlattCalibration.logit)
        let yv = labels.map { Double($0) }
        var a = 1.0, b = 0.0
        func loss(_ a: Double, _ b: Double) -> Double {
            var s = 0.0
            for i in 0..<z.count { s += GradientBoosting.logLossTerm(score: a * z[i] + b, label: yv[i]) }
            return s + 0.5e-6 * (a * a + b * b)
        }
        var current = loss(a, b)
        for _ in 0..<100 {
            var ga = 1e-6 * a, gb = 1e-6 * b, haa = 1e-6, hab = 0.0, hbb = 1e-6
            for i in 0..<z.count {
                let p = sigmoid(a * z[i] + b)
                let r = p - yv[i], w = max(p * (1 - p), 1e-12)
                ga += r * z[i]; gb += r
                haa += w * z[i] * z[i]; hab += w * z[i]; hbb += w
            }
            let det = haa * hbb - hab * hab
            if !(det > 0) { break }
            let da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det
            var step = 1.0, improved = false
            while step > 1e-8 {
                let na = a - step * da, nb = b - step * db
                let l = loss(na, nb)
                if l <= current {
                    a = na; b = nb
                    improved = current - l > 1e-12 * max(1, abs(current))
                    current = l
                    break
                }
                step /= 2
            }
            if !improved { break }
        }
        self.a = a
        self.b = b
    }

    static func logit(_ p: Double) -> Double {
        let q = min(max(p, 1e-12), 1 - 1e-12)
        return log(q / (1 - q))
    }

    public func apply(_ p: Double) -> Double { sigmoid(a * PlattCalibration.logit(p) + b) }
}
