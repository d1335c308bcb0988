/// One rewrite of a logical plan that keeps its result: the same rows in the same order.
protocol PlanRule {
    /// The name `--explain` lists when the rule changed the plan.
    static var name: String { get }
    /// Rewrites `plan`; returns whether anything changed.
    static func apply(_ plan: inout LogicalPlan) -> Bool
}

enum Rules {
    /// In order: the anti-join first (it reads a join and the filter after it, before pushdown moves
    /// filters), filters moved early before top-k (a sort they pass joins its take), top-k before pushdown (it looks at adjacent steps), pruning after every rule that
    /// moves a step, late materialization last (it reads the pruned columns).
    static let all: [PlanRule.Type] = [
        AntiJoin.self, FilterEarly.self, TopK.self, FilterPushdown.self, FirstRows.self, TopKIntoScan.self, ColumnPruning.self,
        LateMaterialization.self,
    ]

    /// Applies every rule once; returns the names of those that changed the plan.
    @discardableResult
    static func optimize(_ plan: inout LogicalPlan, using rules: [PlanRule.Type] = all) -> [String] {
        rules.compactMap { rule in rule.apply(&plan) ? rule.name : nil }
    }
}
