import RecoupEngine
import RecoupStore

/// collector_performance (period P), by the account's agent_id.
enum CollectorPerformance {
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let period = try Period.resolve(from: p.from, to: p.to, asOf: a)
        let dims = try Dimensions(book, dimensions(p), kpi: "collector_performance", contactDimensions: false)
        let placed = book.placed
        let g = Grouping(dims.keys(accounts: nil), rows: book.accountCount) {
            AsOf.known(placed: placed[$0], asOf: min(a, period.to))
        }
        let n = g.count
        let accounts = Aggregate.count(groups: g.ids, count: n)
        var attempts = [Int64](repeating: 0, count: n), rpc = attempts, promises = attempts, collected = attempts
        let ids = g.ids
        let isRPC = ContactClass.rpcOutcomes, promiseOutcome = ContactClass.promise
        // Outbound contacts in P, counted per account group in one pass over the contact segments.
        if let pass = ContactPass([.account(ids, cardinality: n)]) {
            let c = try pass.run(book, asOf: a, period: period, metrics: 3) { row, gid, counters in
                guard row.direction == ContactClass.outbound else { return }
                counters[gid * 3] += 1
                if isRPC[Int(row.outcome)] { counters[gid * 3 + 1] += 1 }
                if row.outcome == promiseOutcome { counters[gid * 3 + 2] += 1 }
            }
            for gid in 0..<n { (attempts[gid], rpc[gid], promises[gid]) = (c[gid * 3], c[gid * 3 + 1], c[gid * 3 + 2]) }
        } else {
            let inP = ContactsInPeriod(book, asOf: a, period: period).include
            let direction = book.direction, outcome = book.outcome
            for (r, k) in book.contactAccount.enumerated() where inP[r] && direction[r] == ContactClass.outbound {
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
            guard gid >= 0, AsOf.counts(date: d, placed: placed[Int(k)], asOf: a, from: period.from, to: period.to) else { continue }
            try Aggregate.add(&collected[gid], amount[r])
        }
        try book.check()
        return KPITable(
            columns: dims.names + ["accounts", "attempts", "rpc", "rpc_rate", "promises", "collected"],
            rows: GroupedRows.build(dims, g) { i in
                [
                    .int(accounts[i]), .int(attempts[i]), .int(rpc[i]), rate(rpc[i], attempts[i]), .int(promises[i]),
                    .money(collected[i]),
                ]
            })
    }
}

extension CollectorPerformance: KPI {
    static let name = "collector_performance"
    /// By agent always, then the other dimensions asked for.
    static func dimensions(_ p: KPIParameters) -> [KPIDimension] { [.agent_id] + p.by.filter { $0 != .agent_id } }
    static func fields(_ p: KPIParameters) -> [KPIField] {
        [
            KPIField("accounts", .count), KPIField("attempts", .count), KPIField("rpc", .count),
            KPIField("rpc_rate", .rate), KPIField("promises", .count), KPIField("collected", .money),
        ]
    }
}
