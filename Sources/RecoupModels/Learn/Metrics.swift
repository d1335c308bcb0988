import Foundation

/// Evaluation metrics of a probability (or score) against 0/1 labels. Every function takes the rows
/// in any order and returns NaN when it is undefined (no rows, or AUC with one class only).
public enum Metrics {
    /// ROC AUC: the probability that a random positive scores above a random negative, ties counting
    /// one half — computed from midranks (tied scores share the mean of their ranks).
    public static func auc(_ scores: [Double], _ labels: [UInt8]) -> Double {
        precondition(scores.count == labels.count)
        let n = scores.count
        let positives = labels.reduce(0) { $0 + Int($1) }
        let negatives = n - positives
        if positives == 0 || negatives == 0 { return .nan }
        let order = (0..<n).sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            // Ranks i+1 ... j+1 share their mean.
            let mid = Double(i + j + 2) / 2
            for k in i...j where labels[order[k]] == 1 { rankSum += mid }
            i = j + 1
        }
        let p = Double(positives)
        return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// Mean negative log-likelihood, with probabilities clipped to [1e-15, 1 − 1e-15].
    public static func logLoss(_ probabilities: [Double], _ labels: [UInt8]) -> Double {
        precondition(probabilities.count == labels.count)
        if labels.isEmpty { return .nan }
        var s = 0.0
        for (p, y) in zip(probabilities, labels) {
            let q = min(max(p, 1e-15), 1 - 1e-15)
            s -= y == 1 ? log(q) : log(1 - q)
        }
        return s / Double(labels.count)
    }

    /// Mean squared difference between probability and label.
    public static func brier(_ probabilities: [Double], _ labels: [UInt8]) -> Double {
        precondition(probabilities.count == labels.count)
        if labels.isEmpty { return .nan }
        var s = 0.0
        for (p, y) in zip(probabilities, labels) { s += (p - Double(y)) * (p - Double(y)) }
        return s / Double(labels.count)
    }

    /// Expected calibration error: rows go to `bins` equal-width probability bins ([0, 0.1), …,
    /// [0.9, 1] for 10; 1.0 falls in the last), and ECE = Σ (rows in bin / rows) × |mean p − positive share|.
    public static func expectedCalibrationError(_ probabilities: [Double], _ labels: [UInt8], bins: Int = 10) -> Double {
        precondition(probabilities.count == labels.count && bins > 0)
        if labels.isEmpty { return .nan }
        var count = [Double](repeating: 0, count: bins), sumP = count, sumY = count
        for (p, y) in zip(probabilities, labels) {
            let b = min(max(Int(p * Double(bins)), 0), bins - 1)
            count[b] += 1
            sumP[b] += p
            sumY[b] += Double(y)
        }
        var ece = 0.0
        for b in 0..<bins where count[b] > 0 { ece += abs(sumP[b] - sumY[b]) / Double(labels.count) }
        return ece
    }

    /// The rows ranked by score, highest first; tied scores keep row order.
    static func ranking(_ scores: [Double]) -> [Int] {
        (0..<scores.count).sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    }

    /// Positive share among the top 10% of rows by score (⌈n/10⌉ rows; ties at the cut broken by row
    /// order) divided by the positive share of all rows.
    public static func topDecileLift(_ scores: [Double], _ labels: [UInt8]) -> Double {
        lift(scores, labels, topFraction: 0.1)
    }

    /// Positive share among the top `topFraction` of rows by score over the overall positive share.
    public static func lift(_ scores: [Double], _ labels: [UInt8], topFraction: Double) -> Double {
        precondition(scores.count == labels.count)
        let n = labels.count
        let positives = labels.reduce(0) { $0 + Int($1) }
        if n == 0 || positives == 0 { return .nan }
        let k = max(1, Int((Double(n) * topFraction).rounded(.up)))
        let top = ranking(scores).prefix(k).reduce(0) { $0 + Int(labels[$1]) }
        return (Double(top) / Double(k)) / (Double(positives) / Double(n))
    }

    /// The share of the positive rows' value held by the top `topFraction` of rows ranked by score
    /// (⌈n × topFraction⌉ rows, ties by row order): Σ value over top rows with label 1 ÷ Σ value over
    /// all rows with label 1. With scores = expected value and values = amounts collected, this is
    /// "the share of collections captured by the top 20% ranked by expected value".
    public static func valueCaptured(scores: [Double], labels: [UInt8], values: [Double], topFraction: Double = 0.2) -> Double {
        precondition(scores.count == labels.count && values.count == labels.count)
        let n = labels.count
        var total = 0.0
        for i in 0..<n where labels[i] == 1 { total += values[i] }
        if n == 0 || total == 0 { return .nan }
        let k = max(1, Int((Double(n) * topFraction).rounded(.up)))
        var captured = 0.0
        for i in ranking(scores).prefix(k) where labels[i] == 1 { captured += values[i] }
        return captured / total
    }

    /// The five headline metrics of a probability on labelled rows.
    public static func summary(_ probabilities: [Double], _ labels: [UInt8]) -> MetricSummary {
        MetricSummary(auc: auc(probabilities, labels), logLoss: logLoss(probabilities, labels),
                      brier: brier(probabilities, labels),
                      ece: expectedCalibrationError(probabilities, labels),
                      topDecileLift: topDecileLift(probabilities, labels))
    }
}

/// AUC, log loss, Brier score, ECE (10 bins) and top-decile lift of one model on one table.
public struct MetricSummary: Sendable, Equatable, Codable {
    public var auc: Double
    public var logLoss: Double
    public var brier: Double
    public var ece: Double
    public var topDecileLift: Double
}
