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
        let book = Book(snapshot)
        let a = try parameters.asOf ?? book.defaultAsOf()
        let kpi: (Book, KPIParameters, Int32) throws -> KPITable
        switch name {
        case "recovery_rate": kpi = RecoveryRate.run
        case "liquidation": kpi = Liquidation.run
        case "dso": kpi = DSO.run
        case "days_to_collect": kpi = DaysToCollect.run
        case "aging": kpi = Aging.run
        case "cei": kpi = CEI.run
        case "contact_effectiveness": kpi = ContactEffectiveness.run
        case "promise_adherence": kpi = PromiseAdherence.run
        case "collector_performance": kpi = CollectorPerformance.run
        case "roll_rate": kpi = RollRate.run
        default: kpi = CallCompliance.run
        }
        do {
            return try kpi(book, parameters, a)
        } catch let e as Aggregate.Overflow {
            throw RecoupError(.dataError, "\(name): \(e)")
        }
    }

    /// The as-of date a KPI uses when none is given.
    public static func defaultAsOf(_ snapshot: Snapshot) throws -> Int32 { try Book(snapshot).defaultAsOf() }
}
