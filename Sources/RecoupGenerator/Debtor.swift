import Foundation

/// The latent traits of one debtor, shared by all of the debtor's accounts.
/// A pure function of (seed, debtor index): any thread can rebuild it.
struct DebtorProfile: Sendable {
    enum Kind: Int, Sendable { case worker, home, shift, irregular }

    let region: Int
    let zone: Int
    /// 300...850, or -1 when the bureau had no score (thin file).
    let creditScore: Int
    /// Latent ability to pay, N(0, 1); drives the credit score and part of the willingness.
    let capacity: Double
    /// Latent willingness to pay, logit scale, before portfolio and account effects.
    let z: Double
    let kind: Kind
    /// Local hour (fractional) at which the debtor is easiest to reach by phone.
    let peakHour: Double
    /// Width (sd, hours) of the reachable window around `peakHour`.
    let width: Double
    /// Bit w set (w: 0 = Monday … 6 = Sunday) when weekday w is a good day to reach the debtor.
    let goodDays: UInt8
    /// Probability that the right party answers a call placed at the peak hour on a good day.
    let reach: Double
    /// The phone number on file belongs to someone else.
    let phoneBad: Bool
    let hasMobile: Bool
    let hasEmail: Bool
    /// The portfolio this debtor's accounts most often come from.
    let favouritePortfolio: Int
    /// Invoice habit: mean days after the due date at which this customer pays.
    let lateness: Double

    init(seed: UInt64, index: Int) {
        var r = Rng(seed: seed, stream: .debtor, index: index)
        let region = r.pick(Regions.cumulativeWeights)
        let reg = Regions.all[region]
        self.region = region
        zone = reg.otherShare > 0 && r.chance(reg.otherShare) ? reg.otherZone : reg.zone

        let capacity = r.normal()
        self.capacity = capacity
        let score = Int((600 + 75 * capacity + 30 * r.normal()).rounded())
        let missing = r.chance(capacity < -0.5 ? 0.16 : 0.075)
        creditScore = missing ? -1 : min(850, max(300, score))
        let eta = r.normal()
        z = -0.1 + 0.65 * capacity + 0.8 * eta + reg.zOffset

        let fav = r.pick(Portfolios.cumulativeWeights)
        favouritePortfolio = fav
        // Medical debt skews older (more people at home in the daytime).
        let homeBoost = Portfolios.all[fav].name == "medical" ? 0.10 : 0.0
        let u = r.uniform()
        let kind: Kind = u < 0.52 - homeBoost ? .worker : u < 0.78 ? .home : u < 0.92 ? .shift : .irregular
        self.kind = kind
        var days: UInt8 = 0
        func addRandomDays(_ n: Int, from pool: [Int], _ r: inout Rng) -> UInt8 {
            var mask: UInt8 = 0
            var pool = pool
            for _ in 0..<n where !pool.isEmpty {
                let k = r.below(pool.count)
                mask |= 1 << UInt8(pool[k])
                pool.remove(at: k)
            }
            return mask
        }
        switch kind {
        case .worker:
            peakHour = min(20.5, max(16.5, r.normal(18.7, 0.8)))
            width = r.uniform(1.1, 1.9)
            days = (1 << 5) | addRandomDays(3, from: [0, 1, 2, 3, 4], &r)
        case .home:
            peakHour = min(15.5, max(9.0, r.normal(11.5, 1.5)))
            width = r.uniform(1.4, 2.4)
            days = addRandomDays(5, from: [0, 1, 2, 3, 4, 5, 6], &r)
        case .shift:
            peakHour = min(17.0, max(12.0, r.normal(14.5, 1.2)))
            width = r.uniform(1.1, 1.9)
            days = (1 << 6) | addRandomDays(3, from: [0, 1, 2, 3, 4, 5], &r)
        case .irregular:
            peakHour = r.uniform(8.5, 20.5)
            width = r.uniform(2.5, 3.5)
            days = addRandomDays(4, from: [0, 1, 2, 3, 4, 5, 6], &r)
        }
        goodDays = days
        reach = min(0.85, max(0.12, 0.5 + 0.1 * eta + 0.14 * r.normal()))
        phoneBad = r.chance(0.07)
        hasMobile = r.chance(0.8)
        hasEmail = r.chance(0.65)
        let v = r.uniform()
        var late: Double
        if v < 0.60 { late = r.normal(-2, 3) } else if v < 0.87 { late = r.uniform(3, 15) } else if v < 0.97 { late = r.uniform(15, 45) } else { late = r.uniform(45, 100) }
        late -= 4 * (z + 0.1)
        lateness = max(-15, late)
    }

    /// P(the right party answers) for a call at local fractional hour `hour` on weekday `weekday`,
    /// before the account's age and phone quality are taken into account.
    @inline(__always)
    func answerProbability(hour: Double, weekday: Int) -> Double {
        let d = (hour - peakHour) / width
        let timeFactor = 0.07 + 0.93 * exp(-0.5 * d * d)
        let dayFactor = goodDays & (1 << UInt8(weekday)) != 0 ? 1.0 : 0.45
        return reach * timeFactor * dayFactor
    }
}

/// A collector: how well they turn conversations into promises and how often they break rules.
struct AgentProfile: Sendable {
    let skill: Double
    let ruleBreaker: Double

    init(seed: UInt64, index: Int) {
        var r = Rng(seed: seed, stream: .agent, index: index)
        skill = r.uniform(0.7, 1.3)
        ruleBreaker = r.chance(0.2) ? r.uniform(3, 6) : r.uniform(0.5, 1.2)
    }
}

/// Which accounts share a debtor. About 10.5% of accounts are a debtor's further account: they
/// attach to a recent "primary" account (one of the previous ~40), so about a fifth of all accounts
/// belong to a debtor with more than one. A pure function of (seed, account index).
enum DebtorLinks {
    static let secondaryShare = 0.105

    @inline(__always)
    static func isPrimary(seed: UInt64, account i: Int) -> Bool {
        if i == 0 { return true }
        let h = SplitMix64.hash(seed, Stream.debtorLink.rawValue, UInt64(i))
        return Double(h >> 11) * 0x1p-53 >= secondaryShare
    }

    /// The debtor index of account i: the index of the primary account it belongs to.
    static func debtor(seed: UInt64, account i: Int) -> Int {
        if isPrimary(seed: seed, account: i) { return i }
        let h = SplitMix64.hash(seed, Stream.debtorLink.rawValue &+ 100, UInt64(i))
        var j = max(0, i - 1 - Int(h % 40))
        while j > 0 && !isPrimary(seed: seed, account: j) { j -= 1 }
        return j
    }
}
