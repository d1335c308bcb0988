import Foundation
import RecoupEngine
import RecoupStore

/// One recommended call slot in the debtor's local time: weekday `mon`…`sun`, hour 8…20
/// (the call starts within hour:00–hour:59), and the model's P(RPC) there.
public struct ContactTimeSlot: Codable, Equatable, Sendable {
    public var weekday: String
    public var hour: Int
    public var p_rpc: Double

    public init(weekday: String, hour: Int, p_rpc: Double) {
        self.weekday = weekday
        self.hour = hour
        self.p_rpc = p_rpc
    }
}

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
    public static let hours = 8...20
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
        let seg = account >= 0 && Int(account) < accountSegment.count ? segmentRates[Int(accountSegment[Int(account)])] : bookRate
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
    public static func recommend(model: ContactTimeModel, snapshot: Snapshot, asOf a: Int32,
                                 accounts: [Int32]? = nil, top: Int = 3) throws -> [[ContactTimeSlot]] {
        let data = try ContactTimeData(snapshot: snapshot)
        return recommend(model: model, data: data, asOf: a, accounts: accounts, top: top)
    }

    static func recommend(model: ContactTimeModel, data: ContactTimeData, asOf a: Int32,
                          accounts: [Int32]?, top: Int) -> [[ContactTimeSlot]] {
        let keys = accounts ?? (0..<Int32(data.accountCount)).map { $0 }
        guard top > 0 else { return [[ContactTimeSlot]](repeating: [], count: keys.count) }
        let index = data.history(asOf: a)
        let next = nextDates(after: a)
        var out = [[ContactTimeSlot]](repeating: [], count: keys.count)
        let chunk = 4096
        out.withUnsafeMutableBufferPointer { o in
            DispatchQueue.concurrentPerform(iterations: (keys.count + chunk - 1) / chunk) { c in
                var p = [Double](repeating: 0, count: slotCount)
                var callDates: [Int32] = [], conversations: [Int32] = []
                for i in (c * chunk)..<min(keys.count, (c + 1) * chunk) {
                    let acct = keys[i]
                    guard acct >= 0, Int(acct) < data.accountCount, data.placed[Int(acct)] <= a else { continue }
                    callDates.removeAll(keepingCapacity: true)
                    conversations.removeAll(keepingCapacity: true)
                    for r32 in index.rows(of: Int(acct)) {
                        let r = Int(r32)
                        guard data.isCall[r] else { continue }
                        if data.isOutbound[r] { callDates.append(data.localDate[r]) }
                        if data.isRPC[r] { conversations.append(data.localDate[r]) }
                    }
                    var allowed = 0  // bit w: weekday w's next date is callable
                    for w in 0..<7 {
                        let d = next[w]
                        var calls = 0
                        for x in callDates where x >= d - 6 && x <= d { calls += 1 }
                        if calls < 7 && !conversations.contains(where: { $0 <= d && d <= $0 + 6 }) { allowed |= 1 << w }
                    }
                    model.probabilities(account: acct, into: &p)
                    // The best `top` allowed slots: P(RPC) descending, ties by slot index.
                    var chosen: [Int] = []
                    for s in 0..<slotCount where allowed & (1 << (s / 13)) != 0 {
                        var j = chosen.count
                        if j == top && !(p[s] > p[chosen[top - 1]]) { continue }
                        if j < top { chosen.append(s) } else { j = top - 1; chosen[j] = s }
                        while j > 0 && p[chosen[j]] > p[chosen[j - 1]] { chosen.swapAt(j, j - 1); j -= 1 }
                    }
                    o[i] = chosen.map { ContactTimeSlot(weekday: CivilDate.weekdayNames[$0 / 13], hour: 8 + $0 % 13, p_rpc: p[$0]) }
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

public enum ContactTimeTrainer {
    /// Trains on outbound calls with placed_date ≤ local date ≤ `asOf` (local time in the account's zone).
    public static func train(snapshot: Snapshot, asOf: Int32) throws -> ContactTimeModel {
        train(data: try ContactTimeData(snapshot: snapshot), asOf: asOf)
    }

    static let validationDays: Int32 = 90
    static let segmentGrid: [Double] = [30, 100, 300, 1000]
    static let hourGrid: [Double] = [0.125, 0.25, 0.5, 1, 2]
    static let bandwidthGrid: [Double] = [1.0, 1.5, 2.25, 3.0]

    /// One training call: account key, slot index, RPC, local date.
    struct Call {
        var account: Int32
        var slot: UInt8
        var rpc: Bool
        var date: Int32
    }

    /// Outbound calls in slots (hours 8…20), placed_date ≤ local date ≤ a, grouped by account in (ts, row) order.
    static func calls(_ data: ContactTimeData, asOf a: Int32) -> [Call] {
        let index = data.history(asOf: a)
        var out: [Call] = []
        for r32 in index.rows {
            let r = Int(r32)
            guard data.isCall[r], data.isOutbound[r] else { continue }
            let h = Int(data.localHour[r])
            guard ContactTimeModel.hours.contains(h) else { continue }
            let s = ContactTimeModel.slotIndex(weekday: CivilDate.weekday(data.localDate[r]), hour: h)
            out.append(Call(account: data.contactAccount[r], slot: UInt8(s), rpc: data.isRPC[r], date: data.localDate[r]))
        }
        return out
    }

    static func train(data: ContactTimeData, asOf a: Int32, base: ContactTimeModel.Parameters = .init()) -> ContactTimeModel {
        let all = calls(data, asOf: a)
        var params = base
        var best: Double? = nil
        // Validation: fit on calls up to A − 90, score the calls after (both only ≤ A).
        let cut = a - validationDays
        let fitCalls = all.filter { $0.date <= cut }
        let held = all.filter { $0.date > cut }
        if held.count >= 500 && held.lazy.filter(\.rpc).count >= 30 && fitCalls.count >= 500 {
            func score(_ p: ContactTimeModel.Parameters) -> Double {
                let m = fit(data, fitCalls, asOf: cut, p)
                var ll = 0.0
                for c in held {
                    let q = min(max(m.probability(account: c.account, weekday: Int(c.slot) / 13, hour: 8 + Int(c.slot) % 13), 1e-9), 1 - 1e-9)
                    ll += c.rpc ? log(q) : log(1 - q)
                }
                return ll / Double(held.count)
            }
            var bestLL = -Double.infinity
            for k in segmentGrid {
                var p = params; p.kSegment = k
                let ll = score(p)
                if ll > bestLL { bestLL = ll; params = p }
            }
            let kSeg = params.kSegment
            for bw in bandwidthGrid {
                for kh in hourGrid {
                    var p = params; p.kSegment = kSeg; p.bandwidth = bw; p.kHour = kh
                    let ll = score(p)
                    if ll > bestLL { bestLL = ll; params = p }
                }
            }
            best = bestLL
        }
        var model = fit(data, all, asOf: a, params)
        model.validationLogLikelihood = best
        return model
    }

    /// Counts smoothed across neighbouring hours of the same weekday (weights ½, 1, ½).
    static func smooth(_ v: ArraySlice<Double>) -> [Double] {
        let base = v.startIndex
        var out = [Double](repeating: 0, count: ContactTimeModel.slotCount)
        for w in 0..<7 {
            for h in 0..<13 {
                var s = v[base + w * 13 + h]
                if h > 0 { s += 0.5 * v[base + w * 13 + h - 1] }
                if h < 12 { s += 0.5 * v[base + w * 13 + h + 1] }
                out[w * 13 + h] = s
            }
        }
        return out
    }

    static func shrink(_ n: ArraySlice<Double>, _ y: ArraySlice<Double>, to prior: [Double], _ k: Double) -> [Double] {
        let sn = smooth(n), sy = smooth(y)
        return (0..<ContactTimeModel.slotCount).map { (sy[$0] + k * prior[$0]) / (sn[$0] + k) }
    }

    static func fit(_ data: ContactTimeData, _ calls: [Call], asOf a: Int32, _ params: ContactTimeModel.Parameters) -> ContactTimeModel {
        let S = ContactTimeModel.slotCount
        let P = data.portfolioNames.count + 1, R = data.regionNames.count + 1
        func pIndex(_ acct: Int) -> Int { let c = data.portfolio[acct]; return c >= 0 && Int(c) < P - 1 ? Int(c) : P - 1 }
        func rIndex(_ acct: Int) -> Int { let c = data.region[acct]; return c >= 0 && Int(c) < R - 1 ? Int(c) : R - 1 }

        // Counts per slot: book, portfolio, portfolio × region cell.
        var bookN = [Double](repeating: 0, count: S), bookY = bookN
        var portN = [Double](repeating: 0, count: P * S), portY = portN
        var cellN = [Double](repeating: 0, count: P * R * S), cellY = cellN
        var cellCalls = [Int](repeating: 0, count: P * R)
        var rpc = 0
        for c in calls {
            let acct = Int(c.account), s = Int(c.slot)
            let p = pIndex(acct), cell = p * R + rIndex(acct)
            let y = c.rpc ? 1.0 : 0.0
            bookN[s] += 1; bookY[s] += y
            portN[p * S + s] += 1; portY[p * S + s] += y
            cellN[cell * S + s] += 1; cellY[cell * S + s] += y
            cellCalls[cell] += 1
            if c.rpc { rpc += 1 }
        }
        let overall = calls.isEmpty ? 0.1 : max(Double(rpc), 0.5) / Double(calls.count)
        let book = shrink(bookN[...], bookY[...], to: [Double](repeating: overall, count: S), params.kBook)

        var names: [String] = []
        var rates: [[Double]] = []
        for p in 0..<P {
            names.append(p < P - 1 ? data.portfolioNames[p] : "")
            rates.append(shrink(portN[(p * S)..<((p + 1) * S)], portY[(p * S)..<((p + 1) * S)], to: book, params.kSegment))
        }
        var cellSegment = [Int32](repeating: -1, count: P * R)
        for cell in 0..<(P * R) where cellCalls[cell] >= params.minCellCalls {
            let p = cell / R, r = cell % R
            cellSegment[cell] = Int32(rates.count)
            names.append(names[p] + "/" + (r < R - 1 ? data.regionNames[r] : ""))
            rates.append(shrink(cellN[(cell * S)..<((cell + 1) * S)], cellY[(cell * S)..<((cell + 1) * S)], to: rates[p], params.kSegment))
        }
        let segment: [Int32] = (0..<data.accountCount).map { acct in
            let p = pIndex(acct), cell = p * R + rIndex(acct)
            return cellSegment[cell] >= 0 ? cellSegment[cell] : Int32(p)
        }

        // Kernel over hour differences −12…12.
        let bw = params.bandwidth
        let kernel = (-12...12).map { d in exp(-0.5 * Double(d * d) / (bw * bw)) }

        // Profiles: hour ratios (13) and weekday ratios (7) per debtor (or per account when not pooling),
        // from all that debtor's calls; each call's expectation uses its own account's segment.
        let owner: [Int32] = params.poolDebtor ? data.debtor : (0..<Int32(data.accountCount)).map { $0 }
        let owners = (owner.max().map { Int($0) } ?? -1) + 1
        var byOwner = [Int32](repeating: 0, count: owners + 1)
        for c in calls { byOwner[Int(owner[Int(c.account)]) + 1] += 1 }
        for d in 0..<owners { byOwner[d + 1] += byOwner[d] }
        var next = byOwner
        var ordered = [Int32](repeating: 0, count: calls.count)
        for (r, c) in calls.enumerated() {
            let d = Int(owner[Int(c.account)])
            ordered[Int(next[d])] = Int32(r)
            next[d] += 1
        }
        var ownerHour = [Double](repeating: 1, count: owners * 13)
        var ownerWeek = [Double](repeating: 1, count: owners * 7)
        var o = [Double](repeating: 0, count: 13), e = o, hr = o
        var ow = [Double](repeating: 0, count: 7), ew = ow
        for d in 0..<owners where byOwner[d + 1] > byOwner[d] {
            let group = ordered[Int(byOwner[d])..<Int(byOwner[d + 1])]
            for h in 0..<13 { o[h] = 0; e[h] = 0 }
            for r in group {
                let c = calls[Int(r)]
                let seg = rates[Int(segment[Int(c.account)])]
                let s = Int(c.slot), hc = s % 13
                for h in 0..<13 {
                    let k = kernel[h - hc + 12]
                    e[h] += k * seg[s]
                    if c.rpc { o[h] += k }
                }
            }
            for h in 0..<13 { hr[h] = (o[h] + params.kHour) / (e[h] + params.kHour) }
            for w in 0..<7 { ow[w] = 0; ew[w] = 0 }
            for r in group {
                let c = calls[Int(r)]
                let s = Int(c.slot)
                ew[s / 13] += min(rates[Int(segment[Int(c.account)])][s] * hr[s % 13], 0.999)
                if c.rpc { ow[s / 13] += 1 }
            }
            for h in 0..<13 { ownerHour[d * 13 + h] = hr[h] }
            for w in 0..<7 { ownerWeek[d * 7 + w] = (ow[w] + params.kWeekday) / (ew[w] + params.kWeekday) }
        }

        // Accounts whose profile owner has calls, ascending; their own observed slots (calls come
        // grouped by account in ascending key order: the history index's order).
        var keys: [Int32] = [], hourRatio: [Double] = [], weekdayRatio: [Double] = []
        var slotStart: [Int32] = [0], slotIdx: [UInt8] = [], slotCalls: [Int32] = [], slotRPC: [Int32] = []
        var n = [Int32](repeating: 0, count: S), y = n
        var i = 0
        for acct in 0..<data.accountCount {
            let d = Int(owner[acct])
            guard byOwner[d + 1] > byOwner[d] else { continue }
            keys.append(Int32(acct))
            hourRatio += ownerHour[(d * 13)..<(d * 13 + 13)]
            weekdayRatio += ownerWeek[(d * 7)..<(d * 7 + 7)]
            while i < calls.count && Int(calls[i].account) < acct { i += 1 }
            var touched: [Int] = []
            while i < calls.count && Int(calls[i].account) == acct {
                let s = Int(calls[i].slot)
                if n[s] == 0 { touched.append(s) }
                n[s] += 1
                if calls[i].rpc { y[s] += 1 }
                i += 1
            }
            for s in touched.sorted() {
                slotIdx.append(UInt8(s)); slotCalls.append(n[s]); slotRPC.append(y[s])
                n[s] = 0; y[s] = 0
            }
            slotStart.append(Int32(slotIdx.count))
        }
        if zip(calls, calls.dropFirst()).contains(where: { $0.account > $1.account }) {
            preconditionFailure("contact-time calls are not grouped by ascending account key")
        }
        return ContactTimeModel(asOf: a, parameters: params, trainingCalls: calls.count, trainingRPC: rpc,
                                validationLogLikelihood: nil, bookRate: book, segmentNames: names, segmentRates: rates,
                                accountSegment: segment, accountKeys: keys, hourRatio: hourRatio, weekdayRatio: weekdayRatio,
                                slotStart: slotStart, slot: slotIdx, slotCalls: slotCalls, slotRPC: slotRPC)
    }
}

/// Held-out evaluation of the best-contact-time model (MODELS.md).
public enum ContactTimeEvaluation {
    /// Trains as of `trainAsOf` and scores outbound calls (hours 8…20) with placed_date ≤ local date
    /// and local date in [testFrom, testTo]: the ROC AUC of P(RPC), the RPC rate of the calls placed
    /// in their account's top-3 slots by P(RPC) (ranked without the calling-rule filter, which depends
    /// on the day), and the RPC rate of all of them. NaN where undefined.
    public static func run(snapshot: Snapshot, trainAsOf: Int32, testFrom: Int32, testTo: Int32) throws
        -> (auc: Double, rpcRateTop3: Double, rpcRateAll: Double) {
        let data = try ContactTimeData(snapshot: snapshot)
        let model = ContactTimeTrainer.train(data: data, asOf: trainAsOf)
        return evaluate(model: model, data: data, testFrom: testFrom, testTo: testTo)
    }

    static func evaluate(model: ContactTimeModel, data: ContactTimeData, testFrom: Int32, testTo: Int32)
        -> (auc: Double, rpcRateTop3: Double, rpcRateAll: Double) {
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
        return (auc, top3Calls > 0 ? Double(top3RPC) / Double(top3Calls) : .nan,
                test.isEmpty ? .nan : Double(rpc) / Double(test.count))
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
              accountSegment.allSatisfy({ $0 >= 0 && Int($0) < segmentRates.count }) else {
            throw CodecError("contact-time arrays do not fit together")
        }
    }
}
