/// `sort … | take N` → a top-k step: a bounded heap of N rows instead of sorting every row.
enum TopK: PlanRule {
    static let name = "top-k"

    static func apply(_ plan: inout LogicalPlan) -> Bool {
        var changed = false
        var i = 0
        while i + 1 < plan.steps.count {
            if case .sort(let keys, let span) = plan.steps[i], case .limit(let n, _) = plan.steps[i + 1] {
                plan.steps[i] = .topK(keys, count: n, span)
                plan.steps.remove(at: i + 1)
                changed = true
            }
            i += 1
        }
        return changed
    }
}
