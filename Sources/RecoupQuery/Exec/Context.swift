import Foundation
import RecoupEngine
import RecoupKPI
import RecoupStore

/// What one query run knows: the snapshot, its limits, its parameters.
final class QueryContext {
    let snapshot: Snapshot
    let options: QueryOptions
    let cancel: CancelToken?
    let deadline: Date

    init(snapshot: Snapshot, options: QueryOptions, cancel: CancelToken?) {
        self.snapshot = snapshot
        self.options = options
        self.cancel = cancel
        deadline = Date().addingTimeInterval(options.timeLimit)
    }

    func checkTime() throws {
        if cancel?.isCancelled == true { throw QueryError("RQ900", "cancelled") }
        if Date() > deadline {
            throw QueryError("RQ901", "the query ran longer than the time limit of \(options.timeLimit) s", help: "narrow it with `where` or `take`, or raise the limit (--time-limit)")
        }
    }

    /// The source table's columns, for "did you mean" while a scan holds only some of them.
    var sourceColumns: [String] = []

    /// Made once on first use and then shared: scans evaluate filters on several segments at once, so
    /// the first use may come from any of them at the same time.
    private let shared = NSLock()
    private var todayValue: Result<Int32, Error>?
    private var clockValue: AccountClock?

    /// today(): the as-of date of the store (the latest date in the data, as for KPIs).
    var today: Result<Int32, Error> {
        shared.lock()
        defer { shared.unlock() }
        if let t = todayValue { return t }
        let t = Result { try KPIRunner.defaultAsOf(snapshot) }
        todayValue = t
        return t
    }

    /// Accounts' time zones, for local-time functions (a copy: its cache of zone tables is the caller's).
    var clock: AccountClock {
        shared.lock()
        defer { shared.unlock() }
        if let c = clockValue { return c }
        let c = LocalTime.clock(zoneOf: (try? TableScan(snapshot, "accounts").int32("timezone")) ?? [], snapshot)
        clockValue = c
        return c
    }

    /// A `$name` value, typed by where it is used (a date next to a date, money next to money).
    func parameter(_ name: String, hint: ValueType?, _ span: Span) throws -> Scalar {
        guard let raw = options.parameters[name] else {
            throw QueryError("RQ401", "parameter `$\(name)` has no value", at: span, help: "pass --param \(name)=VALUE")
        }
        let text = raw.hasPrefix("@") ? String(raw.dropFirst()) : raw
        if let d = CivilDate.parse(text) { return hint == .timestamp ? .timestamp(Int64(d) * 86400) : .date(d) }
        if let i = Int64(text) {
            return try Evaluator(context: self).scalar(.int(i), hint: hint, span)
        }
        if Double(text) != nil, text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) {
            return try Evaluator(context: self).scalar(.decimal(text), hint: hint, span)
        }
        if text == "true" || text == "false" { return .bool(text == "true") }
        return .string(raw)
    }
}

