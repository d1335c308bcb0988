import RecoupEngine
import RecoupStore

/// Every KPI of KPIS.md by name.
public enum KPIRunner {
    /// The registry: each KPI of KPIS.md once, with its implementation. `names` is read from it, so a
    /// listed name always has an implementation and a name without one cannot be listed.
    static let registry: [(name: String, run: (Book, KPIParameters, Int32) throws -> KPITable)] = [
        ("recovery_rate", RecoveryRate.run), ("liquidation", Liquidation.run), ("dso", DSO.run),
        ("days_to_collect", DaysToCollect.run), ("aging", Aging.run), ("cei", CEI.run),
        ("contact_effectiveness", ContactEffectiveness.run), ("promise_adherence", PromiseAdherence.run),
        ("collector_performance", CollectorPerformance.run), ("roll_rate", RollRate.run),
        ("call_compliance", CallCompliance.run),
    ]

    public static let names = registry.map(\.name)

    /// Computes KPI `name` on `snapshot` (KPIS.md semantics, columns and order).
    public static func run(_ name: String, snapshot: Snapshot, parameters: KPIParameters) throws -> KPITable {
        let name = try KPIParameters.kpiName(name)
        let kpi = registry.first { $0.name == name }!.run
        let book = Book(snapshot)
        let a = try parameters.asOf ?? book.defaultAsOf()
        do {
            return try kpi(book, parameters, a)
        } catch let e as Aggregate.Overflow {
            throw RecoupError(.dataError, "\(name): \(e)")
        }
    }

    /// The as-of date a KPI uses when none is given.
    public static func defaultAsOf(_ snapshot: Snapshot) throws -> Int32 { try Book(snapshot).defaultAsOf() }
}
