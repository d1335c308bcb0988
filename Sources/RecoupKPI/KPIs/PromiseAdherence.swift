import RecoupEngine
import RecoupStore

/// promise_adherence (period P, grace G).
enum PromiseAdherence {
    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let period = try Period.resolve(from: p.from, to: p.to, asOf: a)
        guard p.grace >= 0 else { throw RecoupError(.usage, "--grace must be 0 or more days") }
        let grace = Int32(p.grace)
        let dims = try Dimensions(book, p.by, kpi: "promise_adherence", contactDimensions: false)
        let keys = book.promiseAccount, created = book.promiseCreated, due = book.promiseDue,
            amount = book.promiseAmount
        let placed = book.placed
        let g = Grouping(dims.keys(accounts: keys), rows: keys.count) { r in
            let k = Int(keys[r])
            return AsOf.counts(date: created[r], placed: placed[k], asOf: a) && due[r] >= period.from
                && due[r] <= period.to
        }
        let n = g.count
        var promises = [Int64](repeating: 0, count: n), pending = promises, kept = promises, promised = promises,
            keptAmount = promises
        var judged: [Int] = []
        for r in 0..<keys.count {
            let gid = Int(g.ids[r])
            guard gid >= 0 else { continue }
            promises[gid] += 1
            if PromiseRule.isJudged(due: due[r], grace: grace, asOf: a) { judged.append(r) } else { pending[gid] += 1 }
        }
        let paid = try PromiseRule.paid(book, promises: judged, grace: grace, asOf: a)
        for (i, r) in judged.enumerated() {
            let gid = Int(g.ids[r])
            if PromiseRule.isKept(paid: paid[i], amount: amount[r]) { kept[gid] += 1 }
            try Aggregate.add(&promised[gid], amount[r])
            try Aggregate.add(&keptAmount[gid], min(max(paid[i], 0), amount[r]))
        }
        try book.check()
        return KPITable(
            columns: dims.names + [
                "promises", "pending", "kept", "kept_rate", "promised_amount", "kept_amount", "amount_kept_rate",
            ],
            rows: GroupedRows.build(dims, g) { i in
                [
                    .int(promises[i]), .int(pending[i]), .int(kept[i]), rate(kept[i], promises[i] - pending[i]),
                    .money(promised[i]),
                    .money(keptAmount[i]), rate(keptAmount[i], promised[i]),
                ]
            })
    }
}

extension PromiseAdherence: KPI {
    static let name = "promise_adherence"
    static func fields(_ p: KPIParameters) -> [KPIField] {
        [
            KPIField("promises", .count), KPIField("pending", .count), KPIField("kept", .count),
            KPIField("kept_rate", .rate), KPIField("promised_amount", .money), KPIField("kept_amount", .money),
            KPIField("amount_kept_rate", .rate),
        ]
    }
}
