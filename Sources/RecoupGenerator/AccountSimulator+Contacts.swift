import Foundation
import RecoupStore

/// Contacts: when, by which channel, with what outcome; promises made on a call; inbound and bursts.
extension AccountSimulator {
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
    mutating func addContact(
        _ utc: Int64, _ style: UInt8, _ channel: UInt8, _ inbound: Bool, _ outcome: UInt8, _ agent: Int32,
        _ duration: Int32
    ) {
        contacts.append(
            ContactEvent(
                utc: utc, channel: channel, inbound: inbound, outcome: outcome, style: style, agent: agent,
                duration: duration))
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
            g = Double(
                age < 30 ? rng.int(4, 10) : age < 120 ? rng.int(14, 30) : age < 365 ? rng.int(35, 75) : rng.int(70, 150)
            )
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
            return u < 0.45
                ? Outcome.wrongParty : u < 0.75 ? Outcome.noAnswer : u < 0.9 ? Outcome.voicemail : Outcome.busy
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
            && rng.chance(min(0.95, skill * (0.26 + 0.6 * w)))
        {
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
                schedule(
                    Scheduled(
                        day: rng.day(d, payDay - 1), kind: .promisePay, settles: .partial, method: m, cents: first))
                schedule(Scheduled(day: payDay, kind: .promisePay, settles: settles, method: m, cents: amount - first))
            } else {
                schedule(Scheduled(day: payDay, kind: .promisePay, settles: settles, method: m, cents: amount))
            }
        } else {
            if rng.chance(0.25) {
                let part = max(100, Int64(Double(amount) * rng.uniform(0.3, 0.8)))
                schedule(
                    Scheduled(
                        day: rng.day(d + 1, promiseDue + 5), kind: .promisePay, settles: .partial, method: m,
                        cents: part))
            }
            boost -= 0.8
        }
        promiseUntil = promiseDue + 3
        nextContact = promiseDue + rng.day(3, 7)
        if debtor.hasMobile && promiseDue - 1 > d && rng.chance(0.45) {
            // Reminder the day before the promise falls due.
            let sec = 10 * 3600 + rng.below(7200)
            if let (utc, style) = instant(promiseDue - 1, sec) {
                addContact(
                    utc, style, Channel.sms, false, rng.chance(0.95) ? Outcome.delivered : Outcome.bounced, -1, -1)
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
            o =
                u < 0.08
                ? Outcome.bounced
                : u < 0.08 + 0.03 * (0.4 + 1.2 * w)
                    ? Outcome.replied
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
