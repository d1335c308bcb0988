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

    private func encoded(money: (Int64) -> String, number: (Double) -> String) -> String {
        func str(_ s: String) -> String { JSON.string(s) }
        func num(_ x: Double) -> String { JSON.number(x, number) }
        let slots = best_slots.map { "{\"weekday\":\(str($0.weekday)),\"hour\":\($0.hour),\"p_rpc\":\(num($0.p_rpc))}" }
        let why = reasons.map { "{\"feature\":\(str($0.feature)),\"effect\":\(num($0.effect))}" }
        return "{\"account_id\":\(str(account_id)),\"as_of\":\(str(as_of)),\"model_version\":\(str(model_version)),"
            + "\"p_pay_30d\":\(num(p_pay_30d)),\"expected_value\":\(money(expected_value)),\"outstanding\":\(money(outstanding)),"
            + "\"best_slots\":[\(slots.joined(separator: ","))],\"reasons\":[\(why.joined(separator: ","))]}"
    }
}

/// The scores of one run, saved as `<store>/scores/NNNNNN.scores` (see `ScoreFiles`); the highest
/// number is the latest.
public struct ScoreSet: Codable, Sendable {
    public var model_version: String
    public var as_of: String
    public var store_commit: Int
    public var scores: [AccountScore]

    public init(model_version: String, as_of: String, store_commit: Int, scores: [AccountScore]) {
        self.model_version = model_version
        self.as_of = as_of
        self.store_commit = store_commit
        self.scores = scores
    }

    /// The score file: columns, so a million scores save and load in well under a second.
    func arrayFile() -> ArrayFile {
        let meta = ScoreFiles.Metadata(model_version: model_version, as_of: as_of, store_commit: store_commit, count: scores.count)
        var f = ArrayFile(metadata: String(decoding: try! JSONEncoder().encode(meta), as: UTF8.self))
        let nSlots = ScoreFiles.slotsPerAccount, nReasons = ScoreFiles.reasonsPerAccount
        var features: [String] = [], featureIndex: [String: Int16] = [:]
        var slot = [UInt8](repeating: 255, count: scores.count * nSlots), slotP = [Double](repeating: 0, count: scores.count * nSlots)
        var reason = [Int16](repeating: -1, count: scores.count * nReasons), effect = [Double](repeating: 0, count: scores.count * nReasons)
        for (i, s) in scores.enumerated() {
            for (j, b) in s.best_slots.prefix(nSlots).enumerated() {
                let w = CivilDate.weekdayNames.firstIndex(of: b.weekday) ?? 0
                slot[i * nSlots + j] = UInt8(ContactTimeModel.slotIndex(weekday: w, hour: b.hour))
                slotP[i * nSlots + j] = b.p_rpc
            }
            for (j, r) in s.reasons.prefix(nReasons).enumerated() {
                let k: Int16
                if let known = featureIndex[r.feature] { k = known } else {
                    k = Int16(features.count); featureIndex[r.feature] = k; features.append(r.feature)
                }
                reason[i * nReasons + j] = k
                effect[i * nReasons + j] = r.effect
            }
        }
        f.put("account_id", scores.map(\.account_id))
        f.put("p_pay_30d", scores.map(\.p_pay_30d))
        f.put("expected_value", scores.map(\.expected_value))
        f.put("outstanding", scores.map(\.outstanding))
        f.put("slot", slot)
        f.put("slot_p", slotP)
        f.put("reason_features", features)
        f.put("reason_feature", reason)
        f.put("reason_effect", effect)
        return f
    }

    init(file f: ArrayFile, path: String) throws {
        let meta = try ScoreFiles.metadata(f, path: path)
        let ids = try f.strings("account_id"), p = try f.double("p_pay_30d")
        let ev = try f.int64("expected_value"), out = try f.int64("outstanding")
        let slot = try f.uint8("slot"), slotP = try f.double("slot_p")
        let features = try f.strings("reason_features"), reason = try f.int16("reason_feature"), effect = try f.double("reason_effect")
        let n = meta.count, nSlots = ScoreFiles.slotsPerAccount, nReasons = ScoreFiles.reasonsPerAccount
        guard ids.count == n, p.count == n, ev.count == n, out.count == n, slot.count == n * nSlots, slotP.count == n * nSlots,
              reason.count == n * nReasons, effect.count == n * nReasons,
              slot.allSatisfy({ $0 == 255 || Int($0) < ContactTimeModel.slotCount }),
              reason.allSatisfy({ $0 >= -1 && Int($0) < features.count }) else {
            throw CodecError("the arrays do not fit together")
        }
        var scores: [AccountScore] = []
        scores.reserveCapacity(n)
        for i in 0..<n {
            var slots: [ContactTimeSlot] = []
            for j in 0..<nSlots where slot[i * nSlots + j] != 255 {
                let s = Int(slot[i * nSlots + j])
                slots.append(ContactTimeSlot(weekday: CivilDate.weekdayNames[s / 13], hour: 8 + s % 13, p_rpc: slotP[i * nSlots + j]))
            }
            var reasons: [AccountScore.Reason] = []
            for j in 0..<nReasons where reason[i * nReasons + j] >= 0 {
                reasons.append(AccountScore.Reason(feature: features[Int(reason[i * nReasons + j])], effect: effect[i * nReasons + j]))
            }
            scores.append(AccountScore(account_id: ids[i], as_of: meta.as_of, model_version: meta.model_version, p_pay_30d: p[i],
                                       expected_value: ev[i], outstanding: out[i], best_slots: slots, reasons: reasons))
        }
        self.init(model_version: meta.model_version, as_of: meta.as_of, store_commit: meta.store_commit, scores: scores)
    }

    /// Saves the scores as the store's next score file (atomically); returns its path.
    public func save(store: String) throws -> String {
        let path = ScoreFiles.nextPath(store)
        try arrayFile().write(to: path)
        return path
    }

    /// The latest saved scores, or nil when the store was never scored.
    public static func latest(store: String) throws -> ScoreSet? {
        guard let path = ScoreFiles.latest(store) else { return nil }
        if path.hasSuffix(".json") {
            // Written by earlier versions.
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            do { return try decoder.decode(ScoreSet.self, from: data) } catch {
                throw RecoupError(.dataError, "\(path) is not a readable score file: \(error)")
            }
        }
        let file = try ArrayFile.read(path)
        do { return try ScoreSet(file: file, path: path) } catch let e as CodecError {
            throw RecoupError(.dataError, "\(path) is not a readable score file: \(e.reason)")
        }
    }
}

/// `recoup score`: every account of the population at A, with both models.
public enum Scoring {
    public static func score(snapshot: Snapshot, models: ModelBundle, asOf: Int32?) throws -> ScoreSet {
        let a = try asOf ?? KPIRunner.defaultAsOf(snapshot)
        Trace.mark("score: start")
        let features = try FeatureBuilder.build(snapshot: snapshot, asOf: a, withLabels: false).encoded(like: models.reference)
        Trace.mark("score: features")
        let data = features.dataset
        let explained = models.boosted.explain(data, k: 3)
        let p = models.calibrator.apply(explained.raw.map(sigmoid))
        Trace.mark("score: propensity and reasons")
        let slots = try ContactTimeModel.recommend(model: models.contactTime, snapshot: snapshot, asOf: a, accounts: features.accountKeys, top: 3)
        Trace.mark("score: contact time")
        let ids = try TableScan(snapshot, "accounts").text("account_id")
        let asOfText = CivilDate.format(a)
        let names = models.boosted.featureNames
        var scores = [AccountScore?](repeating: nil, count: data.rowCount)
        scores.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: max(1, (data.rowCount + 4095) / 4096)) { chunk in
                for i in (chunk * 4096)..<min(data.rowCount, (chunk + 1) * 4096) {
                    let outstanding = features.outstanding[i]
                    out[i] = AccountScore(
                        account_id: ids[Int(features.accountKeys[i])], as_of: asOfText, model_version: models.name,
                        p_pay_30d: p[i], expected_value: Int64((p[i] * Double(outstanding)).rounded()), outstanding: outstanding,
                        best_slots: slots[i], reasons: explained.reasons(row: i).map { AccountScore.Reason(feature: names[$0.feature], effect: $0.effect) })
                }
            }
        }
        Trace.mark("score: rows")
        return ScoreSet(model_version: models.name, as_of: asOfText, store_commit: snapshot.commit, scores: scores.map { $0! })
    }
}
