import Foundation
import RecoupStore

/// Money: scheduled instalments and settlements, payments, closing an account.
extension AccountSimulator {
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
                    schedule(
                        Scheduled(
                            day: d + nextInstalmentGap(), kind: .instalment, settles: .partial, method: s.method,
                            cents: planCents))
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
        guard status != Status.closed && status != Status.bankrupt && bal > 0 && payments.count < Self.maxEvents - 3
        else { return }
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
            schedule(
                Scheduled(
                    day: d + nextInstalmentGap(), kind: .instalment, settles: .partial, method: m, cents: planCents))
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
}
