import Foundation
import RecoupKPI
import RecoupStore

/// The exact tables `recoup evaluate` trains and tests on, written as CSV for other learners
/// (`recoup evaluate --export DIR`; Benchmarks/compare/models_compare.py trains LightGBM and
/// scikit-learn on them). Feature values are written as Recoup holds them: numbers in their
/// shortest exact `Float` form, categorical features as their integer codes (levels in
/// `features.json`), missing values as empty fields.
enum FeatureExport {
    /// `train.csv`: the features, `label`, and `split` (fit, validation, calibration: the rows the
    /// boosted trees fit on, stop early on, and calibrate on).
    static func writeTrain(_ data: Dataset, split: RowSplit, to path: String) throws {
        var role = [UInt8](repeating: 0, count: data.rowCount)
        for r in split.validation { role[r] = 1 }
        for r in split.calibration { role[r] = 2 }
        let names = ["fit", "validation", "calibration"]
        try write(data, extraNames: ["label", "split"], to: path) { r in
            "\(data.labels[r]),\(names[Int(role[r])])"
        }
    }

    /// `test.csv`: the features, `label`, `test_outstanding` (outstanding at the test date) and `collected_30d` (currency units), and
    /// Recoup's test predictions `p_boosted` (calibrated) and `p_logistic`.
    static func writeTest(_ data: Dataset, outstanding: [Int64], collected: [Double], boosted: [Double], logistic: [Double],
                          to path: String) throws {
        try write(data, extraNames: ["label", "test_outstanding", "collected_30d", "p_boosted", "p_logistic"], to: path) { r in
            "\(data.labels[r]),\(Money.format(outstanding[r])),\(collected[r]),\(boosted[r]),\(logistic[r])"
        }
    }

    /// `features.json`: names, which are categorical, and each categorical feature's levels by code.
    static func writeFeatures(_ data: Dataset, to path: String) throws {
        var levels: [String: [String]] = [:]
        for f in 0..<data.featureCount where data.isCategorical[f] { levels[data.featureNames[f]] = data.categoryLevels[f] }
        let doc: [String: Any] = ["features": data.featureNames,
                                  "categorical": data.featureNames.indices.filter { data.isCategorical[$0] }.map { data.featureNames[$0] },
                                  "levels": levels]
        do {
            try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .prettyPrinted]).write(to: URL(fileURLWithPath: path))
        } catch { throw RecoupError(.cannotCreate, "cannot write \(path): \(error.localizedDescription)") }
    }

    private static func write(_ data: Dataset, extraNames: [String], to path: String, extra: (Int) -> String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw RecoupError(.cannotCreate, "cannot create \(path)")
        }
        defer { try? h.close() }
        var buffer = (data.featureNames + extraNames).joined(separator: ",") + "\n"
        for r in 0..<data.rowCount {
            for f in 0..<data.featureCount {
                let v = data.columns[f][r]
                if !v.isNaN { buffer += data.isCategorical[f] ? String(Int(v)) : v.description }
                buffer += ","
            }
            buffer += extra(r)
            buffer += "\n"
            if buffer.utf8.count > 1 << 22 {
                h.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        h.write(Data(buffer.utf8))
    }
}
