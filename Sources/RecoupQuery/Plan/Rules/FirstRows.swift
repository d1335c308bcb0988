/// `take N` after nothing but row-by-row `derive` and `select` steps keeps the source's first N
/// rows whatever they hold: the scan reads only the leading segments that hold them.
enum FirstRows: PlanRule {
    static let name = "first rows"

    static func apply(_ plan: inout LogicalPlan) -> Bool {
        guard case .scan(var scan) = plan.source, scan.filters.isEmpty, scan.firstRows == nil else { return false }
        for step in plan.steps {
            switch step {
            case .derive, .select: continue
            case .limit(let n, _):
                scan.firstRows = n
                plan.source = .scan(scan)
                return true
            default: return false
            }
        }
        return false
    }
}
