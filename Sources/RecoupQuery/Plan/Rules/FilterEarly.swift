/// A `where` moves before a `derive` whose names it does not use, and before a `sort` (ties are broken
/// by row position, so the kept rows keep their order): it then filters fewer rows' derived values,
/// and a `where` that reaches the source runs inside its scan (`FilterPushdown`), where zone maps and
/// late materialization apply. `sort | where | take` becomes `where | sort | take`, a top-k.
enum FilterEarly: PlanRule {
    static let name = "filter early"

    static func apply(_ plan: inout LogicalPlan) -> Bool {
        var changed = false
        var moved = true
        while moved {
            moved = false
            var i = 1
            while i < plan.steps.count {
                if case .filter(let cond, _) = plan.steps[i], canPass(cond, plan.steps[i - 1]) {
                    plan.steps.swapAt(i - 1, i)
                    moved = true
                    changed = true
                }
                i += 1
            }
        }
        return changed
    }

    static func canPass(_ cond: Expr, _ step: PlanStep) -> Bool {
        switch step {
        case .derive(let bindings, _): Names.referenced([cond]).isDisjoint(with: bindings.map(\.name))
        case .sort: true
        default: false
        }
    }
}
