import RecoupStore

/// Each scan reads only the columns the query names: every column only when the result shows the
/// source's columns (no `select` or `summarize`).
enum ColumnPruning: PlanRule {
    static let name = "column pruning"

    static func apply(_ plan: inout LogicalPlan) -> Bool {
        let showsAll = Names.outputsSourceColumns(plan.steps)
        guard !showsAll else { return false }
        var changed = false
        var filterNames = Set<String>()
        if case .scan(var scan) = plan.source {
            filterNames = scan.filterColumns
            scan.columns = Names.referenced(plan.steps, exceptJoins: true).union(filterNames)
            plan.source = .scan(scan)
            changed = true
        }
        for i in plan.steps.indices {
            guard case .join(var j) = plan.steps[i] else { continue }
            // Joining on account_id through the account keys: the column itself is read only when named.
            let named = Names.referenced(plan.steps, exceptJoins: j.byAccountKey).union(filterNames)
            let table = j.right.table
            // A right column whose name the left side has comes out as TABLE_name.
            let columns = (Schema.table(table)?.columns.map(\.name) ?? []).filter {
                j.renamed.contains($0) ? named.contains(table + "_" + $0) : named.contains($0)
            }
            // The join column comes out once, from the left: through the account keys the right's copy
            // is never read; a hash join reads it to match.
            j.right.columns = j.byAccountKey ? Set(columns).subtracting([j.on]) : Set(columns).union([j.on])
            plan.steps[i] = .join(j)
            changed = true
        }
        return changed
    }
}
