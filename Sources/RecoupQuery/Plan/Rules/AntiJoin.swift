import RecoupStore

/// `join left T on account_id | where K is null`, K a column of T that no stored row leaves empty
/// (its key column, `T_K` when renamed): the rows of the left side with no match in T. Run as an
/// anti-join: only T's account keys are read (a bitmap of the accounts T has rows for), no pair of
/// rows is made, and T's columns come out null, as the left join would give them.
enum AntiJoin: PlanRule {
    static let name = "anti-join"

    static func apply(_ plan: inout LogicalPlan) -> Bool {
        var changed = false
        var i = 0
        while i + 1 < plan.steps.count {
            if case .join(var j) = plan.steps[i], j.left, j.byAccountKey, !j.anti,
                case .filter(.isNull(.column(let name, _), negated: false, _), _) = plan.steps[i + 1],
                let key = Schema.table(j.right.table)?.keyColumn, key != j.on,
                name == (j.renamed.contains(key) ? j.right.table + "_" + key : key)
            {
                j.anti = true
                plan.steps[i] = .join(j)
                plan.steps.remove(at: i + 1)
                changed = true
            }
            i += 1
        }
        return changed
    }
}
