import RecoupEngine
import RecoupStore

/// contact_effectiveness (period P).
enum ContactEffectiveness {
    static let columns = ["attempts", "rpc", "rpc_rate", "promises", "promise_rate", "conversion_7d", "inbound"]

    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let period = try Period.resolve(from: p.from, to: p.to, asOf: a)
        let dims = try Dimensions(
            book, p.by, kpi: "contact_effectiveness", contactDimensions: true, lazyContactCodes: true)
        guard let pass = ContactPass(dims.contactSources) else {
            return try materialized(book, p, asOf: a, period: period)
        }
        let payments = PositivePayments(book, asOf: a)
        let isRPC = ContactClass.rpcOutcomes, promiseOutcome = ContactClass.promise
        // Counters per group: contacts, attempts, rpc, promises, inbound, converted.
        let c = try pass.run(book, asOf: a, period: period, metrics: 6) { row, g, counters in
            let base = g * 6
            counters[base] += 1
            if row.direction == ContactClass.inbound { counters[base + 4] += 1; return }
            counters[base + 1] += 1
            guard isRPC[Int(row.outcome)] else { return }
            counters[base + 2] += 1
            if row.outcome == promiseOutcome { counters[base + 3] += 1 }
            if payments.any(account: row.account, from: row.localDate, to: row.localDate + 7) {
                counters[base + 5] += 1
            }
        }
        try book.check()
        return KPITable(
            columns: dims.names + columns,
            rows: dims.rows(pass, keep: { c[$0 * 6] > 0 }) { g in
                let (attempts, rpc, promises, inbound, converted) = (
                    c[g * 6 + 1], c[g * 6 + 2], c[g * 6 + 3], c[g * 6 + 4], c[g * 6 + 5]
                )
                return [
                    .int(attempts), .int(rpc), rate(rpc, attempts), .int(promises), rate(promises, rpc),
                    rate(converted, rpc), .int(inbound),
                ]
            })
    }

    /// The same over materialized columns, for dimension products too large for counters.
    static func materialized(_ book: Book, _ p: KPIParameters, asOf a: Int32, period: Period) throws -> KPITable {
        let dims = try Dimensions(book, p.by, kpi: "contact_effectiveness", contactDimensions: true)
        let inP = ContactsInPeriod(book, asOf: a, period: period).include
        let keys = book.contactAccount
        let g = Grouping(dims.keys(accounts: keys), rows: keys.count, mask: inP)
        let n = g.count
        var attempts = [Int64](repeating: 0, count: n), rpc = attempts, promises = attempts, inbound = attempts,
            converted = attempts
        let payments = PositivePayments(book, asOf: a)
        let direction = book.direction, outcome = book.outcome, dates = book.localDate, ids = g.ids
        let isRPC = ContactClass.rpcOutcomes, promiseOutcome = ContactClass.promise
        for r in 0..<keys.count {
            let gid = Int(ids[r])
            guard gid >= 0 else { continue }
            if direction[r] == ContactClass.inbound { inbound[gid] += 1; continue }
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
            columns: dims.names + [
                "attempts", "rpc", "rpc_rate", "promises", "promise_rate", "conversion_7d", "inbound",
            ],
            rows: GroupedRows.build(dims, g) { i in
                [
                    .int(attempts[i]), .int(rpc[i]), rate(rpc[i], attempts[i]), .int(promises[i]),
                    rate(promises[i], rpc[i]),
                    rate(converted[i], rpc[i]), .int(inbound[i]),
                ]
            })
    }
}

extension ContactEffectiveness: KPI {
    static let name = "contact_effectiveness"
    static func fields(_ p: KPIParameters) -> [KPIField] {
        [
            KPIField("attempts", .count), KPIField("rpc", .count), KPIField("rpc_rate", .rate),
            KPIField("promises", .count), KPIField("promise_rate", .rate), KPIField("conversion_7d", .rate),
            KPIField("inbound", .count),
        ]
    }
}
