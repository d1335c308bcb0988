import Foundation
import RecoupQuery
import RecoupStore
import Yams

/// One queue of `queues.yaml`: a filter in the query language over the columns of `from scores | join
/// accounts on account_id`, and an order (default `expected_value desc`).
public struct QueueDefinition: Sendable, Equatable {
    public var name: String
    public var description: String
    public var filter: String
    public var order: String

    public static let defaultOrder = "expected_value desc"
    /// Statuses never in a queue, whatever the filter says (MODELS.md).
    public static let excludedStatuses = ["cease_contact", "bankrupt", "closed"]

    public init(name: String, description: String = "", filter: String, order: String = Self.defaultOrder) {
        self.name = name
        self.description = description
        self.filter = filter
        self.order = order
    }

    /// The query that lists the queue's accounts in priority order (ties by account id), as text: what
    /// an error's caret points into.
    public var query: String { query(source: Self.scoredSource) }

    static let scoredSource = "from scores\n| join accounts on account_id"
    static var standInSource: String {
        "from accounts\n| derive as_of = placed_date, model_version = \"\", p_pay_30d = 0.5, "
            + "expected_value = principal, outstanding = principal"
    }

    /// The queue's query as a tree: the filter parsed alone as one expression and the order alone as
    /// sort keys, so neither can close, extend or change the pipeline around it; the composed text
    /// must parse to exactly the fixed stages with that filter and that order.
    public func plan(scored: Bool = true) throws -> Query {
        let filterExpr: Expr, keys: [SortKey]
        do { filterExpr = try Parser.expression(filter) } catch let e as QueryError {
            throw RecoupError(
                .dataError, "queue `\(name)`: filter: \(e.message)",
                details: e.render(filter, name: "queue \(name) filter"))
        }
        do { keys = try Parser.sortKeys(order) } catch let e as QueryError {
            throw RecoupError(
                .dataError, "queue `\(name)`: order: \(e.message)",
                details: e.render(order, name: "queue \(name) order"))
        }
        let text = scored ? query : checkQuery
        let composed = try Parser.parse(text)
        var expected = try Parser.parse(
            query(source: scored ? Self.scoredSource : Self.standInSource, filter: "true", order: "account_id")
                + (scored ? "" : "\n| take 0"))
        let at = expected.stages.firstIndex {
            if case .where(.literal(.bool(true), _), _) = $0 { true } else { false }
        }!
        expected.stages[at] = .where(filterExpr, .none)
        let byID = SortKey(expr: .column("account_id", .none), descending: false, span: .none)
        expected.stages[at + 1] = .sort(keys + [byID], .none)
        guard composed.withoutSpans == expected.withoutSpans else {
            throw RecoupError(.dataError, "queue `\(name)`: the filter or order does not stand alone as one expression")
        }
        return composed
    }

    /// The same query over accounts with stand-ins of the score columns' types: the binder checks the
    /// filter and order of a store that has no scores yet with it.
    var checkQuery: String { query(source: Self.standInSource) + "\n| take 0" }

    private func query(source: String, filter: String? = nil, order: String? = nil) -> String {
        let filter = filter ?? self.filter, order = order ?? self.order
        let excluded = Self.excludedStatuses.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
            \(source)
            | where status not in (\(excluded))
            | where (\(filter))
            | sort \(order), account_id
            | select account_id, status
            """
    }
}

public enum QueueFile {
    /// `--queues FILE`, else `$RECOUP_QUEUES`, else `./queues.yaml`.
    public static func resolvePath(_ option: String?) -> String {
        option ?? ProcessInfo.processInfo.environment["RECOUP_QUEUES"] ?? "./queues.yaml"
    }

    /// Reads the definitions; a missing file is no queues only when it was not named explicitly.
    public static func load(path: String, required: Bool) throws -> [QueueDefinition] {
        guard let data = FileManager.default.contents(atPath: path) else {
            if required { throw RecoupError(.noInput, "no queues file \(path)") }
            return []
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RecoupError(.dataError, "\(path) is not UTF-8 text")
        }
        return try parse(text, name: path)
    }

    public static func parse(_ text: String, name: String = "queues.yaml") throws -> [QueueDefinition] {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            throw RecoupError(.dataError, "\(name): not valid YAML: \(error)")
        }
        guard let top = root as? [String: Any], let list = top["queues"] as? [Any] else {
            throw RecoupError(.dataError, "\(name): expected a top-level `queues:` list")
        }
        for key in top.keys.sorted() where key != "queues" {
            throw RecoupError(.dataError, "\(name): unknown top-level key `\(key)`")
        }
        var out: [QueueDefinition] = []
        for (i, item) in list.enumerated() {
            guard let q = item as? [String: Any] else {
                throw RecoupError(.dataError, "\(name): queue \(i + 1) is not a mapping")
            }
            for key in q.keys.sorted() where !["name", "description", "filter", "order"].contains(key) {
                throw RecoupError(
                    .dataError, "\(name): queue \(i + 1): unknown key `\(key)` (name, description, filter, order)")
            }
            guard let n = q["name"] as? String, !n.isEmpty,
                n.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" })
            else {
                throw RecoupError(.dataError, "\(name): queue \(i + 1): `name` must be letters, digits, `_` or `-`")
            }
            guard !out.contains(where: { $0.name == n }) else {
                throw RecoupError(.dataError, "\(name): queue `\(n)` is defined twice")
            }
            let filter = scalarText(q["filter"]) ?? "true"
            let order = scalarText(q["order"]) ?? QueueDefinition.defaultOrder
            out.append(
                QueueDefinition(name: n, description: scalarText(q["description"]) ?? "", filter: filter, order: order))
        }
        return out
    }

    private static func scalarText(_ v: Any?) -> String? {
        switch v {
        case let s as String: s.trimmingCharacters(in: .whitespacesAndNewlines)
        case let b as Bool: b ? "true" : "false"
        case nil: nil
        default: "\(v!)"
        }
    }
}

/// A queue as one state serves it: its accounts in order, each pointing at its score's JSON.
public struct MaterializedQueue: Sendable {
    public var definition: QueueDefinition
    public var accountIDs: [String]
    var spans: [ScoreIndex.Span]

    public var count: Int { accountIDs.count }

    /// Runs the queue's query on the snapshot and keeps the accounts that have a score in `scores`.
    /// Without scores the query over stand-ins of the score columns is bound only: every name and type
    /// of the filter and order checked, no data read.
    static func build(
        _ def: QueueDefinition, snapshot: Snapshot, scores: ScoreIndex?, timeLimit: Double
    ) throws -> MaterializedQueue {
        guard let scores else {
            _ = try QueryEngine.bind(
                def.plan(scored: false), snapshot: snapshot, options: QueryOptions(timeLimit: timeLimit))
            return MaterializedQueue(definition: def, accountIDs: [], spans: [])
        }
        let result = try QueryEngine.run(
            def.plan(), snapshot: snapshot, options: QueryOptions(timeLimit: timeLimit, rowLimit: Int.max))
        var ids: [String] = [], spans: [ScoreIndex.Span] = []
        ids.reserveCapacity(result.rows.count)
        spans.reserveCapacity(result.rows.count)
        for row in result.rows {
            guard case .text(let id) = row[0] else { continue }
            // The query excludes these already; checked once more so no filter can bring them back.
            if case .text(let status) = row[1], QueueDefinition.excludedStatuses.contains(status) { continue }
            guard let span = scores.span(id) else { continue }
            ids.append(id)
            spans.append(span)
        }
        return MaterializedQueue(definition: def, accountIDs: ids, spans: spans)
    }
}
