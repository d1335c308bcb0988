import RecoupEngine
import RecoupStore

/// Every KPI of KPIS.md by name.
public enum KPIRunner {
    /// The registry: each KPI of KPIS.md once, as its type. `names` is read from it, so a listed
    /// name always has an implementation and a name without one cannot be listed.
    static let registry: [KPI.Type] = [
        RecoveryRate.self, Liquidation.self, DSO.self, DaysToCollect.self, Aging.self, CEI.self,
        ContactEffectiveness.self, PromiseAdherence.self, CollectorPerformance.self, RollRate.self,
        CallCompliance.self,
    ]

    public static let names = registry.map { $0.name }

    static func kpi(_ name: String) throws -> KPI.Type {
        let name = try KPIParameters.kpiName(name)
        return registry.first { $0.name == name }!
    }

    /// The columns KPI `name` gives for these parameters, known without computing it: the `by`
    /// dimensions (text), then the KPI's own fields.
    public static func fields(_ name: String, parameters: KPIParameters) throws -> [KPIField] {
        let k = try kpi(name)
        return k.dimensions(parameters).map { KPIField($0.rawValue, $0.unit) } + k.fields(parameters)
    }

    /// Computes KPI `name` on `snapshot` (KPIS.md semantics, columns and order).
    public static func run(_ name: String, snapshot: Snapshot, parameters: KPIParameters) throws -> KPITable {
        let kpi = try kpi(name)
        let book = Book(snapshot)
        let a = try parameters.asOf ?? book.defaultAsOf()
        do {
            return try kpi.run(book, parameters, asOf: a)
        } catch let e as Aggregate.Overflow {
            throw RecoupError(.dataError, "\(kpi.name): \(e)")
        }
    }

    /// The as-of date a KPI uses when none is given.
    public static func defaultAsOf(_ snapshot: Snapshot) throws -> Int32 { try Book(snapshot).defaultAsOf() }
}
