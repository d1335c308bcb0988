import Foundation
import RecoupStore

/// The as-of book view: the columns of one store snapshot that KPIs, features, the contact-time model
/// and the strategy engine read, each loaded once on first use (only the columns asked for, segments
/// decoded in parallel), with the derived per-contact local time. The rules of what is known at A
/// (`AsOf`), the contact classes (`ContactClass`), the calling rules (`CallingRules`) and the promise
/// rule (`PromiseRule`) are applied to these columns and written nowhere else.
///
/// Account arrays are indexed by account key; event arrays by the event table's row.
/// Not thread-safe while loading: read the columns a parallel pass needs before it starts.
public final class Book {
    public let snapshot: Snapshot
    public init(_ snapshot: Snapshot) { self.snapshot = snapshot }

    public var accountCount: Int { snapshot.rows("accounts") }
    /// The table-wide dictionary of a code column (`portfolio`, `region`, `timezone`, `agent_id`, …).
    public func dictionary(_ table: String, _ column: String) -> [String] {
        snapshot.dictionary(table: table, column: column)
    }

    // Accounts (row = account key).
    public lazy var placed: [Int32] = load { try TableScan(snapshot, "accounts").int32("placed_date") }
    public lazy var opened: [Int32] = load { try TableScan(snapshot, "accounts").int32("opened_date") }
    public lazy var due: [Int32] = load { try TableScan(snapshot, "accounts").int32("due_date") }
    public lazy var principal: [Int64] = load { try TableScan(snapshot, "accounts").int64("principal") }
    public lazy var status: [UInt8] = load { try TableScan(snapshot, "accounts").uint8("status") }
    public lazy var statusDate: [Int32] = load { try TableScan(snapshot, "accounts").int32("status_date") }
    public lazy var timezone: [Int32] = load { try TableScan(snapshot, "accounts").int32("timezone") }
    public lazy var portfolio: [Int32] = load { try TableScan(snapshot, "accounts").int32("portfolio") }
    public lazy var region: [Int32] = load { try TableScan(snapshot, "accounts").int32("region") }
    public lazy var agent: [Int32] = load { try TableScan(snapshot, "accounts").int32("agent_id") }
    public lazy var creditScore: [Int64] = load { try TableScan(snapshot, "accounts").int64("credit_score") }
    public lazy var accountIDs: StringColumn = load { try TableScan(snapshot, "accounts").text("account_id") }
    public lazy var debtorIDs: StringColumn = load { try TableScan(snapshot, "accounts").text("debtor_id") }

    // Payments.
    public lazy var paymentAccount: [Int32] = load { try TableScan(snapshot, "payments").int32("account_id") }
    public lazy var paidDate: [Int32] = load { try TableScan(snapshot, "payments").int32("paid_date") }
    public lazy var paymentAmount: [Int64] = load { try TableScan(snapshot, "payments").int64("amount") }

    // Promises.
    public lazy var promiseAccount: [Int32] = load { try TableScan(snapshot, "promises").int32("account_id") }
    public lazy var promiseCreated: [Int32] = load { try TableScan(snapshot, "promises").int32("created_date") }
    public lazy var promiseDue: [Int32] = load { try TableScan(snapshot, "promises").int32("due_date") }
    public lazy var promiseAmount: [Int64] = load { try TableScan(snapshot, "promises").int64("amount") }

    // Contacts.
    public lazy var contactAccount: [Int32] = load { try TableScan(snapshot, "contacts").int32("account_id") }
    public lazy var contactTS: [Int64] = load { try TableScan(snapshot, "contacts").int64("ts") }
    public lazy var channel: [UInt8] = load { try TableScan(snapshot, "contacts").uint8("channel") }
    public lazy var direction: [UInt8] = load { try TableScan(snapshot, "contacts").uint8("direction") }
    public lazy var outcome: [UInt8] = load { try TableScan(snapshot, "contacts").uint8("outcome") }
    /// Contact ids, decoded one segment at a time and only where asked for (a few rows of output).
    public lazy var contactIDs = SegmentedText(snapshot, table: "contacts", column: "contact_id")

    /// The account clock: local wall time of an instant in the account's (current) zone.
    public lazy var clock = LocalTime.clock(zoneOf: timezone, snapshot)
    /// Per contact: local wall time in seconds since the epoch, and its local date.
    public lazy var local = LocalTime.convert(ts: contactTS, accounts: contactAccount, clock: clock)
    public var localSeconds: [Int64] { local.seconds }
    public var localDate: [Int32] { local.dates }

    /// Errors while loading are kept and rethrown by `check()`; lazy properties cannot throw.
    public private(set) var failure: Error?
    private func load<T>(_ body: () throws -> T) -> T where T: RangeReplaceableCollection {
        do { return try body() } catch { failure = failure ?? error; return T() }
    }
    private func load(_ body: () throws -> StringColumn) -> StringColumn {
        do { return try body() } catch { failure = failure ?? error; return StringColumn() }
    }

    /// Rethrows the first error met while loading a column.
    public func check() throws {
        if let failure { throw failure }
    }

    /// outstanding(a, t) per account, computed once per date (dso and cei ask for AR(to) twice).
    var outstandingCache: [Int32: [Int64]] = [:]
}
