import Foundation
import RecoupEngine
import RecoupStore

/// Fits the best-contact-time model (MODELS.md) on a store's outbound calls.
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
            out.append(
                Call(account: data.contactAccount[r], slot: UInt8(s), rpc: data.isRPC[r], date: data.localDate[r]))
        }
        return out
    }

    static func train(
        data: ContactTimeData, asOf a: Int32, base: ContactTimeModel.Parameters = .init()
    ) -> ContactTimeModel {
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
                    let q = min(
                        max(
                            m.probability(account: c.account, weekday: Int(c.slot) / 13, hour: 8 + Int(c.slot) % 13),
                            1e-9), 1 - 1e-9)
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

    static func fit(
        _ data: ContactTimeData, _ calls: [Call], asOf a: Int32, _ params: ContactTimeModel.Parameters
    ) -> ContactTimeModel {
        let S = ContactTimeModel.slotCount
        let P = data.portfolioNames.count + 1, R = data.regionNames.count + 1
        func pIndex(_ acct: Int) -> Int {
            let c = data.portfolio[acct]; return c >= 0 && Int(c) < P - 1 ? Int(c) : P - 1
        }
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
            rates.append(
                shrink(portN[(p * S)..<((p + 1) * S)], portY[(p * S)..<((p + 1) * S)], to: book, params.kSegment))
        }
        var cellSegment = [Int32](repeating: -1, count: P * R)
        for cell in 0..<(P * R) where cellCalls[cell] >= params.minCellCalls {
            let p = cell / R, r = cell % R
            cellSegment[cell] = Int32(rates.count)
            names.append(names[p] + "/" + (r < R - 1 ? data.regionNames[r] : ""))
            rates.append(
                shrink(
                    cellN[(cell * S)..<((cell + 1) * S)], cellY[(cell * S)..<((cell + 1) * S)], to: rates[p],
                    params.kSegment))
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
        return ContactTimeModel(
            asOf: a, parameters: params, trainingCalls: calls.count, trainingRPC: rpc,
            validationLogLikelihood: nil, bookRate: book, segmentNames: names, segmentRates: rates,
            accountSegment: segment, accountKeys: keys, hourRatio: hourRatio, weekdayRatio: weekdayRatio,
            slotStart: slotStart, slot: slotIdx, slotCalls: slotCalls, slotRPC: slotRPC)
    }
}
