import Foundation
import RecoupKPI
import RecoupStore

/// Both trained models with everything needed to reproduce and explain them,
/// saved as `<store>/models/p2p-N.json` with a Markdown model card `p2p-N.md`. The contact-time
/// model's per-account arrays (a million accounts would make hundreds of MB of JSON) are kept beside
/// it in `p2p-N.arrays` (an `ArrayFile`), written before the JSON, whose presence makes the version.
public struct ModelBundle: Codable, Sendable {
    /// 2: per-account contact-time arrays in `p2p-N.arrays`; 1 (still read): everything in the JSON.
    public static let formatVersion = 2

    public var format = ModelBundle.formatVersion
    public var version: Int
    public var asOf: Int32
    /// The snapshot dates whose labelled rows trained the propensity model.
    public var trainingSnapshots: [Int32]
    public var seed: UInt64
    public var storeCommit: Int
    public var featureNames: [String]
    public var isCategorical: [Bool]
    public var categoryLevels: [[String]]
    public var boosted: GradientBoostedModel
    public var calibrator: Calibrator
    public var contactTime: ContactTimeModel
    /// Calibrated metrics on the early-stopping rows (never fitted, not used for calibration).
    public var heldOut: MetricSummary
    public var trainingRows: Int

    public var name: String { "p2p-\(version)" }

    /// An empty table with the training levels, to encode new feature sets like the training ones.
    public var reference: Dataset {
        Dataset(featureNames: featureNames, columns: featureNames.map { _ in [] }, labels: [],
                isCategorical: isCategorical, categoryLevels: categoryLevels)
    }

    static func directory(_ store: String) -> String { store + "/models" }

    /// Every saved version, ascending.
    public static func versions(store: String) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory(store))) ?? []
        return names.compactMap { n in
            guard n.hasPrefix("p2p-"), n.hasSuffix(".json") else { return nil }
            return Int(n.dropFirst(4).dropLast(5))
        }.sorted()
    }

    public static func latest(store: String) throws -> ModelBundle {
        guard let v = versions(store: store).last else {
            throw RecoupError(.noInput, "no trained models in \(store)", details: "run `recoup train` first")
        }
        let path = directory(store) + "/p2p-\(v).json"
        guard let data = FileManager.default.contents(atPath: path) else { throw RecoupError(.noInput, "cannot read \(path)") }
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            var b = try decoder.decode(ModelBundle.self, from: data)
            guard b.format == 1 || b.format == formatVersion else {
                throw RecoupError(.dataError, "\(path) has model format \(b.format); this version reads 1 and \(formatVersion)")
            }
            if b.format == 2 {
                let arrays = try ArrayFile.read(directory(store) + "/p2p-\(v).arrays")
                do { try b.contactTime.readAccountArrays(arrays) } catch let e as CodecError {
                    throw RecoupError(.dataError, "\(directory(store))/p2p-\(v).arrays is damaged: \(e.reason)")
                }
            }
            return b
        } catch let e as RecoupError { throw e } catch {
            throw RecoupError(.dataError, "\(path) is not a readable model file: \(error)")
        }
    }

    /// Writes the model file and its card; returns their paths.
    public func save(store: String) throws -> (model: String, card: String) {
        let dir = Self.directory(store)
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw RecoupError(.cannotCreate, "cannot create \(dir): \(error.localizedDescription)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Trees and metrics may hold infinities (open split bounds) and NaN (an undefined metric).
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let model = dir + "/\(name).json", card = dir + "/\(name).md"
        var arrays = ArrayFile(metadata: "{\"model\":\(JSON.string(name))}")
        contactTime.writeAccountArrays(into: &arrays)
        try arrays.write(to: dir + "/\(name).arrays")
        var slim = self
        slim.format = Self.formatVersion
        slim.contactTime = contactTime.withoutAccountArrays
        do {
            try encoder.encode(slim).write(to: URL(fileURLWithPath: model), options: .atomic)
            try self.card().write(toFile: card, atomically: true, encoding: .utf8)
        } catch {
            throw RecoupError(.cannotCreate, "cannot write the model files in \(dir): \(error.localizedDescription)")
        }
        return (model, card)
    }

    public func card() -> String {
        let importance = boosted.gainImportance()
        let top = importance.indices.sorted { importance[$0] > importance[$1] }.prefix(10)
        func f(_ x: Double) -> String { String(format: "%.4f", x) }
        return """
        # Model card: \(name)

        - **Question**: will the account pay (amount > 0) within 30 days after the snapshot date? (MODELS.md)
        - **Population**: accounts placed on or before the snapshot date with an outstanding balance.
        - **Trained** as of \(CivilDate.format(asOf)) on store commit \(storeCommit), seed \(seed), format \(format).
        - **Training snapshots** (labels known 30 days later): \(trainingSnapshots.map(CivilDate.format).joined(separator: ", ")) — \(trainingRows) rows.
        - **Model**: histogram gradient-boosted trees, \(boosted.trees.count) trees (the best of \(boosted.roundsTrained) rounds on the early-stopping rows), \(boosted.parameters.numLeaves) leaves, learning rate \(boosted.parameters.learningRate); calibrated with \(calibrator.name) on held-out rows.
        - **Held-out rows** (the 10 % of training rows that only decided early stopping; calibration used another 10 %): AUC \(f(heldOut.auc)), log loss \(f(heldOut.logLoss)), Brier \(f(heldOut.brier)), ECE \(f(heldOut.ece)).
        - **Features** (\(featureNames.count), only rows dated on or before the snapshot): the most used by gain: \(top.map { featureNames[$0] }.joined(separator: ", ")).
        - **Explanations**: each score's reason codes are the three features whose contributions along the trees' paths raised and lowered its log-odds most; the contributions sum to the log-odds minus the base score.
        - **Best contact time**: P(RPC) per local (weekday, hour) slot 08..20, shrunk from account to segment to book; recommendations skip slots the calling rules forbid as of the score date.
        - **Use and limits**: a ranking aid for collectors and dialers on books like the training one; not a credit decision. Re-train after large changes in the book.

        """
    }
}
