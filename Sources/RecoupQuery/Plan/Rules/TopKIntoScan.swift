/// A top-k right after a table scan (or after `derive`/`select` steps and inner joins to accounts that
/// leave its first key's columns alone) is started in the scan: the first sort key is evaluated on the early columns, the
/// best `count` rows by it found with a bounded heap, and only the rows not worse than the last of
/// them (ties kept, so the later keys can still decide) have their other columns decoded. The top-k
/// step then orders those few rows by every key, so the result is the same rows in the same order.
enum TopKIntoScan: PlanRule {
    static let name = "top-k into scan"

    static func apply(_ plan: inout LogicalPlan) -> Bool {
        guard case .scan(var scan) = plan.source, scan.topKey == nil else { return false }
        var defined = Set<String>()
        for step in plan.steps {
            switch step {
            case .derive(let b, _), .select(let b, _):
                // `select amount` passes the column on unchanged; anything else is a new value.
                defined.formUnion(
                    b.filter { if case .column(let c, _) = $0.expr, c == $0.name { false } else { true } }.map(\.name))
            case .join(let j) where j.byAccountKey && !j.left && j.right.table == "accounts":
                // Every stored row has its account (the import refuses others): an inner join to
                // accounts through the key keeps each row once, in order. Its columns are new names.
                defined.formUnion(
                    Tables.columns("accounts").map { j.renamed.contains($0.name) ? "accounts_" + $0.name : $0.name })
            case .topK(let keys, let n, _):
                guard let first = keys.first, Names.referenced([first.expr]).isDisjoint(with: defined),
                    Names.referenced([first.expr]).isSubset(of: Set(Tables.columns(scan.table).map(\.name)))
                else { return false }
                scan.topKey = (first, n)
                plan.source = .scan(scan)
                return true
            default:
                return false
            }
        }
        return false
    }
}
