/// The version of the KPI definitions a report was computed with. Every report prints it beside its
/// as-of date and store commit, so that a rerun with the same three reproduces the report exactly.
/// Bump it whenever a KPI of KPIS.md changes meaning, columns or number formats.
public enum KPIDefinitions {
    public static let version = "KPIS.md 1"
}
