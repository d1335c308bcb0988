import RecoupEngine
import RecoupStore

/// Contacts of accounts known at A whose local date is in P (and not before placement).
struct ContactsInPeriod {
    let include: [Bool]

    init(_ book: Book, asOf a: Int32, period: Period) {
        let keys = book.contactAccount, date = book.localDate, placed = book.placed
        include = keys.indices.map { r in
            let k = Int(keys[r]), d = date[r]
            return placed[k] <= a && d >= placed[k] && d >= period.from && d <= period.to
        }
    }
}

/// contact_effectiveness (period P).
enum ContactEffectiveness {
    static let columns = ["attempts", "rpc", "rpc_rate", "promises", "promise_rate", "conversion_7d", "inbound"]

    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let period = try Period.resolve(from: p.from, to: p.to, asOf: a)
        let dims = try Dimensions(book, p.by, kpi: "contact_effectiveness", contactDimensions: true, lazyContactCodes: true)
        guard let pass = ContactPass(dims.contactSources) else {
            return try materialized(book, p, asOf: a, period: period)
        }
        let payments = PositivePayments(book, asOf: a)
        let isRPC = Book.rpcOutcomes, promiseOutcome = Book.promiseOutcome
        // Counters per group: contacts, attempts, rpc, promises, inbound, converted.
        let c = try pass.run(book, asOf: a, period: period, metrics: 6) { row, g, counters in
            let base = g * 6
            counters[base] += 1
            if row.direction == Book.inbound { counters[base + 4] += 1; return }
            counters[base + 1] += 1
            guard isRPC[Int(row.outcome)] else { return }
            counters[base + 2] += 1
            if row.outcome == promiseOutcome { counters[base + 3] += 1 }
            if payments.any(account: row.account, from: row.localDate, to: row.localDate + 7) { counters[base + 5] += 1 }
        }
        try book.check()
        return KPITable(columns: dims.names + columns, rows: dims.rows(pass, keep: { c[$0 * 6] > 0 }) { g in
            let (attempts, rpc, promises, inbound, converted) = (c[g * 6 + 1], c[g * 6 + 2], c[g * 6 + 3], c[g * 6 + 4], c[g * 6 + 5])
            return [.int(attempts), .int(rpc), rate(rpc, attempts), .int(promises), rate(promises, rpc), rate(converted, rpc), .int(inbound)]
        })
    }

    /// The same over materialized columns, for dimension products too large for counters.
    static func materialized(_ book: Book, _ p: KPIParameters, asOf a: Int32, period: Period) throws -> KPITable {
        let dims = try Dimensions(book, p.by, kpi: "contact_effectiveness", contactDimensions: true)
        let inP = ContactsInPeriod(book, asOf: a, period: period).include
        let keys = book.contactAccount
        let g = Grouping(dims.keys(accounts: keys), rows: keys.count, mask: inP)
        let n = g.count
        var attempts = [Int64](repeating: 0, count: n), rpc = attempts, promises = attempts, inbound = attempts, converted = attempts
        let payments = PositivePayments(book, asOf: a)
        let direction = book.direction, outcome = book.outcome, dates = book.localDate, ids = g.ids
        let isRPC = Book.rpcOutcomes, promiseOutcome = Book.promiseOutcome
        for r in 0..<keys.count {
            let gid = Int(ids[r])
            guard gid >= 0 else { continue }
            if direction[r] == Book.inbound { inbound[gid] += 1; continue }
            attempts[gid] += 1
            let o = outcome[r]
            guard isRPC[Int(o)] else { continue }
            rpc[gid] += 1
            if o == promiseOutcome { promises[gid] += 1 }
            let d = dates[r]
            if payments.any(account: Int(keys[r]), from: d, to: d + 7) { converted[gid] += 1 }
        }
        try book.check()
        return KPITable(
            columns: dims.names + ["attempts", "rpc", "rpc_rate", "promises", "promise_rate", "conversion_7d", "inbound"],
            rows: GroupedRows.build(dims, g) { i in
                [.int(attempts[i]), .int(rpc[i]), rate(rpc[i], attempts[i]), .int(promises[i]), rate(promises[i], rpc[i]),
                 rate(converted[i], rpc[i]), .int(inbound[i])]
            })
    }
}

/// Payments with amount > 0, dated on or after placement and on or before A,
/// by account in date order: "is there one in [from, to]?" is a binary search.
struct PositivePayments {
    let index: AccountIndex
    let dates: [Int32]

    init(_ book: Book, asOf a: Int32) {
        let keys = book.paymentAccount, paid = book.paidDate, amount = book.paymentAmount, placed = book.placed
        dates = paid
        index = AccountIndex(keys: keys, accounts: book.accountCount, time: paid.map { Int64($0) }) { r in
            amount[r] > 0 && paid[r] <= a && paid[r] >= placed[Int(keys[r])]
        }
    }

    func any(account: Int, from: Int32, to: Int32) -> Bool {
        let rows = index.rows(of: account)
        var lo = rows.startIndex, hi = rows.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if dates[Int(rows[mid])] < from { lo = mid + 1 } else { hi = mid }
        }
        return lo < rows.endIndex && dates[Int(rows[lo])] <= to
    }
}

/// collector_performance (period P), by the account's agent_id.
enum CollectorPerformance {
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let period = try Period.resolve(from: p.from, to: p.to, asOf: a)
        let dims = try Dimensions(book, [.agent_id] + p.by.filter { $0 != .agent_id }, kpi: "collector_performance", contactDimensions: false)
        let placed = book.placed
        let g = Grouping(dims.keys(accounts: nil), rows: book.accountCount) { placed[$0] <= period.to && placed[$0] <= a }
        let n = g.count
        let accounts = Aggregate.count(groups: g.ids, count: n)
        var attempts = [Int64](repeating: 0, count: n), rpc = attempts, promises = attempts, collected = attempts
        let ids = g.ids
        let isRPC = Book.rpcOutcomes, promiseOutcome = Book.promiseOutcome
        // Outbound contacts in P, counted per account group in one pass over the contact segments.
        if let pass = ContactPass([.account(ids, cardinality: n)]) {
            let c = try pass.run(book, asOf: a, period: period, metrics: 3) { row, gid, counters in
                guard row.direction == Book.outbound else { return }
                counters[gid * 3] += 1
                if isRPC[Int(row.outcome)] { counters[gid * 3 + 1] += 1 }
                if row.outcome == promiseOutcome { counters[gid * 3 + 2] += 1 }
            }
            for gid in 0..<n { (attempts[gid], rpc[gid], promises[gid]) = (c[gid * 3], c[gid * 3 + 1], c[gid * 3 + 2]) }
        } else {
            let inP = ContactsInPeriod(book, asOf: a, period: period).include
            let direction = book.direction, outcome = book.outcome
            for (r, k) in book.contactAccount.enumerated() where inP[r] && direction[r] == Book.outbound {
                let gid = Int(ids[Int(k)])
                guard gid >= 0 else { continue }
                attempts[gid] += 1
                let o = outcome[r]
                if isRPC[Int(o)] { rpc[gid] += 1 }
                if o == promiseOutcome { promises[gid] += 1 }
            }
        }
        let paid = book.paidDate, amount = book.paymentAmount
        for (r, k) in book.paymentAccount.enumerated() {
            let gid = Int(ids[Int(k)]), d = paid[r]
            guard gid >= 0, d >= period.from, d <= period.to, d >= placed[Int(k)] else { continue }
            try Aggregate.add(&collected[gid], amount[r])
        }
        try book.check()
        return KPITable(columns: dims.names + ["accounts", "attempts", "rpc", "rpc_rate", "promises", "collected"],
                        rows: GroupedRows.build(dims, g) { i in
                            [.int(accounts[i]), .int(attempts[i]), .int(rpc[i]), rate(rpc[i], attempts[i]), .int(promises[i]), .money(collected[i])]
                        })
    }
}

/// promise_adherence (period P, grace G).
enum PromiseAdherence {
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let period = try Period.resolve(from: p.from, to: p.to, asOf: a)
        guard p.grace >= 0 else { throw RecoupError(.usage, "--grace must be 0 or more days") }
        let grace = Int32(p.grace)
        let dims = try Dimensions(book, p.by, kpi: "promise_adherence", contactDimensions: false)
        let keys = book.promiseAccount, created = book.promiseCreated, due = book.promiseDue, amount = book.promiseAmount
        let placed = book.placed
        let g = Grouping(dims.keys(accounts: keys), rows: keys.count) { r in
            let k = Int(keys[r])
            return placed[k] <= a && created[r] <= a && created[r] >= placed[k] && due[r] >= period.from && due[r] <= period.to
        }
        let n = g.count
        var promises = [Int64](repeating: 0, count: n), pending = promises, kept = promises, promised = promises, keptAmount = promises
        let pk = book.paymentAccount, paid = book.paidDate, pay = book.paymentAmount
        // Only the payments of accounts with a judged promise are indexed.
        var judged = [Bool](repeating: false, count: book.accountCount)
        for r in 0..<keys.count where g.ids[r] >= 0 && due[r] + grace <= a { judged[Int(keys[r])] = true }
        let index = AccountIndex(keys: pk, accounts: book.accountCount, time: paid.map { Int64($0) }) { r in
            judged[Int(pk[r])] && paid[r] >= placed[Int(pk[r])] && paid[r] <= a
        }
        for r in 0..<keys.count {
            let gid = Int(g.ids[r])
            guard gid >= 0 else { continue }
            promises[gid] += 1
            if due[r] + grace > a { pending[gid] += 1; continue }
            var sum: Int64 = 0
            for q in index.rows(of: Int(keys[r])) {
                let d = paid[Int(q)]
                if d > due[r] + grace { break }
                if d >= created[r] { try Aggregate.add(&sum, pay[Int(q)]) }
            }
            if sum >= amount[r] { kept[gid] += 1 }
            try Aggregate.add(&promised[gid], amount[r])
            try Aggregate.add(&keptAmount[gid], min(max(sum, 0), amount[r]))
        }
        try book.check()
        return KPITable(
            columns: dims.names + ["promises", "pending", "kept", "kept_rate", "promised_amount", "kept_amount", "amount_kept_rate"],
            rows: GroupedRows.build(dims, g) { i in
                [.int(promises[i]), .int(pending[i]), .int(kept[i]), rate(kept[i], promises[i] - pending[i]), .money(promised[i]),
                 .money(keptAmount[i]), rate(keptAmount[i], promised[i])]
            })
    }
}
