import Foundation
import RecoupEngine
import RecoupStore

/// Propensity-to-pay features and label as of a date A (MODELS.md), for every account at once: per-account
/// arrays filled by one pass over each event table, then gathered for the population.
///
/// Population: placed_date ≤ A and outstanding(a, A) > 0, where outstanding = max(principal − Σ payments
/// with placed_date ≤ paid_date ≤ A, 0) (KPIS.md). Features read only rows dated ≤ A: payments by paid_date,
/// contacts by local date in the account's zone, promises by created_date, and as in the KPIs only rows on or
/// after the account's placement (payments before it are counted apart, in `payments_before_placement`).
/// The label (with `withLabels`) is the one thing read after A: 1 when the account has a payment with
/// amount > 0 and A < paid_date ≤ A + 30.
///
/// A window of W days is the local or paid dates d with A − W < d ≤ A. Money is in dollars. Categorical
/// codes: `portfolio` and `region` index their levels, the distinct values among accounts placed on or
/// before A in code-point order; `status` indexes `Schema.accountStatus`, and is the account's status when
/// its status_date is empty or ≤ A, else `open` (a status that took effect after A is not known at A).
public enum FeatureBuilder {
    public static let labelHorizon: Int32 = 30
    public static let promiseGrace: Int32 = 3
    static let paymentWindows: [Int32] = [30, 90, 180]
    static let contactWindows: [Int32] = [7, 30, 90]

    /// The feature names, in column order.
    public static let featureNames: [String] = {
        var n = ["outstanding", "principal", "paid_fraction", "days_since_placement", "days_since_opened", "days_past_due",
                 "days_since_last_payment", "days_since_first_payment", "last_payment_amount"]
        n += paymentWindows.map { "payments_\($0)d" } + ["payments_all"]
        n += paymentWindows.map { "net_paid_\($0)d" } + ["net_paid_all"]
        n += ["reversals", "payments_before_placement"]
        for c in Schema.channels {
            n += contactWindows.map { "attempts_\(c)_\($0)d" }
            n += contactWindows.map { "rpc_\(c)_\($0)d" }
        }
        n += ["attempts_all", "rpc_all", "days_since_last_attempt", "days_since_last_rpc", "inbound_30d", "inbound_all",
              "refused_all", "disputes_all", "wrong_party_all", "bounced_all"]
        n += ["promises_90d", "promises_all", "promises_kept", "promises_broken", "promises_pending",
              "pending_promise_amount", "days_to_promise_due"]
        n += ["portfolio", "region", "status", "credit_score", "has_agent"]
        n += ["debtor_other_accounts", "debtor_other_outstanding", "debtor_other_payments_90d"]
        return n
    }()

    public static let categoricalFeatures: Set<String> = ["portfolio", "region", "status"]

    public static func build(snapshot: Snapshot, asOf a: Int32, withLabels: Bool) throws -> FeatureSet {
        let src = try FeatureSource.book(snapshot)
        let n = src.accountCount
        let placed = src.placed
        @inline(__always) func known(_ k: Int) -> Bool { AsOf.known(placed: placed[k], asOf: a) }

        // MARK: payments
        var collected = [Int64](repeating: 0, count: n)
        let w = paymentWindows.count
        var payCount = [Int32](repeating: 0, count: (w + 1) * n)  // window i of account k at i * n + k; all-time last
        var netPaid = [Int64](repeating: 0, count: (w + 1) * n)
        var reversals = [Int32](repeating: 0, count: n), prior = reversals
        var lastPaid = [Int32](repeating: Null.int32, count: n), firstPaid = lastPaid
        var lastAmount = [Int64](repeating: 0, count: n)
        var labels = [UInt8](repeating: 0, count: withLabels ? n : 0)
        let pk = src.paymentAccount, paid = src.paidDate, amount = src.paymentAmount
        for r in 0..<pk.count {
            let k = Int(pk[r])
            guard k >= 0, k < n, known(k) else { continue }
            let d = paid[r], x = amount[r]
            if d > a {
                if withLabels && x > 0 && d <= a + labelHorizon { labels[k] = 1 }
                continue
            }
            if d < placed[k] { prior[k] += 1; continue }
            try Aggregate.add(&collected[k], x)
            let age = a - d
            for i in 0...w where i == w || age < paymentWindows[i] {
                try Aggregate.add(&netPaid[i * n + k], x)
                if x > 0 { payCount[i * n + k] += 1 }
            }
            if x < 0 { reversals[k] += 1 }
            if x > 0 {
                if lastPaid[k] == Null.int32 || d > lastPaid[k] { lastPaid[k] = d; lastAmount[k] = x } else if d == lastPaid[k] {
                    try Aggregate.add(&lastAmount[k], x)
                }
                if firstPaid[k] == Null.int32 || d < firstPaid[k] { firstPaid[k] = d }
            }
        }
        let outstanding = try Book.outstanding(principal: src.principal, collected: collected)
        let rows = (0..<n).filter { known($0) && outstanding[$0] > 0 }

        // MARK: promises
        let grace = promiseGrace
        var promises90 = [Int32](repeating: 0, count: n), promisesAll = promises90, kept = promises90, broken = promises90
        var pending = promises90
        var pendingAmount = [Int64](repeating: 0, count: n)
        var nextDue = [Int32](repeating: Int32.max, count: n)
        var judged: [Int] = []
        let qk = src.promiseAccount, created = src.promiseCreated, pdue = src.promiseDue, pamount = src.promiseAmount
        for r in 0..<qk.count {
            let k = Int(qk[r])
            guard k >= 0, k < n, known(k) else { continue }
            let c = created[r]
            guard AsOf.counts(date: c, placed: placed[k], asOf: a) else { continue }
            promisesAll[k] += 1
            if a - c < 90 { promises90[k] += 1 }
            if PromiseRule.isJudged(due: pdue[r], grace: grace, asOf: a) {
                judged.append(r)
            } else {
                pending[k] += 1
                try Aggregate.add(&pendingAmount[k], pamount[r])
                nextDue[k] = min(nextDue[k], pdue[r] - a)
            }
        }
        for (i, p) in try PromiseRule.paid(src, promises: judged, grace: grace, asOf: a).enumerated() {
            let r = judged[i], k = Int(qk[r])
            if PromiseRule.isKept(paid: p, amount: pamount[r]) { kept[k] += 1 } else { broken[k] += 1 }
        }

        // MARK: contacts
        let channels = Schema.channels.count, cw = contactWindows.count
        var attempts = [Int32](repeating: 0, count: channels * cw * n), rpcs = attempts
        var attemptsAll = [Int32](repeating: 0, count: n), rpcAll = attemptsAll, inbound30 = attemptsAll, inboundAll = attemptsAll
        var refused = attemptsAll, disputes = attemptsAll, wrongParty = attemptsAll, bounced = attemptsAll
        var lastAttemptAge = [Int32](repeating: Int32.max, count: n), lastRPCAge = lastAttemptAge
        let (refusedCode, disputeCode, wrongCode, bouncedCode) =
            (ContactClass.refused, ContactClass.dispute, ContactClass.wrongParty, ContactClass.bounced)
        let outbound = ContactClass.outbound
        for part in try FeatureSource.contacts(src, asOf: a) {
            for i in 0..<part.account.count {
                let k = Int(part.account[i]), age = part.age[i], code = part.code[i]
                let channel = Int(code & 3), direction = (code >> 2) & 1, outcome = code >> 3
                let rpc = ContactClass.isRPC(outcome)
                if rpc { lastRPCAge[k] = min(lastRPCAge[k], age) }
                switch outcome {
                case refusedCode: refused[k] += 1
                case disputeCode: disputes[k] += 1
                case wrongCode: wrongParty[k] += 1
                case bouncedCode: bounced[k] += 1
                default: break
                }
                guard direction == outbound else {
                    inboundAll[k] += 1
                    if age < 30 { inbound30[k] += 1 }
                    continue
                }
                attemptsAll[k] += 1
                lastAttemptAge[k] = min(lastAttemptAge[k], age)
                if rpc { rpcAll[k] += 1 }
                guard channel < channels else { continue }
                for j in 0..<cw where age < contactWindows[j] {
                    let slot = (channel * cw + j) * n + k
                    attempts[slot] += 1
                    if rpc { rpcs[slot] += 1 }
                }
            }
        }

        // MARK: debtors
        let (debtorOf, debtors) = ByteGroups.ids(src.debtorIDs)
        var debtorAccounts = [Int32](repeating: 0, count: debtors)
        var debtorOutstanding = [Int64](repeating: 0, count: debtors)
        var debtorPay90 = [Int32](repeating: 0, count: debtors)
        let pay90 = paymentWindows.firstIndex(of: 90)!
        for k in 0..<n where known(k) {
            let g = Int(debtorOf[k])
            debtorAccounts[g] += 1
            try Aggregate.add(&debtorOutstanding[g], outstanding[k])
            debtorPay90[g] += payCount[pay90 * n + k]
        }

        // MARK: categories
        func levels(_ codes: [Int32], column: String) -> (codes: [Float], levels: [String]) {
            let dict = src.dictionary("accounts", column)
            var used = Set<Int32>()
            for k in 0..<n where known(k) && codes[k] >= 0 && Int(codes[k]) < dict.count { used.insert(codes[k]) }
            let names = used.map { dict[Int($0)] }
            let sorted = Array(Set(names)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            var index: [String: Int] = [:]
            for (i, s) in sorted.enumerated() { index[s] = i }
            let map = dict.map { index[$0].map { Float($0) } ?? .nan }
            return (rows.map { k in codes[k] >= 0 && Int(codes[k]) < map.count ? map[Int(codes[k])] : .nan }, sorted)
        }
        let openCode = Float(Schema.accountStatus.firstIndex(of: "open")!)

        // MARK: columns
        var columns: [[Float]] = []
        var levelsOf: [[String]] = []
        func add(_ f: (Int) -> Float) { columns.append(rows.map(f)); levelsOf.append([]) }
        func dollars(_ cents: Int64) -> Float { Float(Double(cents) / 100) }
        func days(_ d: Int32) -> Float { d == Null.int32 ? .nan : Float(a - d) }
        add { dollars(outstanding[$0]) }
        add { dollars(src.principal[$0]) }
        add { src.principal[$0] > 0 ? Float(Double(collected[$0]) / Double(src.principal[$0])) : .nan }
        add { days(placed[$0]) }
        add { days(src.opened[$0]) }
        add { days(src.due[$0]) }
        add { days(lastPaid[$0]) }
        add { days(firstPaid[$0]) }
        add { lastPaid[$0] == Null.int32 ? .nan : dollars(lastAmount[$0]) }
        for i in 0...w { add { Float(payCount[i * n + $0]) } }
        for i in 0...w { add { dollars(netPaid[i * n + $0]) } }
        add { Float(reversals[$0]) }
        add { Float(prior[$0]) }
        for c in 0..<channels {
            for j in 0..<cw { add { Float(attempts[(c * cw + j) * n + $0]) } }
            for j in 0..<cw { add { Float(rpcs[(c * cw + j) * n + $0]) } }
        }
        add { Float(attemptsAll[$0]) }
        add { Float(rpcAll[$0]) }
        add { lastAttemptAge[$0] == Int32.max ? .nan : Float(lastAttemptAge[$0]) }
        add { lastRPCAge[$0] == Int32.max ? .nan : Float(lastRPCAge[$0]) }
        add { Float(inbound30[$0]) }
        add { Float(inboundAll[$0]) }
        add { Float(refused[$0]) }
        add { Float(disputes[$0]) }
        add { Float(wrongParty[$0]) }
        add { Float(bounced[$0]) }
        add { Float(promises90[$0]) }
        add { Float(promisesAll[$0]) }
        add { Float(kept[$0]) }
        add { Float(broken[$0]) }
        add { Float(pending[$0]) }
        add { dollars(pendingAmount[$0]) }
        add { nextDue[$0] == Int32.max ? .nan : Float(nextDue[$0]) }
        for (codes, column) in [(src.portfolio, "portfolio"), (src.region, "region")] {
            let (c, l) = levels(codes, column: column)
            columns.append(c)
            levelsOf.append(l)
        }
        columns.append(rows.map { k in
            let s = src.status[k], d = src.statusDate[k]
            guard Int(s) < Schema.accountStatus.count else { return .nan }
            return d == Null.int32 || d <= a ? Float(s) : openCode
        })
        levelsOf.append(Schema.accountStatus)
        add { src.creditScore[$0] == Null.int64 ? .nan : Float(src.creditScore[$0]) }
        add { src.agent[$0] == Null.int32 ? 0 : 1 }
        add { Float(debtorAccounts[Int(debtorOf[$0])] - 1) }
        add { dollars(debtorOutstanding[Int(debtorOf[$0])] - outstanding[$0]) }
        add { Float(debtorPay90[Int(debtorOf[$0])] - payCount[pay90 * n + $0]) }

        let names = featureNames
        precondition(columns.count == names.count, "one column per feature name")
        let dataset = Dataset(featureNames: names, columns: columns, labels: withLabels ? rows.map { labels[$0] } : [],
                              isCategorical: names.map { categoricalFeatures.contains($0) }, categoryLevels: levelsOf)
        return FeatureSet(asOf: a, accountKeys: rows.map { Int32($0) }, dataset: dataset, outstanding: rows.map { outstanding[$0] })
    }
}
