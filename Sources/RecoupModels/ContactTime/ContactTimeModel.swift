import Foundation
import RecoupEngine
import RecoupStore

/// Best contact time (MODELS.md): P(RPC) of an outbound call to account a in local weekday w
/// and local hour h, over the 7 × 13 slots with h in 8…20 (slot index w·13 + h − 8, w = 0 is Monday).
///
/// Hierarchical empirical-Bayes (Beta-binomial) shrinkage, each level a posterior mean with the
/// level above as its prior mean:
/// 1. book, per slot: counts smoothed across neighbouring hours of the same weekday (weights ½, 1, ½),
///    shrunk to the overall outbound-call RPC rate with strength `kBook` calls;
/// 2. portfolio, per slot (smoothed the same way), shrunk to the book with strength `kSegment`;
///    a portfolio × region cell with at least `minCellCalls` training calls is a segment of its own,
///    shrunk to its portfolio with the same strength; every other account uses its portfolio;
/// 3. account: an hour profile shared across weekdays, r_a(h) = (O + kHour) / (E + kHour), where O and
///    E are the observed and segment-expected RPCs near hour h (Gaussian kernel, sd `bandwidth` hours)
///    — so one answered call at 19:00 lifts 18:00 and 20:00 on every weekday; then a weekday factor
///    (O_w + kWeekday) / (E_w + kWeekday) on what the hour profile leaves. With `poolDebtor` (default)
///    O and E sum over all calls of the account's debtor (the generator, like life, gives a debtor one
///    set of contact preferences across their accounts). The product of the two with the segment rate
///    is the prior mean of the account's own slot, shrunk with strength `kSlot` calls.
/// `kSegment`, `kHour` and `bandwidth` are chosen by held-out log likelihood: fit on calls up to
/// A − 90 days, score the calls in (A − 90, A] (grid search in a fixed order, so deterministic); the
/// others are documented constants. An account without calls (and whose debtor has none) gets its
/// segment's rates.
public struct ContactTimeModel: Codable, Equatable, Sendable {
    public struct Parameters: Codable, Equatable, Sendable {
        public var kBook: Double = 50
        public var kSegment: Double = 100
        public var minCellCalls: Int = 400
        public var kHour: Double = 1
        public var bandwidth: Double = 1.5
        public var kWeekday: Double = 2
        public var kSlot: Double = 4
        /// Pool the hour profile and weekday factors over all accounts of the same debtor (the
        /// debtor's preferences are shared by their accounts); per-slot counts stay per account.
        public var poolDebtor: Bool = true
        public init() {}
    }

    public static let version = 1
    /// The hours a recommended call may start in: the calling rules' hours (`CallingRules`), 8…20.
    /// The slot layout below writes their count, 13, as a literal in its loops.
    public static let hours = CallingRules.firstHour...(CallingRules.endHour - 1)
    public static let slotCount = 7 * 13

    public var version: Int = ContactTimeModel.version
    /// The as-of date A (days since 1970-01-01): trained on outbound calls with placed_date ≤ local date ≤ A.
    public var asOf: Int32
    public var parameters: Parameters
    /// Calls and RPCs the model was trained on.
    public var trainingCalls: Int
    public var trainingRPC: Int
    /// Held-out log likelihood per call of the chosen parameters (nil when too few calls to validate).
    public var validationLogLikelihood: Double?
    /// Book-level P(RPC) per slot.
    public var bookRate: [Double]
    /// Segment names (`card`, or `card/TX` for a portfolio × region cell) and their per-slot P(RPC).
    public var segmentNames: [String]
    public var segmentRates: [[Double]]
    /// Segment of every account key.
    public var accountSegment: [Int32]
    /// Accounts with training calls, ascending, and per account: hour ratios (13), weekday ratios (7),
    /// and their observed slots (`slotStart[i]..<slotStart[i+1]` into slot/calls/rpc).
    public var accountKeys: [Int32]
    public var hourRatio: [Double]
    public var weekdayRatio: [Double]
    public var slotStart: [Int32]
    public var slot: [UInt8]
    public var slotCalls: [Int32]
    public var slotRPC: [Int32]

    @inlinable
    public static func slotIndex(weekday: Int, hour: Int) -> Int { weekday * 13 + hour - 8 }

    /// Segment-level P(RPC) of a slot for account `account` (the book's when the key is unknown).
    public func segmentProbability(account: Int32, weekday: Int, hour: Int) -> Double {
        guard (0..<7).contains(weekday), Self.hours.contains(hour) else { return 0 }
        let s = Self.slotIndex(weekday: weekday, hour: hour)
        guard account >= 0, Int(account) < accountSegment.count else { return bookRate[s] }
        return segmentRates[Int(accountSegment[Int(account)])][s]
    }

    /// P(RPC) of an outbound call to `account` (account key) in local `weekday` (0 = Monday … 6 = Sunday)
    /// and local `hour`. 0 outside the slots (hours 8…20): such a call is never recommended.
    public func probability(account: Int32, weekday: Int, hour: Int) -> Double {
        guard (0..<7).contains(weekday), Self.hours.contains(hour) else { return 0 }
        let seg = segmentProbability(account: account, weekday: weekday, hour: hour)
        guard let i = accountRow(account) else { return seg }
        let s = Self.slotIndex(weekday: weekday, hour: hour)
        let prior = self.prior(row: i, segmentRate: seg, slot: s)
        var n = 0.0, y = 0.0
        for j in Int(slotStart[i])..<Int(slotStart[i + 1]) where Int(slot[j]) == s {
            n = Double(slotCalls[j]); y = Double(slotRPC[j])
        }
        return (y + parameters.kSlot * prior) / (n + parameters.kSlot)
    }

    /// All 91 slot probabilities of an account, by slot index.
    public func probabilities(account: Int32) -> [Double] {
        var p = [Double](repeating: 0, count: Self.slotCount)
        probabilities(account: account, into: &p)
        return p
    }

    /// All 91 slot probabilities of an account into `p` (91 values): what `probability` gives for
    /// each slot, with the account looked up once.
    func probabilities(account: Int32, into p: inout [Double]) {
        let seg =
            account >= 0 && Int(account) < accountSegment.count
            ? segmentRates[Int(accountSegment[Int(account)])] : bookRate
        guard let i = accountRow(account) else {
            for s in 0..<Self.slotCount { p[s] = seg[s] }
            return
        }
        let k = parameters.kSlot
        for s in 0..<Self.slotCount { p[s] = k * prior(row: i, segmentRate: seg[s], slot: s) / k }
        for j in Int(slotStart[i])..<Int(slotStart[i + 1]) {
            let s = Int(slot[j])
            p[s] = (Double(slotRPC[j]) + k * prior(row: i, segmentRate: seg[s], slot: s)) / (Double(slotCalls[j]) + k)
        }
    }

    /// The prior mean of slot `s` for the account at `row` of the per-account arrays: the segment's
    /// rate times the account's hour and weekday ratios, kept inside (1e-6, 0.999).
    @inline(__always)
    func prior(row i: Int, segmentRate: Double, slot s: Int) -> Double {
        min(max(segmentRate * hourRatio[i * 13 + s % 13] * weekdayRatio[i * 7 + s / 13], 1e-6), 0.999)
    }

    func accountRow(_ account: Int32) -> Int? {
        var lo = 0, hi = accountKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if accountKeys[mid] < account { lo = mid + 1 } else { hi = mid }
        }
        return lo < accountKeys.count && accountKeys[lo] == account ? lo : nil
    }

    /// Slot indices by P(RPC) descending, ties by slot index (deterministic).
    static func ranked(_ p: [Double]) -> [Int] {
        (0..<p.count).sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
    }

    /// The `top` best slots of each account as of A, skipping slots the calling rules forbid.
    /// A slot (w, h) is taken "as of A" at its next occurrence after A in the debtor's local time:
    /// the first local date d with A < d ≤ A + 7 and weekday w. It is skipped when the account already
    /// has 7 outbound calls with local dates in [d − 6, d] (the call would be the 8th: seven_in_seven),
    /// or a telephone conversation (a call in either direction with an RPC outcome) on a local date
    /// d_conv with d_conv ≤ d ≤ d_conv + 6 (after_conversation). History: contacts with
    /// placed_date ≤ local date ≤ A, as in KPIS.md. `accounts` are account keys (nil: every key);
    /// an account not placed by A gets no slots. Results are in the order of `accounts`.
    public static func recommend(
        model: ContactTimeModel, snapshot: Snapshot, asOf a: Int32,
        accounts: [Int32]? = nil, top: Int = 3
    ) throws -> [[ContactTimeSlot]] {
        let data = try ContactTimeData(snapshot: snapshot)
        return recommend(model: model, data: data, asOf: a, accounts: accounts, top: top)
    }

    static func recommend(
        model: ContactTimeModel, data: ContactTimeData, asOf a: Int32,
        accounts: [Int32]?, top: Int
    ) -> [[ContactTimeSlot]] {
        let keys = accounts ?? (0..<Int32(data.accountCount)).map { $0 }
        guard top > 0 else { return [[ContactTimeSlot]](repeating: [], count: keys.count) }
        let index = data.history(asOf: a)
        let next = nextDates(after: a)
        var out = [[ContactTimeSlot]](repeating: [], count: keys.count)
        let chunk = 4096
        out.withUnsafeMutableBufferPointer { o in
            DispatchQueue.concurrentPerform(iterations: (keys.count + chunk - 1) / chunk) { c in
                var p = [Double](repeating: 0, count: slotCount)
                var history = CallHistory()
                for i in (c * chunk)..<min(keys.count, (c + 1) * chunk) {
                    let acct = keys[i]
                    guard acct >= 0, Int(acct) < data.accountCount, AsOf.known(placed: data.placed[Int(acct)], asOf: a) else { continue }
                    history.removeAll()
                    for r32 in index.rows(of: Int(acct)) {
                        let r = Int(r32)
                        guard data.isCall[r] else { continue }
                        history.add(
                            outboundCall: data.isOutbound[r], conversation: data.isRPC[r], localDate: data.localDate[r])
                    }
                    var allowed = 0  // bit w: weekday w's next date is callable
                    for w in 0..<7 where history.allowsCall(on: next[w]) { allowed |= 1 << w }
                    model.probabilities(account: acct, into: &p)
                    // The best `top` allowed slots: P(RPC) descending, ties by slot index.
                    var chosen: [Int] = []
                    for s in 0..<slotCount where allowed & (1 << (s / 13)) != 0 {
                        var j = chosen.count
                        if j == top && !(p[s] > p[chosen[top - 1]]) { continue }
                        if j < top { chosen.append(s) } else { j = top - 1; chosen[j] = s }
                        while j > 0 && p[chosen[j]] > p[chosen[j - 1]] { chosen.swapAt(j, j - 1); j -= 1 }
                    }
                    o[i] = chosen.map {
                        ContactTimeSlot(weekday: CivilDate.weekdayNames[$0 / 13], hour: 8 + $0 % 13, p_rpc: p[$0])
                    }
                }
            }
        }
        return out
    }

    /// For weekday w (0 = Monday), the first date after `a` falling on it.
    static func nextDates(after a: Int32) -> [Int32] {
        let w1 = CivilDate.weekday(a + 1)
        return (0..<7).map { w in a + 1 + Int32((w - w1 + 7) % 7) }
    }
}
