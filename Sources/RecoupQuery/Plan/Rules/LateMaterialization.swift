/// A scan with pushed filters (or a top-k key) decodes the columns they name first, and the other columns
/// only for the rows they keep, cut segment by segment: wide columns (ids, strings) are never made
/// for rows that are dropped.
enum LateMaterialization: PlanRule {
    static let name = "late materialization"

    static func apply(_ plan: inout LogicalPlan) -> Bool {
        guard case .scan(var scan) = plan.source, !scan.filters.isEmpty || scan.topKey != nil, !scan.late else {
            return false
        }
        scan.late = true
        plan.source = .scan(scan)
        return true
    }
}
