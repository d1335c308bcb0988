import Foundation
import RecoupKPI

extension ReferenceKPI {
    // MARK: - recovery_rate

    /// Choices:
    /// - Accounts with placed_date ≤ A (period parameters ignored); `accounts` counts them.
    /// - placed = Σ principal; collected = Σ signed amount (reversals subtract, overpayments
    ///   count in full) of their payments with placed_date ≤ paid_date ≤ A.
    /// - recovery_rate = collected / placed (placed > 0 since every principal is > 0).
    static func recoveryRate(_ book: ReferenceBook, _ p: KPIParameters) throws -> KPITable {
        let a0 = try asOf(book, p)
        let by = try dims(p.by, contact: false)
        struct Acc { var accounts: Int64 = 0; var placed: Int64 = 0; var collected: Int64 = 0 }
        var g = Groups { Acc() }
        for a in book.accounts where a.placed <= a0 {
            let i = g.slot(by.map { dimValue($0, a) })
            g.values[i].accounts += 1
            g.values[i].placed += a.principal
            for x in countedPayments(book, a) where x.paid <= a0 { g.values[i].collected += x.amount }
        }
        var t = KPITable(columns: by.map(\.rawValue) + ["accounts", "placed", "collected", "recovery_rate"])
        for (key, v) in g.sorted(by.map(sortKind)) {
            t.rows.append(key + [.int(v.accounts), .money(v.placed), .money(v.collected), rate(v.collected, v.placed)])
        }
        return t
    }

    // MARK: - liquidation

    /// Choices:
    /// - Accounts with placed_date ≤ A. `cohort` is always the first column; the other `by`
    ///   dims follow in their order (`cohort` in `by` is not repeated).
    /// - placed = Σ principal of the group's accounts (all of them, whatever they paid).
    /// - A payment's months_on_book k = (paid year·12 + month) − (placed year·12 + month),
    ///   calendar months regardless of the day (placed 01-31, paid 02-01 → k = 1). Only
    ///   payments with paid_date ≥ placed_date; signed amounts (reversals subtract in the
    ///   month they are dated).
    /// - The last complete month is the latest month whose last day is ≤ A (A itself when A
    ///   is a month's last day). Rows k = 0 … (last complete month − cohort month); a group
    ///   whose placement month is not complete at A has no rows. Payments in later months
    ///   (including after A) are not counted.
    /// - collected_cum is carried through months without payments; rate = collected_cum / placed.
    static func liquidation(_ book: ReferenceBook, _ p: KPIParameters) throws -> KPITable {
        let a0 = try asOf(book, p)
        let others = try dims(p.by, contact: false).filter { $0 != .cohort }
        let monthA = RDay.month(a0)
        let lastComplete = RDay.lastDay(ofMonth: monthA) == a0 ? monthA : monthA - 1
        struct Acc { var cohort = 0; var placed: Int64 = 0; var byK: [Int: Int64] = [:] }
        var g = Groups { Acc() }
        for a in book.accounts where a.placed <= a0 {
            let cohort = RDay.month(a.placed)
            let i = g.slot([.text(RDay.monthText(cohort))] + others.map { dimValue($0, a) })
            g.values[i].cohort = cohort
            g.values[i].placed += a.principal
            for x in countedPayments(book, a) {
                let k = RDay.month(x.paid) - cohort
                g.values[i].byK[k, default: 0] += x.amount
            }
        }
        var t = KPITable(columns: ["cohort"] + others.map(\.rawValue)
            + ["months_on_book", "placed", "collected_cum", "liquidation_rate"])
        for (key, v) in g.sorted([.text] + others.map(sortKind)) {
            let lastK = lastComplete - v.cohort
            if lastK < 0 { continue }
            var cum: Int64 = 0
            for k in 0...lastK {
                cum += v.byK[k] ?? 0
                t.rows.append(key + [.int(Int64(k)), .money(v.placed), .money(cum), rate(cum, v.placed)])
            }
        }
        return t
    }

    // MARK: - dso

    /// Choices:
    /// - credit_sales(P) = Σ principal of accounts known at A (placed_date ≤ A) with
    ///   opened_date in P, even when placed after `to` (agency accounts); AR(to) over accounts
    ///   placed ≤ to, payments placed ≤ paid ≤ to.
    /// - A group appears when it has an account in the book at `to` or an account (known at A)
    ///   opened in P. credit_sales = 0 → dso, best_possible_dso and add are null.
    /// - `days` = D = to − from + 1.
    /// - current_ar: outstanding at `to` of accounts in the book at `to` with due_date ≥ to.
    /// - add = dso − best_possible_dso.
    /// - countback_dso: month sales are Σ principal of the group's accounts known at A opened
    ///   in that month; the month of `to` counts only days 1…to (sales and d); earlier months
    ///   whole. `remaining ≥ s` subtracts s and adds d (so s = 0 adds d and goes on); else
    ///   adds remaining / s × d and stops. At most 36 months: if remaining is still > 0 after
    ///   them, countback_dso is the days of those 36 months. AR(to) = 0 gives 0 (never null).
    static func dso(_ book: ReferenceBook, _ p: KPIParameters) throws -> KPITable {
        let a0 = try asOf(book, p)
        let per = try period(p, asOf: a0)
        let by = try dims(p.by, contact: false)
        var g = Groups { [RAccount]() }
        for a in book.accounts where a.placed <= a0 {
            let i = g.slot(by.map { dimValue($0, a) })
            g.values[i].append(a)
        }
        var t = KPITable(columns: by.map(\.rawValue)
            + ["ar_end", "credit_sales", "days", "dso", "best_possible_dso", "add", "countback_dso"])
        for (key, accounts) in g.sorted(by.map(sortKind)) {
            let appears = accounts.contains { $0.placed <= per.to || ($0.opened >= per.from && $0.opened <= per.to) }
            if !appears { continue }
            let arEnd = ar(book, accounts, at: per.to)
            let sales = creditSales(accounts, per.from, per.to)
            let cur = currentAR(book, accounts, at: per.to)
            let d = Double(per.days)
            var row = key + [.money(arEnd), .money(sales), .int(Int64(per.days))]
            if sales == 0 {
                row += [.null, .null, .null]
            } else {
                let dso = Double(arEnd) / Double(sales) * d
                let best = Double(cur) / Double(sales) * d
                row += [.decimal(dso), .decimal(best), .decimal(dso - best)]
            }
            row.append(.decimal(countback(accounts, ar: arEnd, to: per.to)))
            t.rows.append(row)
        }
        return t
    }

    static func countback(_ accounts: [RAccount], ar: Int64, to: Int32) -> Double {
        var remaining = ar
        var days = 0.0
        var month = RDay.month(to)
        var walked = 0
        while remaining > 0 && walked < 36 {
            let start = RDay.firstDay(ofMonth: month)
            let end = walked == 0 ? to : RDay.lastDay(ofMonth: month)
            let d = Double(end - start + 1)
            let s = creditSales(accounts, start, end)
            if remaining >= s {
                remaining -= s
                days += d
            } else {
                days += Double(remaining) / Double(s) * d
                break
            }
            month -= 1
            walked += 1
        }
        return days
    }

    // MARK: - days_to_collect

    /// Choices:
    /// - Payments with amount > 0 (reversals are ignored, not netted against anything), paid
    ///   in P and paid_date ≥ the account's placed_date (so the account is known at A).
    /// - Each payment's days = paid_date − opened_date (not − placed_date); weighted by its
    ///   amount: Σ amount × days / Σ amount.
    /// - `payments` = their count, `collected` = Σ of their (positive) amounts. A group with no
    ///   such payment does not appear (so days_to_collect is never null).
    static func daysToCollect(_ book: ReferenceBook, _ p: KPIParameters) throws -> KPITable {
        let a0 = try asOf(book, p)
        let per = try period(p, asOf: a0)
        let by = try dims(p.by, contact: false)
        struct Acc { var payments: Int64 = 0; var collected: Int64 = 0; var weighted: Int64 = 0 }
        var g = Groups { Acc() }
        for a in book.accounts where a.placed <= a0 {
            for x in countedPayments(book, a) where x.amount > 0 && x.paid >= per.from && x.paid <= per.to {
                let i = g.slot(by.map { dimValue($0, a) })
                g.values[i].payments += 1
                g.values[i].collected += x.amount
                g.values[i].weighted += x.amount * Int64(x.paid - a.opened)
            }
        }
        var t = KPITable(columns: by.map(\.rawValue) + ["payments", "collected", "days_to_collect"])
        for (key, v) in g.sorted(by.map(sortKind)) {
            t.rows.append(key + [.int(v.payments), .money(v.collected), rate(v.weighted, v.collected)])
        }
        return t
    }

    // MARK: - aging

    /// Choices:
    /// - Accounts placed ≤ A with outstanding(a, A) > 0 (overpaid accounts are out);
    ///   dpd = A − due_date, ≤ 0 is `current`, 365+ is dpd ≥ 366.
    /// - Only buckets with accounts appear (no zero rows); `balance` = Σ outstanding;
    ///   share = bucket balance / the group's total outstanding.
    static func aging(_ book: ReferenceBook, _ p: KPIParameters) throws -> KPITable {
        let a0 = try asOf(book, p)
        let by = try dims(p.by, contact: false)
        struct Acc { var accounts: Int64 = 0; var balance: Int64 = 0 }
        var g = Groups { Acc() }
        var totals = Groups { Int64(0) }
        for a in book.accounts where a.placed <= a0 {
            let o = outstanding(book, a, at: a0)
            if o <= 0 { continue }
            let key = by.map { dimValue($0, a) }
            let i = g.slot(key + [.text(bucket(dpd: a0 - a.due))])
            g.values[i].accounts += 1
            g.values[i].balance += o
            totals.values[totals.slot(key)] += o
        }
        var t = KPITable(columns: by.map(\.rawValue) + ["bucket", "accounts", "balance", "share"])
        for (key, v) in g.sorted(by.map(sortKind) + [.bucket]) {
            let total = totals.values[totals.slot(Array(key.dropLast()))]
            t.rows.append(key + [.int(v.accounts), .money(v.balance), rate(v.balance, total)])
        }
        return t
    }

    // MARK: - cei

    /// Choices:
    /// - B = AR(from − 1) over accounts placed ≤ from − 1 (payments up to from − 1);
    ///   S = credit_sales(P) over accounts known at A (as in dso); E = AR(to);
    ///   EC = outstanding at `to` of accounts in the book at `to` with due_date ≥ to.
    /// - Groups as in dso (an account in the book at `to`, or opened in P).
    /// - cei = (B + S − E) / (B + S − EC) × 100; null when the denominator is 0.
    static func cei(_ book: ReferenceBook, _ p: KPIParameters) throws -> KPITable {
        let a0 = try asOf(book, p)
        let per = try period(p, asOf: a0)
        let by = try dims(p.by, contact: false)
        var g = Groups { [RAccount]() }
        for a in book.accounts where a.placed <= a0 {
            let i = g.slot(by.map { dimValue($0, a) })
            g.values[i].append(a)
        }
        var t = KPITable(columns: by.map(\.rawValue) + ["begin_ar", "credit_sales", "end_ar", "end_current_ar", "cei"])
        for (key, accounts) in g.sorted(by.map(sortKind)) {
            let appears = accounts.contains { $0.placed <= per.to || ($0.opened >= per.from && $0.opened <= per.to) }
            if !appears { continue }
            let b = ar(book, accounts, at: per.from - 1)
            let s = creditSales(accounts, per.from, per.to)
            let e = ar(book, accounts, at: per.to)
            let ec = currentAR(book, accounts, at: per.to)
            let den = b + s - ec
            let cei: KPIValue = den == 0 ? .null : .decimal(Double(b + s - e) / Double(den) * 100)
            t.rows.append(key + [.money(b), .money(s), .money(e), .money(ec), cei])
        }
        return t
    }

    // MARK: - contact_effectiveness

    /// Choices:
    /// - Contacts of accounts placed ≤ A whose local date is in P and ≥ the account's
    ///   placed_date. Local date/hour/weekday in the account's current zone.
    /// - attempts = outbound contacts of every channel; rpc = outbound contacts with an RPC
    ///   outcome (right_party, promise, refused, dispute, replied); promises = outbound with
    ///   outcome promise; inbound = inbound contacts (any outcome, any channel).
    /// - conversion_7d = (outbound RPCs whose account has a payment with amount > 0 and
    ///   local_date ≤ paid_date ≤ local_date + 7 and paid_date ≤ A) / rpc. Dates only: a payment
    ///   earlier on the RPC's own day counts. One payment may convert several RPCs.
    /// - rpc_rate null when attempts = 0; promise_rate and conversion_7d null when rpc = 0.
    /// - Groups by account dims and contact dims; a group appears when it has any contact in
    ///   P (inbound only is enough: attempts 0, rpc_rate null).
    static func contactEffectiveness(_ book: ReferenceBook, _ p: KPIParameters) throws -> KPITable {
        let a0 = try asOf(book, p)
        let per = try period(p, asOf: a0)
        let by = try dims(p.by, contact: true)
        struct Acc { var attempts: Int64 = 0; var rpc: Int64 = 0; var promises: Int64 = 0; var converted: Int64 = 0; var inbound: Int64 = 0 }
        var g = Groups { Acc() }
        for c in book.contacts {
            let a = book.account(c.account)
            guard a.placed <= a0, c.localDate >= a.placed, c.localDate >= per.from, c.localDate <= per.to else { continue }
            let i = g.slot(by.map { dimValue($0, a, c) })
            if !c.isOutbound {
                g.values[i].inbound += 1
                continue
            }
            g.values[i].attempts += 1
            if c.outcome == "promise" { g.values[i].promises += 1 }
            if c.isRPC {
                g.values[i].rpc += 1
                let converted = (book.paymentsByAccount[a.id] ?? []).contains {
                    $0.amount > 0 && $0.paid >= c.localDate && $0.paid <= c.localDate + 7 && $0.paid <= a0
                }
                if converted { g.values[i].converted += 1 }
            }
        }
        var t = KPITable(columns: by.map(\.rawValue)
            + ["attempts", "rpc", "rpc_rate", "promises", "promise_rate", "conversion_7d", "inbound"])
        for (key, v) in g.sorted(by.map(sortKind)) {
            t.rows.append(key + [.int(v.attempts), .int(v.rpc), rate(v.rpc, v.attempts), .int(v.promises),
                                 rate(v.promises, v.rpc), rate(v.converted, v.rpc), .int(v.inbound)])
        }
        return t
    }

    // MARK: - promise_adherence

    /// Choices:
    /// - Promises of accounts placed ≤ A with placed_date ≤ created_date ≤ A and due_date in P;
    ///   `promises` counts them all.
    /// - pending: due_date + G > A (paid or not); judged: due_date + G ≤ A. G = parameters.grace.
    /// - paid(p) = Σ signed amounts of the account's payments with created_date ≤ paid_date ≤
    ///   due_date + G (each promise on its own; one payment may serve several promises).
    /// - kept: paid(p) ≥ amount. kept_amount = Σ min(max(paid, 0), amount) over judged;
    ///   promised_amount = Σ amount over judged.
    /// - kept_rate = kept / judged, amount_kept_rate = kept_amount / promised_amount; null at 0.
    static func promiseAdherence(_ book: ReferenceBook, _ p: KPIParameters) throws -> KPITable {
        let a0 = try asOf(book, p)
        let per = try period(p, asOf: a0)
        let by = try dims(p.by, contact: false)
        let grace = Int32(p.grace)
        struct Acc { var promises: Int64 = 0; var pending: Int64 = 0; var judged: Int64 = 0; var kept: Int64 = 0
                     var promised: Int64 = 0; var keptAmount: Int64 = 0 }
        var g = Groups { Acc() }
        for r in book.promises {
            let a = book.account(r.account)
            guard a.placed <= a0, r.created >= a.placed, r.created <= a0, r.due >= per.from, r.due <= per.to else { continue }
            let i = g.slot(by.map { dimValue($0, a) })
            g.values[i].promises += 1
            if r.due + grace > a0 {
                g.values[i].pending += 1
                continue
            }
            var paid: Int64 = 0
            for x in countedPayments(book, a) where x.paid >= r.created && x.paid <= r.due + grace { paid += x.amount }
            g.values[i].judged += 1
            g.values[i].promised += r.amount
            if paid >= r.amount { g.values[i].kept += 1 }
            g.values[i].keptAmount += min(max(paid, 0), r.amount)
        }
        var t = KPITable(columns: by.map(\.rawValue)
            + ["promises", "pending", "kept", "kept_rate", "promised_amount", "kept_amount", "amount_kept_rate"])
        for (key, v) in g.sorted(by.map(sortKind)) {
            t.rows.append(key + [.int(v.promises), .int(v.pending), .int(v.kept), rate(v.kept, v.judged),
                                 .money(v.promised), .money(v.keptAmount), rate(v.keptAmount, v.promised)])
        }
        return t
    }

    // MARK: - collector_performance

    /// Choices:
    /// - Grouped by the account's current agent_id ("" for none) as the first column `agent_id`;
    ///   other `by` dims follow (agent_id not repeated); contact dims are rejected.
    /// - accounts = the group's accounts with placed_date ≤ to; a group appears iff it has one.
    /// - attempts, rpc, promises as in contact_effectiveness (outbound only) over contacts with
    ///   local date in P and ≥ placed_date on those accounts; the contact's own agent is ignored;
    ///   rpc_rate null when attempts = 0. Inbound contacts are not shown.
    /// - collected = Σ signed amounts (net of reversals) of those accounts' payments with
    ///   paid_date in P and ≥ placed_date.
    static func collectorPerformance(_ book: ReferenceBook, _ p: KPIParameters) throws -> KPITable {
        let a0 = try asOf(book, p)
        let per = try period(p, asOf: a0)
        let others = try dims(p.by, contact: false).filter { $0 != .agent_id }
        struct Acc { var accounts: Int64 = 0; var attempts: Int64 = 0; var rpc: Int64 = 0; var promises: Int64 = 0; var collected: Int64 = 0 }
        var g = Groups { Acc() }
        for a in book.accounts where a.placed <= per.to {
            let i = g.slot([.text(a.agent)] + others.map { dimValue($0, a) })
            g.values[i].accounts += 1
            for c in book.contactsByAccount[a.id] ?? [] where c.isOutbound && c.localDate >= a.placed
                && c.localDate >= per.from && c.localDate <= per.to {
                g.values[i].attempts += 1
                if c.isRPC { g.values[i].rpc += 1 }
                if c.outcome == "promise" { g.values[i].promises += 1 }
            }
            for x in countedPayments(book, a) where x.paid >= per.from && x.paid <= per.to {
                g.values[i].collected += x.amount
            }
        }
        var t = KPITable(columns: ["agent_id"] + others.map(\.rawValue)
            + ["accounts", "attempts", "rpc", "rpc_rate", "promises", "collected"])
        for (key, v) in g.sorted([.text] + others.map(sortKind)) {
            t.rows.append(key + [.int(v.accounts), .int(v.attempts), .int(v.rpc), rate(v.rpc, v.attempts),
                                 .int(v.promises), .money(v.collected)])
        }
        return t
    }

    // MARK: - roll_rate

    /// Choices:
    /// - M = parameters.month (any day of M names M), else the latest month whose following
    ///   month ended on or before A: M = month(A) − 1 when A is the last day of its month,
    ///   else month(A) − 2. An M whose M+1 ends after A is an error.
    /// - Accounts placed ≤ end(M) with outstanding(end M) > 0; from_bucket by dpd =
    ///   end(M) − due_date; to_bucket by dpd = end(M+1) − due_date, or `paid` when
    ///   outstanding(end M+1) = 0 (overpaid included).
    /// - balance = Σ outstanding at end(M); share = balance / Σ balance of the same
    ///   from_bucket in the group. Only (from, to) pairs with accounts appear.
    static func rollRate(_ book: ReferenceBook, _ p: KPIParameters) throws -> KPITable {
        let a0 = try asOf(book, p)
        let by = try dims(p.by, contact: false)
        let m: Int
        if let given = p.month {
            m = RDay.month(given)
            if RDay.lastDay(ofMonth: m + 1) > a0 {
                throw ReferenceError("roll_rate month \(RDay.monthText(m)) needs as-of ≥ \(RDay.format(RDay.lastDay(ofMonth: m + 1)))")
            }
        } else {
            let monthA = RDay.month(a0)
            m = RDay.lastDay(ofMonth: monthA) == a0 ? monthA - 1 : monthA - 2
        }
        let endM = RDay.lastDay(ofMonth: m), endNext = RDay.lastDay(ofMonth: m + 1)
        struct Acc { var accounts: Int64 = 0; var balance: Int64 = 0 }
        var g = Groups { Acc() }
        var fromTotals = Groups { Int64(0) }
        for a in book.accounts where a.placed <= endM {
            let o = outstanding(book, a, at: endM)
            if o <= 0 { continue }
            let key = by.map { dimValue($0, a) }
            let from = bucket(dpd: endM - a.due)
            let next = outstanding(book, a, at: endNext)
            let to = next == 0 ? "paid" : bucket(dpd: endNext - a.due)
            let i = g.slot(key + [.text(from), .text(to)])
            g.values[i].accounts += 1
            g.values[i].balance += o
            fromTotals.values[fromTotals.slot(key + [.text(from)])] += o
        }
        var t = KPITable(columns: by.map(\.rawValue) + ["from_bucket", "to_bucket", "accounts", "balance", "share"])
        for (key, v) in g.sorted(by.map(sortKind) + [.bucket, .toBucket]) {
            let total = fromTotals.values[fromTotals.slot(Array(key.dropLast()))]
            t.rows.append(key + [.int(v.accounts), .money(v.balance), rate(v.balance, total)])
        }
        return t
    }

    // MARK: - call_compliance

    /// Choices:
    /// - Checked: outbound contacts of accounts placed ≤ A with local date in P and ≥ placed_date.
    ///   History for the rules: the account's contacts with placed_date ≤ local date ≤ A.
    /// - calling_hours: channel call, local wall time < 08:00:00 or ≥ 21:00:00.
    /// - seven_in_seven: channel call; n = outbound calls of the account in history with local
    ///   date in [d − 6, d] ordered by (ts, contact_id) up to and including this one; flagged
    ///   when n ≥ 8. Local calendar dates, so a DST change does not matter.
    /// - after_conversation: channel call; flagged when the account has a conversation (channel
    ///   call, inbound or outbound, RPC outcome) in history with ts strictly before this call's
    ///   ts and d_conv ≤ d ≤ d_conv + 6. A conversation never flags itself; an outbound call
    ///   that is itself a conversation is flagged by an earlier one.
    /// - cease_contact: any outbound channel; the account's current status is cease_contact or
    ///   bankrupt and local date ≥ status_date (placed_date when status_date is empty).
    /// - local_ts = local wall time `YYYY-MM-DDTHH:MM:SS±HH:MM` (`+00:00` for UTC).
    /// - Detail rows ordered by ts, contact_id (code point), rule; `by` without `summary` is a
    ///   usage error (as the engine does). Summary: dims (account's and contact's), rule,
    ///   calls = number of (contact, rule) rows; only non-zero rows; sorted by dims then rule.
    static func callCompliance(_ book: ReferenceBook, _ p: KPIParameters) throws -> KPITable {
        let a0 = try asOf(book, p)
        let per = try period(p, asOf: a0)
        let by = try dims(p.by, contact: true)
        if !p.summary && !by.isEmpty { throw ReferenceError("call_compliance lists contacts: `by` goes with `summary`") }
        var hits: [(c: RContact, rule: Int)] = []
        for c in book.contacts {
            let a = book.account(c.account)
            guard c.isOutbound, a.placed <= a0, c.localDate >= a.placed, c.localDate >= per.from, c.localDate <= per.to else { continue }
            let history = (book.contactsByAccount[a.id] ?? []).filter { $0.localDate >= a.placed && $0.localDate <= a0 }
            if c.channel == "call" {
                if c.localHour < 8 || c.localHour >= 21 { hits.append((c, 0)) }
                var n = 0
                for o in history where o.isOutbound && o.channel == "call" && o.localDate >= c.localDate - 6
                    && o.localDate <= c.localDate && (o.ts < c.ts || (o.ts == c.ts && codePointLE(o.id, c.id))) {
                    n += 1
                }
                if n >= 8 { hits.append((c, 1)) }
                let afterConversation = history.contains { v in
                    v.channel == "call" && v.isRPC && v.ts < c.ts && v.localDate <= c.localDate && c.localDate <= v.localDate + 6
                }
                if afterConversation { hits.append((c, 2)) }
            }
            if a.status == "cease_contact" || a.status == "bankrupt" {
                if c.localDate >= (a.statusDate ?? a.placed) { hits.append((c, 3)) }
            }
        }
        if p.summary {
            var g = Groups { Int64(0) }
            for h in hits {
                let a = book.account(h.c.account)
                g.values[g.slot(by.map { dimValue($0, a, h.c) } + [.text(rules[h.rule])])] += 1
            }
            var t = KPITable(columns: by.map(\.rawValue) + ["rule", "calls"])
            for (key, v) in g.sorted(by.map(sortKind) + [.rule]) { t.rows.append(key + [.int(v)]) }
            return t
        }
        hits.sort { x, y in
            if x.c.ts != y.c.ts { return x.c.ts < y.c.ts }
            if x.c.id != y.c.id { return codePointLE(x.c.id, y.c.id) }
            return x.rule < y.rule
        }
        var t = KPITable(columns: ["contact_id", "account_id", "rule", "local_ts"])
        for h in hits {
            t.rows.append([.text(h.c.id), .text(h.c.account), .text(rules[h.rule]), .text(localTimestamp(h.c))])
        }
        return t
    }

    static func codePointLE(_ a: String, _ b: String) -> Bool {
        compare(.text(a), .text(b), .text) <= 0
    }

    static func localTimestamp(_ c: RContact) -> String {
        let off = abs(c.offset)
        let (y, m, d) = RDay.ymd(c.localDate)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, c.localHour, c.localMinute, c.localSecond)
            + (c.offset < 0 ? "-" : "+") + String(format: "%02d:%02d", off / 3600, (off % 3600) / 60)
    }
}
