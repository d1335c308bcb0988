import Foundation
import RecoupEngine
import RecoupKPI
import RecoupStore

/// One account's score, in API.md's shape.
public struct AccountScore: Codable, Sendable, Equatable {
    public struct Reason: Codable, Sendable, Equatable {
        public var feature: String
        /// The feature's contribution to the log-odds (positive raises the score).
        public var effect: Double
    }

    public var account_id: String
    public var as_of: String
    public var model_version: String
    public var p_pay_30d: Double
    /// Cents.
    public var expected_value: Int64
    /// Cents.
    public var outstanding: Int64
    public var best_slots: [ContactTimeSlot]
    public var reasons: [Reason]

    /// API.md's JSON for one score: money as decimal numbers with 2 places.
    public var json: String { encoded(money: Money.format, number: Decimal6.format) }

    /// The score file's form: money in cents and doubles in their shortest exact form (what `Codable` reads back).
    var fileJSON: String { encoded(money: { String($0) }, number: { $0.isFinite ? "\($0)" : "0" }) }

    private func encoded(money: (Int64) -> String, number: (Double) -> String) -> String {
        func str(_ s: String) -> String { KPITable.jsonString(s) }
        func num(_ x: Double) -> String { number(x) }
        let slots = best_slots.map { "{\"weekday\":\(str($0.weekday)),\"hour\":\($0.hour),\"p_rpc\":\(num($0.p_rpc))}" }
        let why = reasons.map { "{\"feature\":\(str($0.feature)),\"effect\":\(num($0.effect))}" }
        return "{\"account_id\":\(str(account_id)),\"as_of\":\(str(as_of)),\"model_version\":\(str(model_version)),"
            + "\"p_pay_30d\":\(num(p_pay_30d)),\"expected_value\":\(money(expected_value)),\"outstanding\":\(money(outstanding)),"
            + "\"best_slots\":[\(slots.joined(separator: ","))],\"reasons\":[\(why.joined(separator: ","))]}"
    }
}

/// The scores of one run, saved as `<store>/scores/NNNNNN.json`; the highest number is the latest.
public struct ScoreSet: Codable, Sendable {
    public var model_version: String
    public var as_of: String
    public var store_commit: Int
    public var scores: [AccountScore]

    static func directory(_ store: String) -> String { store + "/scores" }

    static func numbers(_ store: String) -> [Int] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory(store))) ?? [])
            .compactMap { $0.hasSuffix(".json") ? Int($0.dropLast(5)) : nil }.sorted()
    }

    public func save(store: String) throws -> String {
        let dir = Self.directory(store)
        let path = dir + "/" + String(format: "%06d", (Self.numbers(store).last ?? 0) + 1) + ".json"
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            // Written by hand: Foundation's encoder takes seconds for a million scores.
            let text = "{\"model_version\":" + KPITable.jsonString(model_version) + ",\"as_of\":" + KPITable.jsonString(as_of)
                + ",\"store_commit\":\(store_commit),\"scores\":[\n" + scores.map(\.fileJSON).joined(separator: ",\n") + "]}\n"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw RecoupError(.cannotCreate, "cannot write scores to \(path): \(error.localizedDescription)")
        }
        return path
    }

    /// The latest saved scores, or nil when the store was never scored.
    public static func latest(store: String) throws -> ScoreSet? {
        guard let n = numbers(store).last else { return nil }
        let path = directory(store) + "/" + String(format: "%06d", n) + ".json"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return try decoder.decode(ScoreSet.self, from: data) } catch {
            throw RecoupError(.dataError, "\(path) is not a readable score file: \(error)")
        }
    }
}

/// `recoup score`: every account of the population at A, with both models.
public enum Scoring {
    public static func score(snapshot: Snapshot, models: ModelBundle, asOf: Int32?) throws -> ScoreSet {
        let a = try asOf ?? KPIRunner.defaultAsOf(snapshot)
        let features = try FeatureBuilder.build(snapshot: snapshot, asOf: a, withLabels: false).encoded(like: models.reference)
        let data = features.dataset
        let p = models.calibrator.apply(models.boosted.predictProbability(data))
        let slots = try ContactTimeModel.recommend(model: models.contactTime, snapshot: snapshot, asOf: a, accounts: features.accountKeys, top: 3)
        let ids = try TableScan(snapshot, "accounts").text("account_id")
        let asOfText = CivilDate.format(a)
        var scores = [AccountScore?](repeating: nil, count: data.rowCount)
        scores.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: max(1, (data.rowCount + 4095) / 4096)) { chunk in
                for i in (chunk * 4096)..<min(data.rowCount, (chunk + 1) * 4096) {
                    let c = models.boosted.contributions(data, row: i)
                    let (up, down) = models.boosted.reasonCodes(c, k: 3)
                    let outstanding = features.outstanding[i]
                    out[i] = AccountScore(
                        account_id: ids[Int(features.accountKeys[i])], as_of: asOfText, model_version: models.name,
                        p_pay_30d: p[i], expected_value: Int64((p[i] * Double(outstanding)).rounded()), outstanding: outstanding,
                        best_slots: slots[i], reasons: (up + down).map { AccountScore.Reason(feature: $0.feature, effect: $0.contribution) })
                }
            }
        }
        return ScoreSet(model_version: models.name, as_of: asOfText, store_commit: snapshot.commit, scores: scores.map { $0! })
    }
}
