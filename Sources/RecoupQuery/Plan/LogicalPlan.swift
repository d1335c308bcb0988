import RecoupKPI
import RecoupStore

/// A query as the engine runs it: a source, then steps applied in order. The language is a
/// pipeline, so the plan is one too; a join's right side is a scan of its own. The planner builds
/// the plain plan from the bound query and the rules in `Plan/Rules` rewrite it (pushdown, pruning,
/// top-k, first rows, late materialization); `Explain` prints it.
struct LogicalPlan {
    var source: PlanSource
    var steps: [PlanStep]
    /// The result's columns, known from binding before any data is read.
    var output: [QueryColumn]
}

enum PlanSource {
    case scan(ScanNode)
    /// The latest score file.
    case scores(Span)
    /// A KPI with its checked parameters and declared columns; computed when the plan runs.
    case kpi(KPISource, Span, parameters: KPIParameters, columns: [QueryColumn])
}

/// Reading one stored table.
struct ScanNode {
    var table: String
    var span: Span
    /// The columns read; nil reads every column of the table.
    var columns: Set<String>?
    /// `where` conditions evaluated inside the scan, in order, before the other columns are decoded.
    var filters: [Expr] = []
    /// Zone-map bounds from the pushed filters (stored units): segments outside them are not read.
    var ranges: [ZoneRange] = []
    /// Account ids a pushed filter requires (`account_id == "…"`, `account_id in (…)`): only the
    /// segments that hold those accounts' rows are read.
    var accountIDs: Set<String>?
    /// Only the leading segments that hold this many rows are read.
    var firstRows: Int?
    /// The pushed filters run on their own columns first and the other columns are decoded only for
    /// the kept rows; without it every column is read and then filtered.
    var late = false
    /// A top-k that follows the scan: its first key is evaluated in the scan, and only the rows that
    /// can still be among the best `count` (ties included) have their other columns read.
    var topKey: (key: SortKey, count: Int)?

    /// The columns the pushed filters name: read first; the rest only for the rows they keep.
    var filterColumns: Set<String> { Names.referenced(filters) }

    /// The columns read before the others: the filters' and the pushed top-k key's.
    var earlyColumns: Set<String> { filterColumns.union(topKey.map { Names.referenced([$0.key.expr]) } ?? []) }
}

/// A zone-map bound on one stored column, in its stored units (cents, days, seconds).
struct ZoneRange: Equatable {
    var column: String
    var atLeast: Int64?
    var atMost: Int64?
}

enum PlanStep {
    case filter(Expr, Span)
    case derive([Binding], Span)
    case select([Binding], Span)
    case aggregate([Binding], by: [Binding], Span)
    case sort([SortKey], Span)
    /// The first `count` rows by `keys` with a bounded heap: `sort … | take N` after the TopK rule.
    case topK([SortKey], count: Int, Span)
    case limit(Int, Span)
    case join(JoinNode)
}

struct JoinNode {
    var right: ScanNode
    var left: Bool
    var on: String
    var onSpan: Span
    var span: Span
    /// `on account_id` with account keys on both sides: matched through the keys, not the column.
    var byAccountKey: Bool
    /// The right columns that come out as TABLE_name, decided by the binder on the whole relations.
    var renamed: Set<String>
    /// Only the left rows with no match, the right's columns null (the `AntiJoin` rule): the right
    /// side's account keys are all that is read.
    var anti = false

    /// What is read of the right table: its pruned columns, or for an anti-join only its account keys
    /// (`right.columns` then names the columns that come out null).
    var rightScan: ScanNode {
        var s = right
        if anti { s.columns = [] }
        return s
    }
}
