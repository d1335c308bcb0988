import Foundation
import RecoupEngine
import RecoupStore

/// call_compliance (period P): outbound contacts with local date in P that
/// break a rule, one row per contact and rule; earlier history (≤ A) counts.
enum CallCompliance {
    static let rules = CallingRules.Breach.allCases.map(\.id)

    /// (contact row, rule index) for every breach, in (ts, contact_id, rule) order.
    static func breaches(_ book: Book, asOf a: Int32, period: Period) -> [(row: Int, rule: Int)] {
        let keys = book.contactAccount, date = book.localDate, placed = book.placed, ts = book.contactTS
        let local = book.localSeconds, ids = book.contactIDs
        let direction = book.direction, channel = book.channel, outcome = book.outcome, status = book.status,
            statusDate = book.statusDate
        // History: contacts dated (locally) on or after placement and on or before A, per account in (ts, contact_id) order.
        let index = AccountIndex(keys: keys, accounts: book.accountCount, time: ts) { r in
            let k = Int(keys[r])
            return AsOf.counts(date: date[r], placed: placed[k], asOf: a)
        }
        var out: [(row: Int, rule: Int)] = []
        let lock = NSLock()
        let chunk = 4096
        let n = (book.accountCount + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: n) { c in
            var found: [(row: Int, rule: Int)] = []
            var ordered: [Int] = []
            for acct in (c * chunk)..<min(book.accountCount, (c + 1) * chunk) {
                let rows = index.rows(of: acct)
                guard !rows.isEmpty else { continue }
                ordered = rows.map { Int($0) }
                // Ties in ts are ordered by contact_id.
                for i in ordered.indices.dropFirst() where ts[ordered[i - 1]] == ts[ordered[i]] {
                    ordered.sort { ts[$0] != ts[$1] ? ts[$0] < ts[$1] : ids.lexicographicallyPrecedes($0, $1) }
                    break
                }
                let ceased = CallingRules.ceaseStatuses.contains(status[acct])
                for (i, r) in ordered.enumerated() {
                    guard direction[r] == ContactClass.outbound else { continue }
                    let d = date[r]
                    guard d >= period.from && d <= period.to else { continue }
                    if channel[r] == ContactClass.call {
                        if !CallingRules.isCallingTime(secondOfDay: LocalTime.secondOfDay(local[r])) {
                            found.append((r, CallingRules.Breach.callingHours.rawValue))
                        }
                        // Outbound calls before this one in its window, and any earlier conversation in it.
                        let window = CallingRules.window(endingOn: d)
                        var calls = 0
                        var conversation = false
                        var j = i - 1
                        while j >= 0 {
                            let q = ordered[j]
                            let dq = date[q]
                            // Rows are in ts order; a local date may step back a day at a DST change, so
                            // the walk stops one day before the window.
                            if dq < window.lowerBound - 1 { break }
                            if window.contains(dq) {
                                if ContactClass.isOutboundCall(channel: channel[q], direction: direction[q]) { calls += 1 }
                                if ts[q] < ts[r] && ContactClass.isConversation(channel: channel[q], outcome: outcome[q]) {
                                    conversation = true
                                }
                            }
                            j -= 1
                        }
                        if calls >= CallingRules.callsPerWeek { found.append((r, CallingRules.Breach.sevenInSeven.rawValue)) }
                        if conversation { found.append((r, CallingRules.Breach.afterConversation.rawValue)) }
                    }
                    if ceased && d >= statusDate[acct] { found.append((r, CallingRules.Breach.ceaseContact.rawValue)) }
                }
            }
            lock.lock()
            out += found
            lock.unlock()
        }
        out.sort { x, y in
            if x.row == y.row { return x.rule < y.rule }
            if ts[x.row] != ts[y.row] { return ts[x.row] < ts[y.row] }
            return ids.lexicographicallyPrecedes(x.row, y.row)
        }
        return out
    }

    static func run(_ book: Book, _ p: KPIParameters, asOf a: Int32) throws -> KPITable {
        let period = try Period.resolve(from: p.from, to: p.to, asOf: a)
        if p.summary { return try summary(book, p, asOf: a, period: period) }
        guard p.by.isEmpty else {
            throw RecoupError(.usage, "call_compliance lists contacts; --by goes with --summary")
        }
        let found = breaches(book, asOf: a, period: period)
        try book.check()
        let ids = book.contactIDs, accounts = book.accountIDs
        let local = book.localSeconds, ts = book.contactTS, keys = book.contactAccount
        let rows = found.map { f -> [KPIValue] in
            let r = f.row
            let offset = Int(local[r] - ts[r])
            return [
                .text(ids[r]), .text(accounts[Int(keys[r])]), .text(rules[f.rule]),
                .text(LocalTime.format(local: local[r], offset: offset)),
            ]
        }
        return KPITable(columns: ["contact_id", "account_id", "rule", "local_ts"], rows: rows)
    }

    static func summary(_ book: Book, _ p: KPIParameters, asOf a: Int32, period: Period) throws -> KPITable {
        let dims = try Dimensions(book, p.by, kpi: "call_compliance", contactDimensions: true)
        let found = breaches(book, asOf: a, period: period)
        // Rows of the grouping: one per breach.
        let keys =
            dims.keys(accounts: book.contactAccount).map { k in
                GroupKey(codes: found.map { k.codes[$0.row] }, cardinality: k.cardinality)
            } + [GroupKey(codes: found.map { Int32($0.rule) }, cardinality: rules.count)]
        let g = Grouping(keys, rows: found.count)
        let calls = Aggregate.count(groups: g.ids, count: g.count)
        try book.check()
        let rows = g.sortedGroups(rank: dims.ranks + [Array(0..<rules.count)]).map { i -> [KPIValue] in
            let key = g.keys[i]
            return dims.labels(Array(key.dropLast())) + [.text(rules[Int(key.last!)]), .int(calls[i])]
        }
        return KPITable(columns: dims.names + ["rule", "calls"], rows: rows)
    }
}

extension CallCompliance: KPI {
    static let name = "call_compliance"
    /// The breaches one per row, or with `summary` their count per rule (after the dimensions).
    static func fields(_ p: KPIParameters) -> [KPIField] {
        p.summary
            ? [KPIField("rule", .text), KPIField("calls", .count)]
            : [
                KPIField("contact_id", .text), KPIField("account_id", .text), KPIField("rule", .text),
                KPIField("local_ts", .text),
            ]
    }
    static func dimensions(_ p: KPIParameters) -> [KPIDimension] { p.summary ? p.by : [] }
}
