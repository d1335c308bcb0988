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
                schedule(Scheduled(day: payDay + rng.day(15, 45), kind: .invoicePay, settles: .invoiceFull, method: method, cents: bal - half))
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
            if (status == Status.closed || status == Status.bankrupt) && scheduled.isEmpty && inboundDay == .max { break }
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

    // MARK: - Money

    mutating func schedule(_ s: Scheduled) {
        if s.day == today && s.day >= placed && s.kind != .reversal && s.kind != .refund {
            execute(s, today)
            return
        }
        scheduled.append(s)
        if s.day < nextScheduled { nextScheduled = s.day }
    }

    func hasScheduled(_ kind: Scheduled.Kind) -> Bool {
        for s in scheduled where s.kind == kind { return true }
        return false
    }

    mutating func cancelScheduled(_ keep: (Scheduled) -> Bool) {
        var i = 0
        while i < scheduled.count {
            if keep(scheduled[i]) { i += 1 } else { scheduled.remove(at: i) }
        }
        nextScheduled = .max
        for s in scheduled where s.day < nextScheduled { nextScheduled = s.day }
    }

    mutating func runScheduled(_ d: Int32) {
        // Execute due entries in the order they were scheduled; executing may schedule or cancel more.
        while true {
            var idx = -1
            for i in scheduled.indices where scheduled[i].day <= d {
                idx = i
                break
            }
            if idx < 0 { break }
            let s = scheduled.remove(at: idx)
            execute(s, d)
        }
        nextScheduled = .max
        for s in scheduled where s.day < nextScheduled { nextScheduled = s.day }
    }

    mutating func execute(_ s: Scheduled, _ d: Int32) {
        switch s.kind {
        case .reversal, .refund:
            guard payments.count < Self.maxEvents else { return }
            payments.append(PaymentEvent(day: d, method: s.method, cents: s.cents))
            bal -= s.cents  // s.cents < 0
            if s.kind == .reversal {
                if status == Status.closed && closedByPayment && bal > 0 {
                    status = Status.open
                    statusDate = d
                    closedByPayment = false
                    nextContact = d + rng.day(3, 10)
                }
                if planActive && rng.chance(0.5) {
                    planActive = false
                    cancelScheduled { $0.kind != .instalment }
                    nextContact = d + rng.day(5, 12)
                }
            }
        case .instalment:
            guard planActive else { return }
            let w = sigmoid(zNow(d))
            if rng.chance(0.92 + 0.07 * w) {
                let amount = min(planCents, bal)
                pay(d, amount, s.method, amount >= bal ? .full : .partial)
                if planActive && bal > 0 && status != Status.closed {
                    schedule(Scheduled(day: d + nextInstalmentGap(), kind: .instalment, settles: .partial, method: s.method, cents: planCents))
                } else {
                    planActive = false
                }
            } else {
                planActive = false
                nextContact = d + rng.day(5, 15)
            }
        case .promisePay, .invoicePay:
            pay(d, s.cents, s.method, s.settles)
        }
    }

    mutating func pay(_ d: Int32, _ requested: Int64, _ m: UInt8, _ settles: Scheduled.Settles) {
        guard status != Status.closed && status != Status.bankrupt && bal > 0 && payments.count < Self.maxEvents - 3 else { return }
        var amount = min(requested, bal)
        guard amount > 0 else { return }
        var over: Int64 = 0
        if amount >= bal && rng.chance(0.015) {
            // Overpayment: a rounded-up or duplicated amount.
            over = rng.chance(0.25) ? amount : Int64(rng.int(1, 20)) * 500
            amount += over
        }
        payments.append(PaymentEvent(day: d, method: m, cents: amount))
        bal -= amount
        boost = min(boost + 0.5, 3.0)
        hazardDay = Self.stale
        if bal <= 0 || settles == .settlement {
            close(d, byPayment: bal <= 0)
            if over > 0 && rng.chance(0.3) {
                schedule(Scheduled(day: d + rng.day(10, 40), kind: .refund, settles: .partial, method: m, cents: -over))
            }
            return
        }
        if rng.chance(Self.reversalRate[Int(m)]) {
            schedule(Scheduled(day: d + rng.day(2, 10), kind: .reversal, settles: .partial, method: m, cents: -amount))
        }
        if settles == .planStart && !planActive {
            planActive = true
            planCents = amount
            planBiweekly = rng.chance(0.3)
            if planBiweekly && amount >= 5000 {
                planCents = max(2500, amount / 2 / 500 * 500)
            }
            schedule(Scheduled(day: d + nextInstalmentGap(), kind: .instalment, settles: .partial, method: m, cents: planCents))
        }
    }

    /// Days to the next instalment: every two weeks (paydays) or monthly.
    mutating func nextInstalmentGap() -> Int32 {
        planBiweekly ? 14 : rng.day(28, 32)
    }

    mutating func close(_ d: Int32, byPayment: Bool) {
        status = Status.closed
        statusDate = d
        closedByPayment = byPayment
        nextContact = .max
        planActive = false
        cancelScheduled { $0.kind == .reversal || $0.kind == .refund }
    }

    mutating func paymentMethod() -> UInt8 {
        rng.chance(0.8) ? method : UInt8(rng.pick(Portfolios.methodTables[pi]))
    }

    /// A payment nobody asked for today: in full (likely for small balances), a one-off partial
    /// amount, or the first of self-directed monthly payments.
    mutating func unpromptedPayment(_ d: Int32, byPhone: Bool) {
        guard bal > 0 else { return }
        let full = (bal <= 15_000 && rng.chance(0.5)) || rng.chance(0.04)
        var amount = bal
        var settles = Scheduled.Settles.full
        if !full {
            if rng.chance(0.75) {
                let k = Double(rng.int(8, 30))
                amount = max(2500, Int64(Double(bal) / k) / 500 * 500)
                settles = .planStart
            } else {
                amount = max(1000, Int64(Double(bal) * rng.uniform(0.08, 0.45)) / 500 * 500)
                settles = .partial
            }
            amount = min(bal, amount)
        }
        let m = paymentMethod()
        if !byPhone && status == Status.open && nextContact != d && d != inboundDay && rng.chance(0.18) {
            // Pay-by-phone: the debtor calls in.
            let sec = inboundSecond()
            if let (utc, style) = instant(d, sec) {
                let a = inboundAgent()
                addContact(utc, style, Channel.call, true, Outcome.rightParty, a, duration(Outcome.rightParty))
                noCallUntil = max(noCallUntil, d + 7)
                conversations += 1
            }
        }
        pay(d, amount, m, settles)
        if planActive { nextContact = .max }
    }

    // MARK: - Status changes

    mutating func goBankrupt(_ d: Int32) {
        status = Status.bankrupt
        statusDate = d
        nextContact = .max
        planActive = false
        inboundDay = .max
        cancelScheduled { $0.kind == .reversal || $0.kind == .refund }
        if rng.chance(0.08) { rogueContacts(after: d) }
    }

    mutating func ceaseContact(_ d: Int32) {
        status = Status.cease
        statusDate = d
        nextContact = .max
        hazardDay = Self.stale
        if rng.chance(0.12) { rogueContacts(after: d) }
    }

    mutating func openDispute(_ d: Int32) {
        guard !p.firstParty || rng.chance(0.5) else { return }
        if rng.chance(0.55) {
            status = Status.disputed
            statusDate = d
            nextContact = .max
            hazardDay = Self.stale
            // Validation letter.
            sendMessage(d + rng.day(5, 15), Channel.letter, collection: false)
            if rng.chance(0.45) { resolveDay = d + rng.day(30, 75) }
        }
    }

    /// Contacts that should not have happened: outbound after a cease-contact request or a bankruptcy.
    mutating func rogueContacts(after d: Int32) {
        let n = rng.chance(0.7) ? 1 : 2
        for _ in 0..<n {
            let day = d + rng.day(0, 45)
            let u = rng.uniform()
            if u < 0.6 {
                let a = callAgent()
                let sec = (8 + rng.pick(Self.dialHours)) * 3600 + rng.below(3600)
                guard let (utc, style) = instant(day, sec) else { continue }
                let o: UInt8 = rng.chance(0.1) ? Outcome.rightParty : rng.chance(0.5) ? Outcome.voicemail : Outcome.noAnswer
                addContact(utc, style, Channel.call, false, o, a, duration(o))
            } else {
                sendMessage(day, u < 0.85 ? Channel.letter : Channel.sms, collection: false)
            }
        }
    }

    // MARK: - Contacts

    /// The UTC instant of local wall time `second` on local date `day`, and how it will be written;
    /// nil when it falls after the end of the book (in local date or in UTC).
    mutating func instant(_ day: Int32, _ second: Int) -> (Int64, UInt8)? {
        guard day <= ctx.end, contacts.count < Self.maxEvents else { return nil }
        let u = rng.uniform()
        let style = u < 0.78 ? TimestampStyle.utc : u < 0.98 ? TimestampStyle.local : TimestampStyle.utcMinutes
        let sec = style == TimestampStyle.utcMinutes ? second - second % 60 : second
        let utc = table.utc(localSeconds: Int64(day) * 86400 + Int64(sec))
        guard utc < Int64(ctx.end + 1) * 86400 else { return nil }
        return (utc, style)
    }

    @inline(__always)
    mutating func addContact(_ utc: Int64, _ style: UInt8, _ channel: UInt8, _ inbound: Bool, _ outcome: UInt8, _ agent: Int32, _ duration: Int32) {
        contacts.append(ContactEvent(utc: utc, channel: channel, inbound: inbound, outcome: outcome, style: style, agent: agent, duration: duration))
    }

    mutating func callAgent() -> Int32 {
        agent >= 0 && rng.chance(0.75) ? agent : Int32(rng.below(ctx.agents.count))
    }

    mutating func inboundAgent() -> Int32 {
        agent >= 0 && rng.chance(0.6) ? agent : Int32(rng.below(ctx.agents.count))
    }

    /// When the debtor calls in: around their own preferred hour.
    mutating func inboundSecond() -> Int {
        let h = min(21.4, max(8.0, rng.normal(debtor.peakHour, debtor.width * 0.8)))
        return Int(h * 3600) + rng.below(60)
    }

    mutating func duration(_ o: UInt8) -> Int32 {
        switch o {
        case Outcome.rightParty: Int32(min(1800, 45 + rng.exponential(150)))
        case Outcome.promise: Int32(min(2400, 180 + rng.exponential(240)))
        case Outcome.refused: Int32(min(600, 15 + rng.exponential(45)))
        case Outcome.dispute: Int32(min(2400, 120 + rng.exponential(240)))
        case Outcome.wrongParty: Int32(min(300, 8 + rng.exponential(25)))
        case Outcome.voicemail: Int32(15 + rng.below(40))
        default: -1
        }
    }

    mutating func nextGap(_ d: Int32) -> Int32 {
        var g: Double
        if p.firstParty {
            let a = d - due
            g = Double(a < 30 ? rng.int(6, 10) : a < 90 ? rng.int(10, 20) : rng.int(25, 50))
        } else {
            let age = d - placed
            g = Double(age < 30 ? rng.int(4, 10) : age < 120 ? rng.int(14, 30) : age < 365 ? rng.int(35, 75) : rng.int(70, 150))
            g *= p.gapFactor * balanceGapFactor
        }
        return max(1, Int32(g.rounded()))
    }

    mutating func chooseChannel(_ d: Int32) -> UInt8 {
        let u = rng.uniform()
        var c: UInt8
        if p.firstParty {
            let a = d - due
            if a < 30 {
                c = u < 0.4 ? Channel.email : u < 0.8 ? Channel.call : Channel.sms
            } else if a < 90 {
                c = u < 0.55 ? Channel.call : u < 0.7 ? Channel.letter : u < 0.9 ? Channel.email : Channel.sms
            } else {
                c = u < 0.5 ? Channel.call : u < 0.8 ? Channel.letter : Channel.email
            }
        } else {
            c = u < 0.68 ? Channel.call : u < 0.83 ? Channel.sms : u < 0.94 ? Channel.email : Channel.letter
        }
        if c == Channel.sms && !debtor.hasMobile { c = Channel.call }
        if c == Channel.email && !debtor.hasEmail { c = Channel.letter }
        return c
    }

    /// One scheduled outbound collection contact.
    mutating func outbound(_ d: Int32) {
        nextContact = d + nextGap(d)
        if firstLetterPending {
            firstLetterPending = false
            sendMessage(d, Channel.letter, collection: true)
            return
        }
        if reminderPending {
            reminderPending = false
            sendMessage(d, debtor.hasEmail ? Channel.email : Channel.sms, collection: true)
            nextContact = due + rng.day(2, 4)
            return
        }
        var c = chooseChannel(d)
        if c == Channel.call {
            let wd = CivilDate.weekday(d)
            if wd == 6 && !rng.chance(0.08) { nextContact = d + 1; return }
            if wd == 5 && rng.chance(0.4) { nextContact = d + 2; return }
            let a = callAgent()
            if d < noCallUntil {
                if rng.chance(0.025 * ctx.agents[Int(a)].ruleBreaker) {
                    placeCall(d, agent: a)  // a call within 7 days of a conversation
                    return
                }
                if debtor.hasMobile && rng.chance(0.5) {
                    c = Channel.sms
                } else {
                    nextContact = noCallUntil + rng.day(0, 2)
                    return
                }
            } else {
                placeCall(d, agent: a)
                return
            }
        }
        sendMessage(d, c, collection: true)
    }

    /// An outbound call: when it is placed, who answers, and what comes of it.
    mutating func placeCall(_ d: Int32, agent a: Int32) {
        var hour = 8 + rng.pick(Self.dialHours)
        if rng.chance(0.004 * ctx.agents[Int(a)].ruleBreaker) {
            hour = Self.badHours[rng.below(Self.badHours.count)]
        }
        let minute = rng.below(60)
        let sec = hour * 3600 + minute * 60 + rng.below(60)
        guard let (utc, style) = instant(d, sec) else { return }
        let outcome = callOutcome(d, hour: Double(hour) + Double(minute) / 60.0, agent: a, conversationAllowed: true)
        addContact(utc, style, Channel.call, false, outcome, a, duration(outcome))
        if !isRPC(outcome) { maybeCallback(d) }
    }

    mutating func callOutcome(_ d: Int32, hour: Double, agent a: Int32, conversationAllowed: Bool) -> UInt8 {
        let u = rng.uniform()
        if debtor.phoneBad {
            return u < 0.45 ? Outcome.wrongParty : u < 0.75 ? Outcome.noAnswer : u < 0.9 ? Outcome.voicemail : Outcome.busy
        }
        let age = Double(d - placed)
        let stale = 0.55 + 0.45 * exp(-age / 300.0)
        let pr = debtor.answerProbability(hour: hour, weekday: CivilDate.weekday(d)) * stale
        if u < pr {
            noCallUntil = max(noCallUntil, d + 7)
            if conversationAllowed { return conversation(d, agent: a) }
            conversations += 1
            return rng.chance(0.7) ? Outcome.rightParty : Outcome.refused
        }
        let v = rng.uniform()
        return v < 0.04 ? Outcome.wrongParty : v < 0.14 ? Outcome.busy : v < 0.52 ? Outcome.voicemail : Outcome.noAnswer
    }

    /// A right-party conversation (outbound or inbound call): dispute, promise, refusal or just talk.
    mutating func conversation(_ d: Int32, agent a: Int32) -> UInt8 {
        conversations += 1
        let z = zNow(d)
        let w = sigmoid(z)
        boost = min(boost + 1.0, 3.0)
        hazardDay = Self.stale
        let disputeP = p.disputeRate * (conversations == 1 ? 1.6 : 0.5)
        if status == Status.open && rng.chance(disputeP) {
            openDispute(d)
            return Outcome.dispute
        }
        let skill = ctx.agents[Int(a)].skill
        if status == Status.open && d > promiseUntil && !planActive && bal > 0 && promises.count < Self.maxEvents
            && rng.chance(min(0.95, skill * (0.26 + 0.6 * w))) {
            makePromise(d, z: z, skill: skill)
            return Outcome.promise
        }
        if rng.chance(0.35 * (1 - w)) {
            if !p.firstParty && rng.chance(0.1) && d < ctx.end && status == Status.open {
                ceaseDay = min(ceaseDay, d + 1)  // "stop calling me", processed the next day
            }
            return Outcome.refused
        }
        if p.firstParty { pullInvoicePaymentForward(d) }
        return Outcome.rightParty
    }

    /// A dunning conversation makes a late customer pay sooner.
    mutating func pullInvoicePaymentForward(_ d: Int32) {
        guard rng.chance(0.4) else { return }
        let target = d + rng.day(2, 14)
        for i in scheduled.indices where scheduled[i].kind == .invoicePay && scheduled[i].day > target {
            scheduled[i].day = target
        }
        nextScheduled = .max
        for s in scheduled where s.day < nextScheduled { nextScheduled = s.day }
    }

    mutating func makePromise(_ d: Int32, z: Double, skill: Double) {
        var settles: Scheduled.Settles
        var amount: Int64
        if p.firstParty {
            settles = rng.chance(0.85) || bal < 20_000 ? .full : .planStart
        } else if bal <= 15_000 || rng.chance(0.10) {
            settles = .full
        } else {
            let u = rng.uniform()
            settles = u < p.settleShare ? .settlement : u < p.settleShare + p.planShare ? .planStart : .partial
        }
        switch settles {
        case .settlement:
            let age = Double(d - placed) / 365.0
            let share = min(0.9, max(0.35, 0.8 - 0.2 * age + rng.normal(0, 0.07)))
            amount = max(100, Int64(Double(bal) * share) / 100 * 100)
        case .planStart:
            let k = p.firstParty ? Int64(rng.int(2, 4)) : min(36, max(3, bal / 7_500))
            amount = (bal + k - 1) / k
            amount = (amount + 99) / 100 * 100
        case .partial:
            amount = max(1000, Int64(Double(bal) * rng.uniform(0.1, 0.4)) / 500 * 500)
        default:
            amount = bal
        }
        amount = min(amount, bal)
        let u = rng.uniform()
        var gap: Int32
        if u < 0.3 {
            gap = 7
        } else if u < 0.5 {
            gap = 14
        } else if u < 0.65 {
            gap = Int32((4 - CivilDate.weekday(d) + 7) % 7)  // next Friday
            if gap < 3 { gap += 7 }
        } else {
            gap = rng.day(3, 30)
        }
        let promiseDue = min(d + gap, ctx.end)
        promises.append(PromiseEvent(created: d, due: promiseDue, cents: amount))

        var keepZ = 1.3 * z + 0.35 + 0.8 * (skill - 1.0)
        if p.firstParty { keepZ += 0.8 }
        if settles == .planStart { keepZ -= 0.2 } else if settles == .settlement { keepZ += 0.2 }
        let m = paymentMethod()
        if rng.chance(sigmoid(keepZ)) {
            var payDay: Int32
            if rng.chance(0.2) {
                payDay = d
            } else if rng.chance(0.12) {
                payDay = promiseDue + rng.day(1, 3)
            } else {
                payDay = max(d + 1, promiseDue - Int32(rng.exponential(2.5)))
                payDay = min(payDay, promiseDue)
            }
            if p.firstParty { cancelScheduled { $0.kind != .invoicePay } }
            if (settles == .full || settles == .partial) && amount >= 2000 && payDay > d + 1 && rng.chance(0.06) {
                let first = amount / 2
                schedule(Scheduled(day: rng.day(d, payDay - 1), kind: .promisePay, settles: .partial, method: m, cents: first))
                schedule(Scheduled(day: payDay, kind: .promisePay, settles: settles, method: m, cents: amount - first))
            } else {
                schedule(Scheduled(day: payDay, kind: .promisePay, settles: settles, method: m, cents: amount))
            }
        } else {
            if rng.chance(0.25) {
                let part = max(100, Int64(Double(amount) * rng.uniform(0.3, 0.8)))
                schedule(Scheduled(day: rng.day(d + 1, promiseDue + 5), kind: .promisePay, settles: .partial, method: m, cents: part))
            }
            boost -= 0.8
        }
        promiseUntil = promiseDue + 3
        nextContact = promiseDue + rng.day(3, 7)
        if debtor.hasMobile && promiseDue - 1 > d && rng.chance(0.45) {
            // Reminder the day before the promise falls due.
            let sec = 10 * 3600 + rng.below(7200)
            if let (utc, style) = instant(promiseDue - 1, sec) {
                addContact(utc, style, Channel.sms, false, rng.chance(0.95) ? Outcome.delivered : Outcome.bounced, -1, -1)
            }
        }
    }

    /// An SMS, e-mail or letter. Collection messages may prompt a reply or a call back.
    mutating func sendMessage(_ d: Int32, _ c: UInt8, collection: Bool) {
        let sec: Int
        switch c {
        case Channel.sms: sec = (9 + rng.below(11)) * 3600 + rng.below(3600)
        case Channel.email: sec = (6 + rng.pick(Self.emailHours)) * 3600 + rng.below(3600)
        default: sec = (10 + rng.below(7)) * 3600 + rng.below(3600)
        }
        guard let (utc, style) = instant(d, sec) else { return }
        let w = sigmoid(zNow(d))
        let u = rng.uniform()
        var o: UInt8
        switch c {
        case Channel.sms:
            let bounce = debtor.phoneBad ? 0.5 : 0.07
            o = u < bounce ? Outcome.bounced : u < bounce + 0.05 * (0.4 + 1.2 * w) ? Outcome.replied : Outcome.delivered
        case Channel.email:
            o = u < 0.08 ? Outcome.bounced : u < 0.08 + 0.03 * (0.4 + 1.2 * w) ? Outcome.replied
                : u < 0.45 + 0.2 * w ? Outcome.opened : Outcome.delivered
        default:
            o = u < 0.06 ? Outcome.bounced : Outcome.delivered
        }
        let a: Int32 = rng.chance(0.1) ? callAgent() : -1
        addContact(utc, style, c, false, o, a, -1)
        guard collection else { return }
        if o == Outcome.replied {
            boost = min(boost + 0.5, 3.0)
            hazardDay = Self.stale
            if p.firstParty { pullInvoicePaymentForward(d) }
        } else if o != Outcome.bounced {
            maybeCallback(d)
        }
    }

    /// After a message or an unanswered call, a willing debtor sometimes gets in touch.
    mutating func maybeCallback(_ d: Int32) {
        guard inboundDay == .max, status == Status.open else { return }
        let w = sigmoid(zNow(d))
        if rng.chance(0.05 * (0.4 + 1.2 * w)) { inboundDay = d + rng.day(1, 3) }
    }

    mutating func inbound(_ d: Int32) {
        inboundDay = .max
        guard status == Status.open || status == Status.disputed else { return }
        if nextContact == d { nextContact = d + 1 }
        let u = rng.uniform()
        if u < 0.75 || (!debtor.hasEmail && !debtor.hasMobile) {
            let sec = inboundSecond()
            guard let (utc, style) = instant(d, sec) else { return }
            let a = inboundAgent()
            noCallUntil = max(noCallUntil, d + 7)
            let o = status == Status.open ? conversation(d, agent: a) : Outcome.rightParty
            addContact(utc, style, Channel.call, true, o, a, duration(o))
            if o == Outcome.rightParty && status == Status.open && bal > 0 && rng.chance(0.35) {
                unpromptedPayment(d, byPhone: true)
            }
        } else {
            let c = (u < 0.9 && debtor.hasEmail) || !debtor.hasMobile ? Channel.email : Channel.sms
            let sec = inboundSecond()
            guard let (utc, style) = instant(d, sec) else { return }
            addContact(utc, style, c, true, Outcome.replied, -1, -1)
            boost = min(boost + 0.5, 3.0)
            hazardDay = Self.stale
        }
    }

    /// A burst of calls breaking the seven-calls-in-seven-days rule.
    mutating func burst(_ d: Int32) {
        let n = rng.int(8, 10)
        let a = agent >= 0 ? agent : Int32(rng.below(ctx.agents.count))
        var lastDay = d
        for k in 0..<n {
            let day = d + Int32(k * 6 / n)
            lastDay = day
            let first = k == 0 || Int32((k - 1) * 6 / n) != day - d
            let hour = first ? 9 + rng.below(4) : 15 + rng.below(6)
            let minute = rng.below(60)
            guard let (utc, style) = instant(day, hour * 3600 + minute * 60 + rng.below(60)) else { break }
            let o = callOutcome(day, hour: Double(hour) + Double(minute) / 60, agent: a, conversationAllowed: false)
            addContact(utc, style, Channel.call, false, o, a, duration(o))
        }
        nextContact = max(nextContact, lastDay + rng.day(7, 12))
    }

    static let emailHours = cumulative([6, 8, 9, 8, 7, 6, 5, 5, 5, 5, 4, 4, 4, 3, 3, 2, 2])

    mutating func sortContacts() {
        // Mostly in order already; insertion sort by instant.
        var i = 1
        while i < contacts.count {
            let c = contacts[i]
            var j = i - 1
            while j >= 0 && contacts[j].utc > c.utc {
                contacts[j + 1] = contacts[j]
                j -= 1
            }
            contacts[j + 1] = c
            i += 1
        }
    }
}
