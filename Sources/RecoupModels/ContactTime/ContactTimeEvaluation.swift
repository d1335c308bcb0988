import Foundation
import RecoupEngine
import RecoupStore

/// Held-out evaluation of the best-contact-time model (MODELS.md).
public enum ContactTimeEvaluation {
    /// Trains as of `trainAsOf` and scores outbound calls (hours 8…20) with placed_date ≤ local date
    /// and local date in [testFrom, testTo]: the ROC AUC of P(RPC), the RPC rate of the calls placed
    /// in their account's top-3 slots by P(RPC) (ranked without the calling-rule filter, which depends
    /// on the day), and the RPC rate of all of them. NaN where undefined.
    public static func run(
        snapshot: Snapshot, trainAsOf: Int32, testFrom: Int32, testTo: Int32
    ) throws
        -> (auc: Double, rpcRateTop3: Double, rpcRateAll: Double)
    {
        let data = try ContactTimeData(snapshot: snapshot)
        let model = ContactTimeTrainer.train(data: data, asOf: trainAsOf)
        return evaluate(model: model, data: data, testFrom: testFrom, testTo: testTo)
    }

    static func evaluate(
        model: ContactTimeModel, data: ContactTimeData, testFrom: Int32, testTo: Int32
    )
        -> (auc: Double, rpcRateTop3: Double, rpcRateAll: Double)
    {
        let test = ContactTimeTrainer.calls(data, asOf: testTo).filter { $0.date >= testFrom }
        var scores: [Double] = [], labels: [UInt8] = []
        var top3Calls = 0, top3RPC = 0, rpc = 0
        var lastAccount: Int32 = -1
        var top: Set<Int> = []
        for c in test {
            let s = Int(c.slot)
            if c.account != lastAccount {
                lastAccount = c.account
                top = Set(ContactTimeModel.ranked(model.probabilities(account: c.account)).prefix(3))
            }
            scores.append(model.probability(account: c.account, weekday: s / 13, hour: 8 + s % 13))
            labels.append(c.rpc ? 1 : 0)
            if c.rpc { rpc += 1 }
            if top.contains(s) {
                top3Calls += 1
                if c.rpc { top3RPC += 1 }
            }
        }
        let auc = Metrics.auc(scores, labels)
        return (
            auc, top3Calls > 0 ? Double(top3RPC) / Double(top3Calls) : .nan,
            test.isEmpty ? .nan : Double(rpc) / Double(test.count)
        )
    }
}

/// The per-account arrays, which are saved in an `ArrayFile` beside the model's JSON.
extension ContactTimeModel {
    var withoutAccountArrays: ContactTimeModel {
        var m = self
        m.accountSegment = []; m.accountKeys = []; m.hourRatio = []; m.weekdayRatio = []
        m.slotStart = []; m.slot = []; m.slotCalls = []; m.slotRPC = []
        return m
    }

    func writeAccountArrays(into f: inout ArrayFile) {
        f.put("contact_time.account_segment", accountSegment)
        f.put("contact_time.account_keys", accountKeys)
        f.put("contact_time.hour_ratio", hourRatio)
        f.put("contact_time.weekday_ratio", weekdayRatio)
        f.put("contact_time.slot_start", slotStart)
        f.put("contact_time.slot", slot)
        f.put("contact_time.slot_calls", slotCalls)
        f.put("contact_time.slot_rpc", slotRPC)
    }

    mutating func readAccountArrays(_ f: ArrayFile) throws {
        accountSegment = try f.int32("contact_time.account_segment")
        accountKeys = try f.int32("contact_time.account_keys")
        hourRatio = try f.double("contact_time.hour_ratio")
        weekdayRatio = try f.double("contact_time.weekday_ratio")
        slotStart = try f.int32("contact_time.slot_start")
        slot = try f.uint8("contact_time.slot")
        slotCalls = try f.int32("contact_time.slot_calls")
        slotRPC = try f.int32("contact_time.slot_rpc")
        let n = accountKeys.count
        guard hourRatio.count == n * 13, weekdayRatio.count == n * 7, slotStart.count == n + 1,
            slot.count == slotCalls.count, slot.count == slotRPC.count, Int(slotStart.last ?? 0) == slot.count,
            accountSegment.allSatisfy({ $0 >= 0 && Int($0) < segmentRates.count })
        else {
            throw CodecError("contact-time arrays do not fit together")
        }
    }
}
