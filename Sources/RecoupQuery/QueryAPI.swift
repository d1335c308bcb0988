import Foundation
import RecoupKPI
import RecoupStore

/// Limits on one query run; the language itself cannot touch the file system.
public struct QueryOptions: Sendable {
    /// Wall-clock limit in seconds.
    public var timeLimit: Double
    /// At most this many result rows.
    public var rowLimit: Int
    /// `$name` values, as given on the command line (`--param name=value`): typed by where they are used.
    public var parameters: [String: String]

    public init(timeLimit: Double = 60, rowLimit: Int = 1_000_000, parameters: [String: String] = [:]) {
        self.timeLimit = timeLimit
        self.rowLimit = rowLimit
        self.parameters = parameters
    }
}

/// The value types of the language.
public enum ValueType: String, Sendable, Equatable {
    case money, date, timestamp, int, float, string, bool, null
}

public struct QueryColumn: Sendable, Equatable {
    public var name: String
    public var type: ValueType
    /// What the column's numbers mean, where known (a KPI's declared fields and what is derived from them).
    public var unit: KPIUnit?
    public init(name: String, type: ValueType, unit: KPIUnit? = nil) {
        self.name = name
        self.type = type
        self.unit = unit
    }
}

public struct QueryResult: Sendable, Equatable {
    public var columns: [QueryColumn]
    public var rows: [[KPIValue]]

    public init(columns: [QueryColumn], rows: [[KPIValue]]) {
        self.columns = columns
        self.rows = rows
    }

    public var table: KPITable { KPITable(columns: columns.map(\.name), rows: rows) }
    /// Each column's unit, where known.
    public var units: [KPIUnit?] { columns.map(\.unit) }
}

/// Set from another thread (Ctrl-C in the REPL, a request timeout) to stop a running query;
/// the query checks it between vector operations and fails with `RQ900 cancelled`.
public final class CancelToken: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    public init() {}
    public func cancel() { lock.lock(); flag = true; lock.unlock() }
    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}

/// What completion and `.schema` show: sources, their columns and types, functions.
public enum QueryCatalog {
    public static let tables = ["accounts", "contacts", "payments", "promises", "scores"]
    public static let stages = [
        "where", "derive", "select", "summarize", "by", "sort", "asc", "desc", "take", "join", "left", "on",
    ]
    public static let keywords = [
        "from", "kpi", "and", "or", "not", "in", "between", "is", "null", "true", "false", "as", "of", "to", "grace",
        "month", "summary",
    ]
    /// Aggregates, as the engine knows them (Exec/Aggregates).
    public static var aggregates: [String] { Aggregates.names }
    /// Scalar functions, as the engine knows them.
    public static var functions: [String] { Functions.scalar }
    public static var kpis: [String] { KPIRunner.names }
}

/// Runs queries against a store snapshot.
public enum QueryEngine {
    /// Parses, binds, plans and runs `text`. Errors in the query are `QueryError`s (with a span);
    /// limits and cancellation are `QueryError`s too (codes RQ9xx).
    public static func run(
        _ text: String, snapshot: Snapshot, options: QueryOptions = QueryOptions(), cancel: CancelToken? = nil
    ) throws -> QueryResult {
        try run(Parser.parse(text), snapshot: snapshot, options: options, cancel: cancel)
    }

    /// Runs a parsed (or composed) query.
    public static func run(
        _ query: Query, snapshot: Snapshot, options: QueryOptions = QueryOptions(), cancel: CancelToken? = nil
    ) throws -> QueryResult {
        try Executor(snapshot: snapshot, options: options, cancel: cancel).run(query)
    }

    /// The optimized plan of `text`, as `recoup query --explain` prints it. The query is bound first,
    /// so a mistake is reported as it would be by a run; no table data is read (a KPI source is computed).
    public static func explain(
        _ text: String, snapshot: Snapshot, options: QueryOptions = QueryOptions()
    ) throws -> String {
        try explain(Parser.parse(text), snapshot: snapshot, options: options)
    }

    public static func explain(
        _ query: Query, snapshot: Snapshot, options: QueryOptions = QueryOptions()
    ) throws -> String {
        let (plan, rules) = try Executor(snapshot: snapshot, options: options, cancel: nil).plan(query)
        return Explain.text(plan, rules: rules, snapshot: snapshot)
    }

    /// Checks every name and type of `query` without reading table data, and returns the result's
    /// columns (queues are checked this way when `serve` starts).
    public static func bind(
        _ query: Query, snapshot: Snapshot, options: QueryOptions = QueryOptions()
    ) throws -> [QueryColumn] {
        try Executor(snapshot: snapshot, options: options, cancel: nil).plan(query).plan.output
    }

    /// The columns a source offers (for `.schema T` and completion).
    public static func schema(of table: String) -> [QueryColumn] {
        table == "scores" ? Executor.scoreColumns : Tables.columns(table)
    }
}
