import Foundation
import RecoupStore

/// Plays out one account's story, day by day from placement to the end of the book, and formats
/// its rows. Everything an account does depends only on (seed, account index) and the book's
/// size and end date, so any thread can simulate any account.
///
/// One simulator per worker thread; its event arrays are scratch space reused across accounts.
struct AccountSimulator {
    let ctx: BookContext

    // Scratch: this account's events.
    var contacts: [ContactEvent] = []
    var payments: [PaymentEvent] = []
    var promises: [PromiseEvent] = []
    var scheduled: [Scheduled] = []

    // The account.
    var rng: Rng
    var debtorIndex = 0
    var debtor: DebtorProfile
    var table: TimeZoneTable
    var pi = 0
    var p: Portfolio
    var opened: Int32 = 0
    var due: Int32 = 0
    var placed: Int32 = 0
    var principal: Int64 = 0
    var agent: Int32 = -1
    var method: UInt8 = 0

    // Its state while the story runs.
    var today: Int32 = 0
    var bal: Int64 = 0
    var status = Status.open
    var statusDate = Int32.min
    var closedByPayment = false
    /// Account-level willingness (logit), before decay and boost.
    var zAcc = 0.0
    /// Recent lift of willingness from conversations and payments (logit units), decaying daily.
    var boost = 0.0
    var hazard = 0.0
    var hazardDay = AccountSimulator.stale
    var nextContact = Int32.max
    /// Outbound calls before this local date would follow a conversation within 7 days.
    var noCallUntil = Int32.min
    var inboundDay = Int32.max
    /// A promise is pending until this day (no unprompted payments, no collection contacts).
    var promiseUntil = Int32.min
    var planActive = false
    var planCents: Int64 = 0
    var planBiweekly = false
    var conversations = 0
    var firstLetterPending = false
    var reminderPending = false
    var resolveDay = Int32.max
    var bankruptDay = Int32.max
    var ceaseDay = Int32.max
    var burstDay = Int32.max
    var nextScheduled = Int32.max
    var balanceGapFactor = 1.0

    static let maxEvents = BookContext.maxEventsPerAccount
    /// Placements grow at this continuous rate over the two-year window (e^0.35 ≈ +42%).
    static let growth = 0.35
    static let growthSpan = exp(growth) - 1.0
    /// `hazardDay` value that forces the hazard to be recomputed.
    static let stale: Int32 = -1_000_000
    /// Local hours 8...20 at which the dialer places calls.
    static let dialHours = cumulative([4, 7, 8, 8, 7, 6, 7, 7, 7, 8, 8, 7, 5])
    /// Local hours of calls that break the calling-hours rule.
    static let badHours: [Int] = [6, 7, 7, 7, 7, 21, 21, 21, 21, 22]
    /// Reversal probability of a payment, by method (card, ach, check, cash, other).
    static let reversalRate: [Double] = [0.035, 0.045, 0.06, 0.0, 0.02]

    init(context: BookContext) {
        ctx = context
        rng = Rng(seed: context.seed, stream: .account, index: 0)
        debtor = DebtorProfile(seed: context.seed, index: 0)
        table = context.zoneTables[0]
        p = Portfolios.all[0]
        contacts.reserveCapacity(128)
        payments.reserveCapacity(128)
        promises.reserveCapacity(128)
        scheduled.reserveCapacity(32)
    }

    // MARK: - Setting up an account

    mutating func simulate(_ index: Int) {
        contacts.removeAll(keepingCapacity: true)
        payments.removeAll(keepingCapacity: true)
        promises.removeAll(keepingCapacity: true)
        scheduled.removeAll(keepingCapacity: true)
        nextScheduled = .max

        rng = Rng(seed: ctx.seed, stream: .account, index: index)
        debtorIndex = DebtorLinks.debtor(seed: ctx.seed, account: index)
        debtor = DebtorProfile(seed: ctx.seed, index: debtorIndex)
        table = ctx.zoneTables[debtor.zone]
        pi = rng.chance(0.5) ? debtor.favouritePortfolio : rng.pick(Portfolios.cumulativeWeights)
        p = Portfolios.all[pi]

        // Placement: spread over the 730 days before the end, growing ~40% over two years.
        let u = rng.uniform()
        var offset = Int32(730.0 - 730.0 / Self.growth * log(1.0 + u * Self.growthSpan))
        offset = min(729, max(0, offset))
        placed = ctx.end - offset
        let wd = CivilDate.weekday(placed)
        if wd >= 5 { placed -= Int32(wd - 4) }  // business days only
        if p.firstParty {
            opened = placed
            due = opened + p.term
        } else {
            due = placed - rng.day(p.lagMin, p.lagMax)
            opened = due - p.term
        }
        let dollars = min(p.maxDollars, max(p.minDollars, p.medianDollars * exp(p.sigma * rng.normal())))
        principal = Int64((dollars * 100).rounded())
        if !p.firstParty && principal >= 100_000 && rng.chance(0.5) {
            principal = principal / 100 * 100  // many charged-off balances are whole dollars
        }
        agent = rng.chance(p.assignedRate) ? Int32(rng.below(ctx.agents.count)) : -1
        method = UInt8(rng.pick(Portfolios.methodTables[pi]))
        zAcc = debtor.z + p.zOffset - 0.25 * log(dollars / p.medianDollars) + rng.normal(0, 0.45)
        balanceGapFactor = dollars >= 2000 ? 0.8 : dollars < 150 ? 1.5 : 1.0

        today = placed
        bal = principal
        status = Status.open
        statusDate = .min
        closedByPayment = false
        boost = 0
        hazard = 0
        hazardDay = Self.stale
        noCallUntil = .min
        inboundDay = .max
        promiseUntil = .min
        planActive = false
        planCents = 0
        conversations = 0
        firstLetterPending = false
        reminderPending = false
        resolveDay = .max
        bankruptDay = .max
        ceaseDay = .max
        burstDay = .max

        if p.firstParty {
            setUpInvoice()
        } else {
            setUpAgency()
        }
        run()
        sortContacts()
    }

    mutating func setUpAgency() {
        // A few payments to the original creditor before placement (history; principal is net of them).
        if rng.chance(0.03) && placed - due >= 10 {
            let n = rng.chance(0.7) ? 1 : 2
            var day = rng.day(due + 1, placed - 1)
            for _ in 0..<n where day < placed {
                let cents = max(500, Int64(Double(principal) * rng.uniform(0.03, 0.2)) / 500 * 500)
                payments.append(PaymentEvent(day: day, method: method, cents: cents))
                day += rng.day(15, 45)
            }
        }
        firstLetterPending = true
        nextContact = placed + rng.day(1, 4)
        let bankruptP = p.bankruptRate * (debtor.capacity < -1 ? 2.0 : 1.0)
        if rng.chance(bankruptP) { bankruptDay = placed + rng.day(20, 700) }
        if rng.chance(0.012) { ceaseDay = placed + rng.day(10, 600) }
        let breaker = agent >= 0 ? ctx.agents[Int(agent)].ruleBreaker : 1.0
        if rng.chance(0.006 * breaker) { burstDay = placed + rng.day(5, 150) }
    }

    mutating func setUpInvoice() {
        let neverPays = rng.chance(debtor.z < -1 ? 0.06 : 0.02)
        if !neverPays {
            var payDay = due + Int32((debtor.lateness + rng.normal(0, 3.5)).rounded())
            payDay = max(opened, payDay)
            let v = rng.uniform()
            if v < 0.10 {
                let half = bal / 2
                schedule(Scheduled(day: payDay, kind: .invoicePay, settles: .partial, method: method, cents: half))
                schedule(
                    Scheduled(
                        day: payDay + rng.day(15, 45), kind: .invoicePay, settles: .invoiceFull, method: method,
                        cents: bal - half))
            } else if v < 0.13 {
                let short = max(1, Int64(Double(bal) * rng.uniform(0.85, 0.98)))
                schedule(Scheduled(day: payDay, kind: .invoicePay, settles: .partial, method: method, cents: short))
            } else {
                schedule(Scheduled(day: payDay, kind: .invoicePay, settles: .invoiceFull, method: method, cents: bal))
            }
        }
        if rng.chance(0.5) && (debtor.hasEmail || debtor.hasMobile) {
            reminderPending = true
            nextContact = due - 5
        } else {
            nextContact = due + rng.day(2, 4)
        }
        if rng.chance(p.bankruptRate) { bankruptDay = placed + rng.day(20, 700) }
    }

    // MARK: - The daily loop

    mutating func run() {
        let end = ctx.end
        var d = placed
        while d <= end {
            today = d
            if d == bankruptDay && status != Status.closed { goBankrupt(d) }
            if d == ceaseDay && (status == Status.open || status == Status.disputed) { ceaseContact(d) }
            if d == resolveDay && status == Status.disputed {
                status = Status.open
                statusDate = d
                nextContact = d + rng.day(2, 7)
                hazardDay = Self.stale
            }
            if d == burstDay && status == Status.open && !planActive { burst(d) }
            if nextScheduled <= d { runScheduled(d) }

            if status != Status.closed && status != Status.bankrupt && !planActive && d > promiseUntil {
                if d - hazardDay >= 7 { refreshHazard(d) }
                if hazard > 0 && rng.uniform() < hazard { unpromptedPayment(d, byPhone: false) }
            }
            if d == inboundDay {
                inbound(d)
            } else if d == nextContact {
                if status == Status.open && !planActive && bal > 0 {
                    outbound(d)
                } else {
                    nextContact = .max
                }
            }
            if boost != 0 {
                boost *= 0.95
                if abs(boost) < 0.01 { boost = 0 }
            }
            if (status == Status.closed || status == Status.bankrupt) && scheduled.isEmpty && inboundDay == .max {
                break
            }
            d += 1
        }
    }

    @inline(__always)
    func zNow(_ d: Int32) -> Double {
        zAcc - p.decayPerYear * Double(d - placed) / 365.0 + boost
    }

    mutating func refreshHazard(_ d: Int32) {
        hazardDay = d
        if p.firstParty && (d < due + 20 || hasScheduled(.invoicePay)) {
            hazard = 0
            return
        }
        var z = zNow(d)
        if status == Status.disputed { z -= 1.2 } else if status == Status.cease { z -= 0.6 }
        hazard = p.hazard * 2.0 * sigmoid(z)
    }
}
