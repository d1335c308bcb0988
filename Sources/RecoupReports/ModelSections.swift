import Foundation
import RecoupKPI
import RecoupModels
import RecoupQuery
import RecoupStore

/// The model-monitoring sections: what the latest scores look like, how well scores from a month
/// before the as-of date predicted the 30 days that followed, and how far the features have moved
/// since the model's training data.
enum ModelSections {
    /// The section's rows and a line saying what was compared.
    static func run(_ m: ModelSection, snapshot: Snapshot, asOf: Int32) throws -> (table: KPITable, note: String) {
        switch m {
        case .score_distribution: try scoreDistribution(snapshot: snapshot)
        case .calibration: try calibration(snapshot: snapshot, asOf: asOf)
        case .feature_drift: try featureDrift(snapshot: snapshot, asOf: asOf)
        }
    }

    /// The units of each section's columns, in the order its table gives them.
    static func units(_ m: ModelSection) -> [KPIUnit?] {
        switch m {
        case .score_distribution: [.text, .count, .rate, .money, .money]  // band, accounts, share, outstanding, EV
        case .calibration: [.text, .count, .rate, .rate, .points]  // band, accounts, predicted, observed, difference
        case .feature_drift: [.text, nil, .text, .rate, .rate]  // feature, psi, status, missing shares
        }
    }

    static func noScores(_ store: String) -> RecoupError {
        RecoupError(.noInput, "no scores in the store \(store)", details: "run `recoup train` and then `recoup score` first")
    }

    static func bandLabel(_ b: Int, of n: Int) -> String {
        String(format: "%.1f-%.1f", Double(b) / Double(n), Double(b + 1) / Double(n))
    }

    /// Accounts, outstanding and expected value by p_pay_30d band of width 0.1.
    static func scoreDistribution(snapshot: Snapshot) throws -> (table: KPITable, note: String) {
        guard let set = try ScoreSet.latest(store: snapshot.root) else { throw noScores(snapshot.root) }
        let note = "Scores of model \(set.model_version) as of \(set.as_of) (store commit \(set.store_commit)), \(ReportFormat.integer(Int64(set.scores.count))) accounts."
        var count = [Int64](repeating: 0, count: 10), out = [Int64](repeating: 0, count: 10), ev = [Int64](repeating: 0, count: 10)
        for s in set.scores {
            let b = min(9, max(0, Int(s.p_pay_30d * 10)))
            count[b] += 1; out[b] += s.outstanding; ev[b] += s.expected_value
        }
        let total = max(1, count.reduce(0, +))
        return (KPITable(columns: ["p_pay_30d_band", "accounts", "share", "outstanding", "expected_value"],
                         rows: (0..<10).map { b in
                             [.text(bandLabel(b, of: 10)), .int(count[b]), .decimal(Double(count[b]) / Double(total)), .money(out[b]), .money(ev[b])]
                         }), note)
    }

    /// Predicted against observed, by band of predicted probability.
    static func calibrationTable(_ p: [Double], _ y: [UInt8]) -> KPITable {
        var n = [Int64](repeating: 0, count: 10), sp = [Double](repeating: 0, count: 10), sy = [Int64](repeating: 0, count: 10)
        for (pi, yi) in zip(p, y) {
            let b = min(9, max(0, Int(pi * 10)))
            n[b] += 1; sp[b] += pi; sy[b] += Int64(yi)
        }
        let rows: [[KPIValue]] = (0..<10).compactMap { b in
            guard n[b] > 0 else { return nil }
            let pred = sp[b] / Double(n[b]), obs = Double(sy[b]) / Double(n[b])
            return [.text(bandLabel(b, of: 10)), .int(n[b]), .decimal(pred), .decimal(obs), .decimal(obs - pred)]
        }
        return KPITable(columns: ["predicted_band", "accounts", "mean_predicted", "observed_rate", "difference"], rows: rows)
    }

    /// The date whose scores are judged: the end of the previous period, at least 30 days before A.
    static func judgedAsOf(_ asOf: Int32) -> Int32 {
        min(ReportPeriod.previousAsOf(asOf), asOf - FeatureBuilder.labelHorizon)
    }

    static func calibration(snapshot: Snapshot, asOf: Int32) throws -> (table: KPITable, note: String) {
        let a0 = judgedAsOf(asOf)
        let horizon = FeatureBuilder.labelHorizon
        // The latest saved scores when they are old enough to have 30 days of outcomes by the as-of date
        // (read through ScoreSet, whatever the score file format).
        if let saved = try ScoreSet.latest(store: snapshot.root), let sa = CivilDate.parse(saved.as_of), sa + horizon <= asOf {
            let q = "from payments | where amount > 0 and paid_date > @\(CivilDate.format(sa)) and paid_date <= @\(CivilDate.format(sa + horizon))"
                + " | summarize n = count() by account_id"
            let paid = Set(try QueryEngine.run(q, snapshot: snapshot).rows.map { $0[0].description })
            let t = calibrationTable(saved.scores.map(\.p_pay_30d), saved.scores.map { paid.contains($0.account_id) ? 1 : 0 })
            return (t, "Saved scores of \(saved.model_version) as of \(saved.as_of) against payments in the \(horizon) days after; "
                    + "ECE \(String(format: "%.3f", Metrics.expectedCalibrationError(saved.scores.map(\.p_pay_30d), saved.scores.map { paid.contains($0.account_id) ? 1 : 0 }))).")
        }
        let model = try ModelBundle.latest(store: snapshot.root)
        let f = try FeatureBuilder.build(snapshot: snapshot, asOf: a0, withLabels: true).encoded(like: model.reference)
        let p = model.calibrator.apply(model.boosted.predictProbability(f.dataset))
        let y = f.dataset.labels
        let inSample = model.trainingSnapshots.contains(a0) || model.asOf >= a0 + horizon
        return (calibrationTable(p, y), "The latest saved scores are not from \(CivilDate.format(asOf - horizon)) or earlier: \(model.name) rescored the book as of "
                + "\(CivilDate.format(a0)) and is judged on payments in the \(horizon) days after; ECE "
                + String(format: "%.3f", Metrics.expectedCalibrationError(p, y)) + "."
                + (inSample ? " The model was trained as of \(CivilDate.format(model.asOf)), so these labels may have been seen in training." : ""))
    }

    /// Population stability index per feature.
    static func featureDrift(snapshot: Snapshot, asOf: Int32) throws -> (table: KPITable, note: String) {
        let model = try ModelBundle.latest(store: snapshot.root)
        let refDate = model.trainingSnapshots.filter { $0 < asOf }.max() ?? model.asOf
        let ref = try FeatureBuilder.build(snapshot: snapshot, asOf: refDate, withLabels: false).encoded(like: model.reference).dataset
        let cur = try FeatureBuilder.build(snapshot: snapshot, asOf: asOf, withLabels: false).encoded(like: model.reference).dataset
        var rows: [[KPIValue]] = []
        for f in 0..<ref.featureCount {
            let psi = PSI.compute(reference: ref.columns[f], current: cur.columns[f], categorical: ref.isCategorical[f])
            let status = psi < 0.1 ? "stable" : psi < 0.25 ? "moderate shift" : "major shift"
            let refMissing = Double(ref.columns[f].filter(\.isNaN).count) / Double(max(1, ref.rowCount))
            let curMissing = Double(cur.columns[f].filter(\.isNaN).count) / Double(max(1, cur.rowCount))
            rows.append([.text(ref.featureNames[f]), .decimal(psi), .text(status), .decimal(refMissing), .decimal(curMissing)])
        }
        rows.sort { a, b in
            if case .decimal(let x) = a[1], case .decimal(let y) = b[1], x != y { return x > y }
            return a[0].description < b[0].description
        }
        let note = "Features of \(cur.rowCount) accounts as of \(CivilDate.format(asOf)) against \(ref.rowCount) as of \(CivilDate.format(refDate)) "
            + "(the latest training snapshot of \(model.name) before the as-of date). PSI below 0.1 is stable, 0.1 to 0.25 a moderate shift, above 0.25 a major shift."
        return (KPITable(columns: ["feature", "psi", "status", "reference_missing", "current_missing"], rows: rows), note)
    }
}

/// Population stability index: Σ (cur − ref) × ln(cur / ref) over bins; numeric features in ten bins
/// at the reference deciles, categorical ones by level, missing values as a bin of their own.
enum PSI {
    static func compute(reference: [Float], current: [Float], categorical: Bool) -> Double {
        let edges: [Float]
        if categorical {
            edges = []
        } else {
            let sorted = reference.filter { !$0.isNaN }.sorted()
            var e: [Float] = []
            if !sorted.isEmpty {
                for q in 1..<10 {
                    let v = sorted[min(sorted.count - 1, sorted.count * q / 10)]
                    if e.last != v { e.append(v) }
                }
            }
            edges = e
        }
        func bin(_ v: Float) -> Int {
            if v.isNaN { return -1 }
            if categorical { return Int(v) }
            var lo = 0, hi = edges.count
            while lo < hi { let mid = (lo + hi) / 2; if v < edges[mid] { hi = mid } else { lo = mid + 1 } }
            return lo
        }
        var r: [Int: Double] = [:], c: [Int: Double] = [:]
        for v in reference { r[bin(v), default: 0] += 1 }
        for v in current { c[bin(v), default: 0] += 1 }
        let rn = Double(max(1, reference.count)), cn = Double(max(1, current.count))
        var psi = 0.0
        // Summed in bin order, so the last digits do not depend on the per-process hash seed.
        for k in Set(r.keys).union(c.keys).sorted() {
            let p = max((r[k] ?? 0) / rn, 1e-4), q = max((c[k] ?? 0) / cn, 1e-4)
            psi += (q - p) * log(q / p)
        }
        return psi
    }
}
