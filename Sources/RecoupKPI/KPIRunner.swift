import RecoupEngine
import RecoupStore

/// Every KPI of KPIS.md by name.
public enum KPIRunner {
    public static let names = [
        "recovery_rate", "liquidation", "dso", "days_to_collect", "aging", "cei",
        "contact_effectiveness", "promise_adherence", "collector_performance", "roll_rate", "call_compliance",
    ]

    /// Computes KPI `name` on `snapshot` (KPIS.md semantics, columns and order).
    public static func run(_ name: String, snapshot: Snapshot, parameters: KPIParameters) throws -> KPITable {
        guard names.contains(name) else {
            let hint = Suggest.closest(name, in: names).map { "; did you mean `\($0)`?" } ?? ""
            throw RecoupError(.usage, "unknown KPI `\(name)`\(hint)", details: "KPIs: " + names.joined(separator: ", "))
        }
        throw RecoupError(.internal, "KPI \(name) is not implemented yet")
    }
}
